import assert from "node:assert/strict";
import { test } from "node:test";
import { isOlder, OwnWrites } from "./own-writes.ts";
import type { KubeObject } from "./rest.ts";

const obj = (rv: string, uid = "u1", status?: object): KubeObject =>
  ({ metadata: { name: "c", namespace: "n", uid, resourceVersion: rv }, status }) as KubeObject;

test("a lagging informer: our write is used until the informer has it, then the informer's copy", () => {
  const informer = new Map<string, KubeObject>([["n/c", obj("10")]]);
  const writes = new OwnWrites((k) => informer.get(k));
  writes.wrote("n/c", obj("12", "u1", { topology: "CacheCluster" }));
  assert.equal(writes.freshest("n/c")?.metadata?.resourceVersion, "12");
  informer.set("n/c", obj("12", "u1", { topology: "CacheCluster" }));
  assert.equal(writes.freshest("n/c"), informer.get("n/c"));
  assert.equal(writes.size, 0, "forgotten once the informer caught up");
});

test("a newer informer copy (someone else wrote after us) wins", () => {
  const informer = new Map([["n/c", obj("15")]]);
  const writes = new OwnWrites((k) => informer.get(k));
  writes.wrote("n/c", obj("12"));
  assert.equal(writes.freshest("n/c")?.metadata?.resourceVersion, "15");
});

test("deleted, recreated under the same name, or versions that are not integers: the informer's copy", () => {
  const informer = new Map<string, KubeObject>();
  const writes = new OwnWrites((k) => informer.get(k));
  writes.wrote("n/c", obj("12"));
  assert.equal(writes.freshest("n/c"), undefined, "gone from the informer");
  writes.wrote("n/c", obj("12"));
  informer.set("n/c", obj("3", "u2"));
  assert.equal(writes.freshest("n/c")?.metadata?.uid, "u2", "another object of that name");
  assert.equal(isOlder(obj("a1"), obj("b2")), false);
  assert.equal(isOlder(obj("9"), obj("10")), true, "compared as integers, not as strings");
});

test("writes to many keys: entries the informer has caught up with are swept, the map stays small", () => {
  const informer = new Map<string, KubeObject>();
  const writes = new OwnWrites((k) => informer.get(k));
  for (let i = 0; i < 1000; i++) {
    const key = `n/c${i}`;
    informer.set(key, obj("1"));
    writes.wrote(key, obj("2"));
    informer.set(key, obj("2"));
  }
  assert.ok(writes.size <= 2, `${writes.size} entries left`);
});
