// Integration: where nodes go and how shards are laid out, as requested — NodeGroupConfiguration
// (per-shard replicas, slots and zones, with the slots really owned by the engines),
// PreferredCacheClusterAZs, memcached AZMode cross-az — and SnapshottingClusterId.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  type ElastiCacheClient,
  ModifyReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import {
  errorOf,
  redisCli,
  startTestCloud,
  type TestCloud,
  waitFor,
  waitGroupAvailable,
} from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud();
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

test("NodeGroupConfiguration sets each shard's replica count, slots and zones, and the engines own those slots", async () => {
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "shaped",
      ReplicationGroupDescription: "uneven shards",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      NumNodeGroups: 2,
      NodeGroupConfiguration: [
        {
          ReplicaCount: 1,
          Slots: "0-999",
          PrimaryAvailabilityZone: "us-east-1b",
          ReplicaAvailabilityZones: ["us-east-1c"],
        },
        {
          ReplicaCount: 2,
          Slots: "1000-16383",
          PrimaryAvailabilityZone: "us-east-1a",
          ReplicaAvailabilityZones: ["us-east-1b", "us-east-1c"],
        },
      ],
    }),
  );
  const rg = await waitGroupAvailable(ec, "shaped");
  const groups = rg.NodeGroups ?? [];
  assert.deepEqual(
    groups.map((g) => [g.Slots, g.NodeGroupMembers?.length]),
    [
      ["0-999", 2],
      ["1000-16383", 3],
    ],
  );
  assert.deepEqual(
    groups.map((g) => g.NodeGroupMembers?.map((m) => m.PreferredAvailabilityZone)),
    [
      ["us-east-1b", "us-east-1c"],
      ["us-east-1a", "us-east-1b", "us-east-1c"],
    ],
  );
  const port = rg.ConfigurationEndpoint?.Port;
  assert.ok(port);
  const nodes = redisCli(["-p", String(port), "CLUSTER", "NODES"]);
  const owned = nodes
    .split("\n")
    .filter((line) => line.includes("master"))
    .map((line) => line.split(" ").slice(8).join(" "))
    .sort();
  assert.deepEqual(owned, ["0-999", "1000-16383"]);
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "shaped" }));
});

test("NodeGroupConfiguration slots that leave slots unowned are refused", async () => {
  const e = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "gappy",
        ReplicationGroupDescription: "x",
        CacheNodeType: "cache.t3.micro",
        NumNodeGroups: 2,
        NodeGroupConfiguration: [{ Slots: "0-999" }, { Slots: "2000-16383" }],
      }),
    ),
  );
  assert.equal(e.code, "InvalidParameterValue");
  assert.match(e.message, /slot 1000/);
});

test("PreferredCacheClusterAZs places the members; a list shorter than NumCacheClusters is refused", async () => {
  const short = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "short-azs",
        ReplicationGroupDescription: "x",
        CacheNodeType: "cache.t3.micro",
        NumCacheClusters: 2,
        PreferredCacheClusterAZs: ["us-east-1c"],
      }),
    ),
  );
  assert.equal(short.code, "InvalidParameterValue");
  assert.match(short.message, /must match the number of preferred availability zones/);
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "placed",
      ReplicationGroupDescription: "members where asked",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 2,
      PreferredCacheClusterAZs: ["us-east-1c", "us-east-1a"],
      SnapshotRetentionLimit: 3,
    }),
  );
  const rg = await waitGroupAvailable(ec, "placed");
  assert.deepEqual(
    rg.NodeGroups?.[0]?.NodeGroupMembers?.map((m) => [m.CacheClusterId, m.PreferredAvailabilityZone]),
    [
      ["placed-001", "us-east-1c"],
      ["placed-002", "us-east-1a"],
    ],
  );
  // Automatic snapshots come from a replica while SnapshotRetentionLimit > 0.
  assert.equal(rg.SnapshottingClusterId, "placed-002");
  const named = await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "placed",
      SnapshottingClusterId: "placed-001",
      ApplyImmediately: true,
    }),
  );
  assert.equal(named.ReplicationGroup?.SnapshottingClusterId, "placed-001");
  await waitGroupAvailable(ec, "placed");
  const off = await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "placed",
      SnapshotRetentionLimit: 0,
      ApplyImmediately: true,
    }),
  );
  assert.equal(off.ReplicationGroup?.SnapshottingClusterId, undefined);
  await waitGroupAvailable(ec, "placed");
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "placed" }));
});

test("memcached AZMode cross-az spreads the nodes over the region's zones", async () => {
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "spread",
      Engine: "memcached",
      CacheNodeType: "cache.t3.micro",
      NumCacheNodes: 3,
      AZMode: "cross-az",
    }),
  );
  const c = await waitFor("spread available", async () => {
    const r = await ec.send(
      new DescribeCacheClustersCommand({ CacheClusterId: "spread", ShowCacheNodeInfo: true }),
    );
    const found = r.CacheClusters?.[0];
    return found?.CacheClusterStatus === "available" ? found : undefined;
  });
  const zones = (c.CacheNodes ?? []).map((n) => n.CustomerAvailabilityZone);
  assert.equal(new Set(zones).size, 3, JSON.stringify(zones));
  assert.equal(c.PreferredAvailabilityZone, "Multiple");
  const mismatch = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "mismatch",
        Engine: "memcached",
        CacheNodeType: "cache.t3.micro",
        NumCacheNodes: 3,
        AZMode: "cross-az",
        PreferredAvailabilityZones: ["us-east-1a", "us-east-1b"],
      }),
    ),
  );
  assert.equal(mismatch.code, "InvalidParameterCombination");
});
