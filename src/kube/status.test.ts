import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { writeStatus } from "./status.ts";
import { type KubeTestEnv, kubeTestEnv, newWidget, type Widget, widgets } from "./test-env.ts";

let env: KubeTestEnv;
before(async () => {
  env = await kubeTestEnv("kit-status");
});
after(async () => {
  await env?.close();
});

test("status is written through /status only when it differs", async () => {
  const { rest, namespace } = env;
  const created = await rest.create<Widget>(widgets, newWidget(namespace, "s", { size: 1 }));

  const first = await writeStatus(rest, widgets, created, { ready: false, phase: "Creating", nodes: [1] });
  assert.equal(first.written, true);
  assert.deepEqual(first.object.status, { ready: false, phase: "Creating", nodes: [1] });
  assert.equal(first.object.spec?.size, 1, "spec untouched");

  const again = await writeStatus(rest, widgets, first.object, {
    phase: "Creating",
    nodes: [1],
    ready: false,
  });
  assert.equal(again.written, false, "an equal status (in another key order) is not written");
  const fetched = await rest.get<Widget>(widgets, { namespace, name: "s" });
  assert.equal(fetched.metadata.resourceVersion, first.object.metadata.resourceVersion, "no write happened");

  const second = await writeStatus(rest, widgets, fetched, { ready: true, nodes: [1, 2], note: undefined });
  assert.equal(second.written, true);
  assert.deepEqual(second.object.status, { ready: true, nodes: [1, 2] }, "members not given are removed");
});

test("a stale object is re-read on conflict and the write still lands exactly", async () => {
  const { rest, namespace } = env;
  const created = await rest.create<Widget>(widgets, newWidget(namespace, "c", { size: 1 }));
  // Someone else writes status and spec after our read.
  const other = await writeStatus(rest, widgets, created, { ready: false, byOther: "yes" });
  assert.equal(other.written, true);
  await rest.patch(widgets, { namespace, name: "c" }, { spec: { size: 2 } });

  const mine = await writeStatus(rest, widgets, created, { ready: true });
  assert.equal(mine.written, true);
  assert.deepEqual(mine.object.status, { ready: true }, "recomputed from the fresh object: byOther removed");
  assert.equal(mine.object.spec?.size, 2);
});

test("a missing object is reported as such", async () => {
  const { rest, namespace } = env;
  await assert.rejects(
    writeStatus(rest, widgets, newWidget(namespace, "ghost"), { ready: true }),
    (err: Error) => /404 NotFound/.test(err.message),
  );
});
