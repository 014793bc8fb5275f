import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fieldChanges, verdictLine, verdictOf } from "./apply-verdict.ts";
import type { StoredObject } from "./state-store.ts";

function object(spec: Record<string, unknown>, labels?: Record<string, string>): StoredObject {
  return {
    apiVersion: "v1",
    kind: "ElastiCacheCluster",
    metadata: {
      name: "web",
      namespace: "default",
      uid: "u",
      generation: 1,
      creationTimestamp: "2026-01-01T00:00:00Z",
      ...(labels ? { labels } : {}),
    },
    spec,
  };
}

describe("apply verdicts", () => {
  it("says created, unchanged, or configured with each changed field", () => {
    const before = object({ nodeType: "cache.t3.micro", tags: { team: "a" }, numCacheNodes: 1 });
    assert.deepEqual(verdictOf(undefined, before), { word: "created" });
    assert.deepEqual(verdictOf(before, object({ ...before.spec })), { word: "unchanged" });
    const after = object({ nodeType: "cache.t3.small", tags: { team: "a", env: "x" } }, { tier: "1" });
    const verdict = verdictOf(before, after);
    assert.deepEqual(verdict, {
      word: "configured",
      changes: [
        "nodeType: cache.t3.micro → cache.t3.small",
        "numCacheNodes: removed (was 1)",
        "tags.env: added (x)",
        "metadata.labels.tier: added (1)",
      ],
    });
    assert.equal(
      verdictLine("elasticachecluster/web", verdict),
      "elasticachecluster/web configured (nodeType: cache.t3.micro → cache.t3.small; numCacheNodes: removed (was 1); tags.env: added (x); metadata.labels.tier: added (1))",
    );
  });

  it("shows arrays and numbers as JSON", () => {
    assert.deepEqual(fieldChanges({ keys: ["a"] }, { keys: ["a", "b"] }, ""), ['keys: ["a"] → ["a","b"]']);
    assert.deepEqual(fieldChanges({ n: 1 }, { n: 2 }, ""), ["n: 1 → 2"]);
    assert.deepEqual(fieldChanges({}, { tags: { a: "1", b: "2" } }, ""), [
      "tags.a: added (1)",
      "tags.b: added (2)",
    ]);
    assert.deepEqual(fieldChanges({ tags: { a: "1" } }, {}, ""), ["tags.a: removed (was 1)"]);
  });
});
