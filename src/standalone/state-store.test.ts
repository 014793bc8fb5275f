import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { StateStore, withEvents } from "./state-store.ts";

describe("StateStore", () => {
  const dir = mkdtempSync(join(tmpdir(), "state-store-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const now = new Date("2026-11-27T03:00:00.123Z");
  const input = (spec: Record<string, unknown>) => ({
    apiVersion: "v1",
    kind: "ElastiCacheCluster" as const,
    name: "a",
    namespace: "default",
    spec,
    now,
  });

  it("gives a new object a uid, generation 1 and a creation time", () => {
    const store = new StateStore(dir);
    const o = store.prepare(input({ x: 1 }));
    assert.equal(o.metadata.generation, 1);
    assert.match(o.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.equal(o.metadata.creationTimestamp, "2026-11-27T03:00:00Z");
    store.put({ ...o, status: { ready: true } });
    assert.deepEqual(store.get("ElastiCacheCluster", "default", "a")?.status, { ready: true });
  });

  it("keeps uid, status and generation for the same spec; bumps the generation when it changes", () => {
    const store = new StateStore(dir);
    const first = store.get("ElastiCacheCluster", "default", "a");
    const same = store.prepare(input({ x: 1 }));
    assert.equal(same.metadata.uid, first?.metadata.uid);
    assert.equal(same.metadata.generation, 1);
    assert.deepEqual(same.status, { ready: true });
    const changed = store.prepare(input({ x: 2 }));
    assert.equal(changed.metadata.generation, 2);
    assert.equal(changed.metadata.uid, first?.metadata.uid);
  });

  it("lists by kind, removes, and leaves no temp files behind", () => {
    const store = new StateStore(dir);
    store.put(store.prepare({ ...input({}), kind: "AWSProvider", name: "p" }));
    assert.deepEqual(
      store.list("ElastiCacheCluster").map((o) => o.metadata.name),
      ["a"],
    );
    assert.deepEqual(
      store.list("AWSProvider").map((o) => o.metadata.name),
      ["p"],
    );
    store.remove("AWSProvider", "default", "p");
    assert.deepEqual(store.list("AWSProvider"), []);
    assert.deepEqual(readdirSync(join(dir, "objects")), ["ElastiCacheCluster.default.a.json"]);
  });
});

describe("StateStore paths", () => {
  const dir = mkdtempSync(join(tmpdir(), "state-store-paths-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const object = (namespace: string, name: string) =>
    new StateStore(join(dir, "state")).prepare({
      apiVersion: "v1",
      kind: "ElastiCacheCluster",
      name,
      namespace,
      spec: {},
      now: new Date(),
    });

  it("never writes outside the state dir, even for names that were not validated", () => {
    const store = new StateStore(join(dir, "state"));
    for (const [namespace, name] of [
      ["x/../../../../escaped", "a"],
      ["default", "../../escaped"],
      ["..", "a"],
    ] as const) {
      assert.throws(
        () =>
          store.put({
            ...object("default", "a"),
            metadata: { ...object("default", "a").metadata, namespace, name },
          }),
        /refusing to store/,
      );
      assert.throws(() => store.get("ElastiCacheCluster", namespace, name), /refusing to store/);
      assert.throws(() => store.remove("ElastiCacheCluster", namespace, name), /refusing to store/);
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  it("keeps a/b.c and a.b/c apart: the second is not a namespace, so it cannot take the first's file", () => {
    const store = new StateStore(join(dir, "state"));
    store.put(object("a", "b.c"));
    assert.throws(() => store.get("ElastiCacheCluster", "a.b", "c"), /not a valid name/);
    assert.equal(store.get("ElastiCacheCluster", "a", "b.c")?.metadata.name, "b.c");
  });
});

describe("withEvents", () => {
  it("counts a repeated event instead of adding it again, and keeps the last 20", () => {
    const t1 = new Date("2026-11-27T03:00:00Z");
    const t2 = new Date("2026-11-27T03:01:00Z");
    const e = { type: "Normal" as const, reason: "Creating", message: "creating" };
    let events = withEvents(undefined, [e], t1);
    events = withEvents(events, [e], t2);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.count, 2);
    assert.equal(events[0]?.firstTimestamp, "2026-11-27T03:00:00Z");
    assert.equal(events[0]?.lastTimestamp, "2026-11-27T03:01:00Z");
    for (let i = 0; i < 30; i++) events = withEvents(events, [{ ...e, message: `m${i}` }], t2);
    assert.equal(events.length, 20);
    assert.equal(events.at(-1)?.message, "m29");
  });
});
