import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { addFinalizer, hasFinalizer, removeFinalizer } from "./finalizers.ts";
import { isNotFound } from "./rest.ts";
import { type KubeTestEnv, kubeTestEnv, newWidget, type Widget, widgets } from "./test-env.ts";

let env: KubeTestEnv;
before(async () => {
  env = await kubeTestEnv("kit-finalizers");
});
after(async () => {
  await env?.close();
});

const MINE = "kit.test.infra-operator.io/cleanup";

test("add and remove are idempotent", async () => {
  const { rest, namespace } = env;
  const w = await rest.create<Widget>(widgets, newWidget(namespace, "idem"));
  const added = await addFinalizer(rest, widgets, w, MINE);
  assert.equal(added.changed, true);
  assert.ok(added.object && hasFinalizer(added.object, MINE));
  const again = await addFinalizer(rest, widgets, added.object ?? w, MINE);
  assert.equal(again.changed, false);
  const removed = await removeFinalizer(rest, widgets, added.object ?? w, MINE);
  assert.equal(removed.changed, true);
  assert.deepEqual(removed.object?.metadata?.finalizers ?? [], []);
});

test("concurrent writers working from the same stale copy keep each other's finalizers", async () => {
  const { rest, namespace } = env;
  const stale = await rest.create<Widget>(widgets, newWidget(namespace, "race"));
  const names = Array.from({ length: 6 }, (_, i) => `kit.test.infra-operator.io/writer-${i}`);
  const results = await Promise.all(names.map((f) => addFinalizer(rest, widgets, stale, f)));
  assert.ok(results.every((r) => r.changed));
  const after1 = await rest.get<Widget>(widgets, { namespace, name: "race" });
  assert.deepEqual([...(after1.metadata.finalizers ?? [])].sort(), [...names].sort());

  // Removing ours (from a copy that has it) while another writer adds theirs from an older copy:
  // both changes survive.
  const [, removed] = await Promise.all([
    addFinalizer(rest, widgets, stale, "kit.test.infra-operator.io/late"),
    removeFinalizer(rest, widgets, after1, names[0] ?? ""),
  ]);
  assert.equal(removed.changed, true);
  const after2 = await rest.get<Widget>(widgets, { namespace, name: "race" });
  assert.ok(!after2.metadata.finalizers?.includes(names[0] ?? ""));
  assert.ok(after2.metadata.finalizers?.includes("kit.test.infra-operator.io/late"));
});

test("removing the last finalizer of a deleted object lets it go; adding then is refused", async () => {
  const { rest, namespace } = env;
  const w = await rest.create<Widget>(widgets, newWidget(namespace, "bye"));
  const added = await addFinalizer(rest, widgets, w, MINE);
  await rest.delete(widgets, { namespace, name: "bye" });
  const deleting = await rest.get<Widget>(widgets, { namespace, name: "bye" });
  assert.ok(deleting.metadata.deletionTimestamp, "held by our finalizer");
  await assert.rejects(
    addFinalizer(rest, widgets, deleting, "kit.test.infra-operator.io/other"),
    /being deleted/,
  );
  const removed = await removeFinalizer(rest, widgets, added.object ?? w, MINE);
  assert.equal(removed.changed, true);
  await assert.rejects(rest.get(widgets, { namespace, name: "bye" }), (err) => isNotFound(err));
  const gone = await removeFinalizer(rest, widgets, deleting, MINE);
  assert.deepEqual(gone, { changed: false, object: undefined }, "an object already gone counts as done");
});
