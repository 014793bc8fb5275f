import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonEqual, mergePatch, toJson } from "./json-merge.ts";

test("jsonEqual compares deeply and ignores key order", () => {
  assert.equal(jsonEqual({ a: [1, { b: 2 }], c: "x" }, { c: "x", a: [1, { b: 2 }] }), true);
  assert.equal(jsonEqual({ a: [1, 2] }, { a: [2, 1] }), false);
  assert.equal(jsonEqual({ a: 1 }, { a: 1, b: null }), false);
  assert.equal(jsonEqual(null, {}), false);
});

test("toJson normalises what JSON would change", () => {
  assert.deepEqual(toJson({ a: undefined, d: new Date(0) }), { d: "1970-01-01T00:00:00.000Z" });
});

test("mergePatch sets changes, nulls removals and recurses into objects", () => {
  const from = { ready: false, nodes: 1, conditions: [{ type: "Ready" }], endpoint: { host: "a", port: 1 } };
  const to = {
    ready: true,
    conditions: [{ type: "Ready" }, { type: "Synced" }],
    endpoint: { host: "a", port: 2 },
  };
  assert.deepEqual(mergePatch(from, to), {
    ready: true,
    conditions: [{ type: "Ready" }, { type: "Synced" }],
    endpoint: { port: 2 },
    nodes: null,
  });
  assert.deepEqual(mergePatch(to, to), {});
});
