import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Controller, done } from "./controller.ts";
import { enqueueObject } from "./handlers.ts";
import { Informer } from "./informer.ts";
import { microTime } from "./leader-election.ts";
import { Manager } from "./manager.ts";
import { coreResources } from "./resource.ts";
import type { KubeObject } from "./rest.ts";
import { type KubeTestEnv, kubeTestEnv, newWidget, type Widget, waitFor, widgets } from "./test-env.ts";

let env: KubeTestEnv;
before(async () => {
  env = await kubeTestEnv("kit-manager");
});
after(async () => {
  await env?.close();
});

interface Replica {
  manager: Manager;
  reconciled: string[];
  stop: AbortController;
  outcome: Promise<string>;
}

function replica(identity: string): Replica {
  const { rest, namespace } = env;
  const reconciled: string[] = [];
  const informer = new Informer<Widget>(rest, widgets, { namespace });
  const controller = new Controller({
    kind: "Widget",
    reconcile: async ({ key }) => {
      reconciled.push(key);
      return done;
    },
  });
  informer.addHandlers(enqueueObject(controller));
  const manager = new Manager({
    informers: [informer],
    controllers: [controller],
    leaderElection: {
      rest,
      namespace,
      name: "kit-manager",
      identity,
      leaseDurationMs: 60_000, // a successor within the test's wait proves the Lease was released
      renewDeadlineMs: 10_000,
      retryPeriodMs: 200,
    },
    shutdownGraceMs: 5_000,
  });
  const stop = new AbortController();
  return { manager, reconciled, stop, outcome: manager.run(stop.signal) };
}

test("only the leader reconciles; on shutdown the standby takes over at once", async () => {
  const { rest, namespace } = env;
  await rest.create(widgets, newWidget(namespace, "one"));
  const a = replica("a");
  const b = replica("b");
  try {
    await waitFor("a leader to reconcile", () => a.reconciled.length + b.reconciled.length > 0);
    const [leader, standby] = a.manager.isActive() ? [a, b] : [b, a];
    assert.equal(standby.manager.isActive(), false);
    assert.deepEqual(leader.reconciled, [`${namespace}/one`]);
    assert.deepEqual(standby.reconciled, []);
    assert.ok(
      standby.manager.readiness().every((c) => c.check() === undefined),
      "a standby is ready",
    );

    leader.stop.abort(); // SIGTERM
    assert.equal(await leader.outcome, "stopped");
    assert.equal(leader.manager.isActive(), false);
    await waitFor("the standby to take over and reconcile", () => standby.reconciled.length > 0, 20_000);
    await rest.create(widgets, newWidget(namespace, "two"));
    await waitFor("the new leader to reconcile new objects", () =>
      standby.reconciled.includes(`${namespace}/two`),
    );
    assert.deepEqual(leader.reconciled, [`${namespace}/one`], "the old leader did nothing after stopping");
  } finally {
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.outcome, b.outcome]);
  }
});

test("without leader election the manager runs until stopped", async () => {
  const { rest, namespace } = env;
  const informer = new Informer<Widget>(rest, widgets, { namespace });
  const seen: string[] = [];
  const controller = new Controller({
    kind: "Widget",
    reconcile: async ({ key }) => {
      seen.push(key);
      return done;
    },
  });
  informer.addHandlers(enqueueObject(controller));
  const manager = new Manager({
    informers: [informer],
    controllers: [controller],
  });
  const stop = new AbortController();
  const outcome = manager.run(stop.signal);
  await waitFor("objects reconciled", () => seen.length >= 2);
  assert.equal(manager.isActive(), true);
  assert.ok(manager.readiness().every((c) => c.check() === undefined));
  stop.abort();
  assert.equal(await outcome, "stopped");
});

test("a leader whose Lease is taken stops its controllers and reports lost leadership", async () => {
  const { rest, namespace } = env;
  const informer = new Informer<Widget>(rest, widgets, { namespace });
  const controller = new Controller({ kind: "Widget", reconcile: async () => done });
  const manager = new Manager({
    informers: [informer],
    controllers: [controller],
    leaderElection: {
      rest,
      namespace,
      name: "kit-manager-lost",
      identity: "victim",
      leaseDurationMs: 3_000,
      renewDeadlineMs: 1_000,
      retryPeriodMs: 200,
    },
  });
  const stop = new AbortController();
  const outcome = manager.run(stop.signal);
  try {
    await waitFor("leadership", () => manager.isActive() && informer.hasSynced());
    const ref = { namespace, name: "kit-manager-lost" };
    const lease = await rest.get<KubeObject & { spec: Record<string, unknown> }>(coreResources.leases, ref);
    const now = microTime(Date.now());
    await rest.replace(coreResources.leases, {
      ...lease,
      spec: { ...lease.spec, holderIdentity: "usurper", renewTime: now, leaseDurationSeconds: 600 },
    });
    assert.equal(await outcome, "lost-leadership");
    assert.equal(manager.isActive(), false);
    assert.equal(controller.queue.isShuttingDown(), true, "the controller was stopped");
  } finally {
    stop.abort();
    await outcome;
  }
});
