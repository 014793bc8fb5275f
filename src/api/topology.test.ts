import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateRule } from "./cel.ts";
import { CEL_IS_REPLICATION_GROUP, isClusterMode, type TopologyInputs, topologyOf } from "./topology.ts";

const cases: Array<[string, TopologyInputs, "CacheCluster" | "ReplicationGroup"]> = [
  ["plain redis", { engine: "redis" }, "CacheCluster"],
  ["plain valkey", { engine: "valkey" }, "CacheCluster"],
  ["memcached with many settings", { engine: "memcached", transitEncryptionEnabled: true }, "CacheCluster"],
  [
    "dev redis with features off",
    { engine: "redis", multiAZEnabled: false, transitEncryptionEnabled: false },
    "CacheCluster",
  ],
  ["description", { engine: "redis", replicationGroupDescription: "x" }, "ReplicationGroup"],
  ["shards", { engine: "redis", numNodeGroups: 1 }, "ReplicationGroup"],
  ["zero replicas still a group", { engine: "valkey", replicasPerNodeGroup: 0 }, "ReplicationGroup"],
  ["failover", { engine: "redis", automaticFailoverEnabled: true }, "ReplicationGroup"],
  ["multi-AZ", { engine: "redis", multiAZEnabled: true }, "ReplicationGroup"],
  ["TLS", { engine: "redis", transitEncryptionEnabled: true }, "ReplicationGroup"],
  ["at rest", { engine: "redis", atRestEncryptionEnabled: true }, "ReplicationGroup"],
  ["KMS key", { engine: "redis", kmsKeyId: "k" }, "ReplicationGroup"],
  ["auth token", { engine: "redis", authTokenRef: { name: "a", key: "b" } }, "ReplicationGroup"],
];

/** The spec as the CEL rule sees it (integers are CEL ints). */
const celSpec = (spec: TopologyInputs) =>
  new Map(Object.entries(spec).map(([k, v]) => [k, typeof v === "number" ? BigInt(v) : v]));

describe("topology", () => {
  for (const [name, spec, expected] of cases) {
    it(`${name} -> ${expected}, in TypeScript and in CEL alike`, () => {
      assert.equal(topologyOf(spec), expected);
      const cel = evaluateRule({ rule: CEL_IS_REPLICATION_GROUP, message: "" }, celSpec(spec));
      assert.equal(cel, expected === "ReplicationGroup" ? "pass" : "fail");
    });
  }

  it("cluster mode follows numNodeGroups", () => {
    assert.equal(isClusterMode({ engine: "redis", numNodeGroups: 1 }), true);
    assert.equal(isClusterMode({ engine: "redis", replicasPerNodeGroup: 2 }), false);
  });
});
