import assert from "node:assert/strict";
import { test } from "node:test";
import { LAST_APPLIED_ANNOTATION, leanObject } from "./lean.ts";

test("managedFields and the last-applied annotation are dropped; everything else is kept", () => {
  const obj = leanObject({
    metadata: {
      name: "a",
      resourceVersion: "7",
      managedFields: [{ manager: "kubectl" }],
      annotations: { [LAST_APPLIED_ANNOTATION]: '{"big":"copy"}', keep: "me" },
      labels: { l: "1" },
    },
    spec: { x: 1 },
    status: { y: 2 },
  });
  assert.deepEqual(obj, {
    metadata: { name: "a", resourceVersion: "7", annotations: { keep: "me" }, labels: { l: "1" } },
    spec: { x: 1 },
    status: { y: 2 },
  });
  const only = leanObject({ metadata: { name: "b", annotations: { [LAST_APPLIED_ANNOTATION]: "{}" } } });
  assert.deepEqual(only, { metadata: { name: "b" } });
  assert.deepEqual(leanObject({ kind: "X" }), { kind: "X" });
});
