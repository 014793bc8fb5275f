// The kit composed as a controller author uses it, against a real API server: an informer feeds
// a controller whose reconcile adds a finalizer, writes status only when it changes, records
// Events, and releases the finalizer on delete; metrics count the reconciles.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Controller, done, TerminalError } from "./controller.ts";
import { createControllerMetrics } from "./controller-metrics.ts";
import { EventRecorder } from "./events.ts";
import { addFinalizer, removeFinalizer } from "./finalizers.ts";
import { enqueueObject } from "./handlers.ts";
import { Informer } from "./informer.ts";
import { Registry } from "./metrics.ts";
import { coreResources } from "./resource.ts";
import { isNotFound } from "./rest.ts";
import { writeStatus } from "./status.ts";
import { type KubeTestEnv, kubeTestEnv, newWidget, type Widget, waitFor, widgets } from "./test-env.ts";

let env: KubeTestEnv;
before(async () => {
  env = await kubeTestEnv("kit-e2e");
});
after(async () => {
  await env?.close();
});

const FINALIZER = "kit.test.infra-operator.io/finalizer";

test("a widget controller built from the kit converges, settles and cleans up", async () => {
  const { rest, namespace } = env;
  const registry = new Registry();
  const metrics = createControllerMetrics(registry);
  const informer = new Informer<Widget>(rest, widgets, { namespace, watchTimeoutSeconds: 5 });
  const recorder = new EventRecorder({ rest });
  let reconciles = 0;
  let statusWrites = 0;
  const controller = new Controller({
    kind: "Widget",
    metrics,
    backoff: { baseMs: 100, capMs: 1_000 },
    reconcile: async ({ key }) => {
      reconciles++;
      const w = informer.get(key);
      if (w === undefined) return done;
      if (w.metadata.deletionTimestamp) {
        await recorder.normal(w, "Deleting", "releasing the widget");
        await removeFinalizer(rest, widgets, w, FINALIZER);
        return done;
      }
      const size = w.spec?.size ?? 0;
      if (size < 0) throw new TerminalError("spec.size must be at least 0", "InvalidSpec");
      const current = (await addFinalizer(rest, widgets, w, FINALIZER)).object ?? w;
      const result = await writeStatus(rest, widgets, current, {
        observedSize: size,
        observedGeneration: current.metadata.generation,
      });
      if (result.written) {
        statusWrites++;
        await recorder.normal(w, "Synced", `size is ${size}`);
      }
      return done;
    },
  });
  informer.addHandlers(enqueueObject(controller));
  informer.start();
  controller.start();
  try {
    await rest.create(widgets, newWidget(namespace, "w", { size: 1 }));
    await waitFor("status for size 1", async () => {
      const w = await rest.get<Widget>(widgets, { namespace, name: "w" });
      return w.status?.observedSize === 1 && (w.metadata.finalizers ?? []).includes(FINALIZER);
    });

    await rest.patch(widgets, { namespace, name: "w" }, { spec: { size: 3 } });
    await waitFor("status for size 3", async () => {
      const w = await rest.get<Widget>(widgets, { namespace, name: "w" });
      return w.status?.observedSize === 3 && w.status?.observedGeneration === w.metadata.generation;
    });

    // Settled: its own status writes do not wake it again.
    await waitFor(
      "the queue to drain",
      () => controller.queue.depth() === 0 && controller.queue.inFlight() === 0,
    );
    const settled = reconciles;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(reconciles, settled, "no reconcile without a change");
    assert.equal(statusWrites, 2);

    await rest.patch(widgets, { namespace, name: "w" }, { spec: { size: -1 } });
    await waitFor("the terminal error", () => controller.terminalError(`${namespace}/w`) !== undefined);
    assert.match(registry.render(), /infra_operator_reconcile_total\{kind="Widget",result="terminal"\} 1/);

    await rest.delete(widgets, { namespace, name: "w" });
    await waitFor("the widget to be gone", () =>
      rest.get(widgets, { namespace, name: "w" }).then(
        () => false,
        (err) => isNotFound(err),
      ),
    );
    const events = await rest.list<{ reason: string } & Widget>(coreResources.events, namespace);
    assert.deepEqual(events.items.map((e) => e.reason).sort(), ["Deleting", "Synced", "Synced"]);
    const text = registry.render();
    assert.match(text, /infra_operator_reconcile_total\{kind="Widget",result="success"\} \d+/);
    assert.match(text, /infra_operator_reconcile_duration_seconds_count\{kind="Widget"\} \d+/);
    assert.match(text, /infra_operator_workqueue_depth\{kind="Widget"\} 0/);
  } finally {
    await controller.stop(5_000);
    await informer.stop();
  }
});
