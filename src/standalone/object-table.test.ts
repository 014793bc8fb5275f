import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { age, clusterTable } from "./object-table.ts";
import type { StoredObject } from "./state-store.ts";

const object = (name: string, status: Record<string, unknown> = {}): StoredObject => ({
  apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
  kind: "ElastiCacheCluster",
  metadata: {
    name,
    namespace: "default",
    uid: "u",
    generation: 1,
    creationTimestamp: "2026-11-27T03:00:00Z",
  },
  spec: { clusterID: `${name}-id`, engine: "redis" },
  status,
});

describe("clusterTable", () => {
  it("has kubectl's printer columns, aligned", () => {
    const table = clusterTable(
      [
        object("a", {
          engineVersion: "7.1.0",
          cacheNodeType: "cache.t3.micro",
          clusterStatus: "available",
          endpoint: "h:1",
          ready: true,
        }),
        object("longer-name"),
      ],
      new Date("2026-11-27T03:05:00Z"),
    );
    assert.equal(
      table,
      [
        "NAME          CLUSTER-ID       ENGINE   VERSION   NODE-TYPE        STATUS      ENDPOINT   READY   AGE",
        "a             a-id             redis    7.1.0     cache.t3.micro   available   h:1        true    5m",
        "longer-name   longer-name-id   redis                                                      false   5m",
      ].join("\n"),
    );
  });

  it("writes ages as kubectl does", () => {
    assert.equal(age(0, 45_000), "45s");
    assert.equal(age(0, 30 * 60_000), "30m");
    assert.equal(age(0, 5 * 3_600_000), "5h");
    assert.equal(age(0, 3 * 86_400_000), "3d");
  });
});
