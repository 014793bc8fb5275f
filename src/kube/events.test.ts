import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SecretRedactor } from "../secrets/redact.ts";
import { EventRecorder } from "./events.ts";
import { createLogger } from "./logger.ts";
import { coreResources } from "./resource.ts";
import { type KubeTestEnv, kubeTestEnv, newWidget, type Widget, widgets } from "./test-env.ts";

let env: KubeTestEnv;
before(async () => {
  env = await kubeTestEnv("kit-events");
});
after(async () => {
  await env?.close();
});

interface CoreEvent {
  metadata: { name: string };
  involvedObject: { kind: string; name: string; uid: string; apiVersion: string };
  reason: string;
  message: string;
  type: string;
  count: number;
  reportingComponent: string;
  source: { component: string };
  firstTimestamp: string;
  lastTimestamp: string;
}

async function eventsFor(w: Widget): Promise<CoreEvent[]> {
  const list = await env.rest.list<CoreEvent & { [k: string]: unknown }>(
    coreResources.events,
    env.namespace,
    {
      fieldSelector: `involvedObject.uid=${w.metadata.uid}`,
    },
  );
  return list.items.sort((a, b) => a.reason.localeCompare(b.reason));
}

test("events name the object, and repeats bump count instead of piling up", async () => {
  const { rest, namespace } = env;
  const w = await rest.create<Widget>(widgets, newWidget(namespace, "ev"));
  const recorder = new EventRecorder({ rest, instance: "test-pod" });
  await recorder.normal(w, "Created", "created cache cluster ev");
  await Promise.all([
    recorder.warning(w, "Throttled", "AWS throttled DescribeCacheClusters"),
    recorder.warning(w, "Throttled", "AWS throttled DescribeCacheClusters"),
    recorder.warning(w, "Throttled", "AWS throttled DescribeCacheClusters"),
  ]);
  const events = await eventsFor(w);
  assert.equal(events.length, 2, JSON.stringify(events.map((e) => e.reason)));
  const [created, throttled] = events;
  assert.equal(created?.type, "Normal");
  assert.equal(created?.count, 1);
  assert.equal(created?.involvedObject.kind, "Widget");
  assert.equal(created?.involvedObject.name, "ev");
  assert.equal(created?.involvedObject.uid, w.metadata.uid);
  assert.equal(created?.involvedObject.apiVersion, "kit.test.infra-operator.io/v1");
  assert.equal(created?.reportingComponent, "infra-operator");
  assert.equal(created?.source.component, "infra-operator");
  assert.equal(throttled?.type, "Warning");
  assert.equal(throttled?.count, 3);
  assert.equal(throttled?.message, "AWS throttled DescribeCacheClusters");
});

test("an expired (deleted) event is recreated on the next repeat", async () => {
  const { rest, namespace } = env;
  const w = await rest.create<Widget>(widgets, newWidget(namespace, "expire"));
  const recorder = new EventRecorder({ rest });
  await recorder.normal(w, "Synced", "all good");
  const [first] = await eventsFor(w);
  assert.ok(first);
  await rest.delete(coreResources.events, { namespace, name: first.metadata.name });
  await recorder.normal(w, "Synced", "all good");
  const after = await eventsFor(w);
  assert.equal(after.length, 1);
  assert.notEqual(after[0]?.metadata.name, first.metadata.name);
  assert.equal(after[0]?.count, 1);
});

test("secret values never reach the Event, and failures are logged, not thrown", async () => {
  const { rest, namespace } = env;
  const w = await rest.create<Widget>(widgets, newWidget(namespace, "secret"));
  const redactor = new SecretRedactor();
  redactor.add("registered-token-123456");
  const logged: string[] = [];
  const recorder = new EventRecorder({
    rest,
    redactor,
    logger: createLogger({ write: (l) => logged.push(l) }),
  });
  await recorder.warning(w, "AuthFailed", "token registered-token-123456 and per-call-secret-999 refused", {
    secrets: ["per-call-secret-999"],
  });
  const [event] = await eventsFor(w);
  assert.equal(event?.message, "token [REDACTED] and [REDACTED] refused");

  await recorder.normal({ kind: "Widget", metadata: { name: "x" } }, "Bad", "no apiVersion");
  assert.equal(logged.length, 1);
  assert.match(logged[0] ?? "", /could not record an Event/);
});
