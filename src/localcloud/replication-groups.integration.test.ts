// Integration: replication groups on real engines through the AWS SDK v3 — replicas with
// replicaof, AUTH + TLS with token rotation, TestFailover, and cluster mode with replica and
// shard scaling (redis-cli -c through the configuration endpoint).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateReplicationGroupCommand,
  DecreaseReplicaCountCommand,
  DeleteCacheClusterCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  type ElastiCacheClient,
  IncreaseReplicaCountCommand,
  ModifyReplicationGroupCommand,
  ModifyReplicationGroupShardConfigurationCommand,
  TestFailoverCommand,
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

const waitAvailable = (id: string) => waitGroupAvailable(ec, id);

const token1 = "first-auth-token-123";
const token2 = "second-auth-token-456";

test("a TLS + AUTH replication group replicates, fails over and rotates its token", async () => {
  const authNoTls = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "secure",
        ReplicationGroupDescription: "d",
        CacheNodeType: "cache.t3.micro",
        AuthToken: token1,
      }),
    ),
  );
  assert.equal(authNoTls.code, "InvalidParameterValue");
  const failoverNoReplica = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "secure",
        ReplicationGroupDescription: "d",
        CacheNodeType: "cache.t3.micro",
        AutomaticFailoverEnabled: true,
        NumCacheClusters: 1,
      }),
    ),
  );
  assert.equal(failoverNoReplica.code, "InvalidParameterCombination");

  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "secure",
      ReplicationGroupDescription: "secure group",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      TransitEncryptionEnabled: true,
      AuthToken: token1,
    }),
  );
  const dup = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "secure",
        ReplicationGroupDescription: "d",
        CacheNodeType: "cache.t3.micro",
      }),
    ),
  );
  assert.equal(dup.code, "ReplicationGroupAlreadyExists");
  const g = await waitAvailable("secure");
  assert.deepEqual(g.MemberClusters, ["secure-001", "secure-002"]);
  assert.equal(g.AuthTokenEnabled, true);
  assert.equal(g.TransitEncryptionEnabled, true);
  const primary = g.NodeGroups?.[0]?.PrimaryEndpoint;
  const reader = g.NodeGroups?.[0]?.ReaderEndpoint;
  assert.ok(primary?.Port && reader?.Port && primary.Port !== reader.Port);
  const tls = ["--tls", "--cacert", t.cloud.caFile];
  const cli = (port: number, args: string[], password?: string) =>
    redisCli(["-p", String(port), ...tls, ...args], password);
  assert.match(cli(primary.Port, ["PING"]), /NOAUTH/);
  assert.equal(cli(primary.Port, ["PING"], token1), "PONG");
  assert.match(
    redisCli(["-p", String(primary.Port), "PING"]),
    /^(?!PONG)/,
    "plain TCP is refused on a TLS node",
  );
  assert.equal(cli(primary.Port, ["SET", "order:1", "paid"], token1), "OK");
  await waitFor("replica has the key", async () =>
    cli(reader.Port as number, ["GET", "order:1"], token1) === "paid" ? true : undefined,
  );
  const members = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: "secure-002" }));
  assert.equal(members.CacheClusters?.[0]?.ReplicationGroupId, "secure");

  await ec.send(new TestFailoverCommand({ ReplicationGroupId: "secure", NodeGroupId: "0001" }));
  const after = await waitAvailable("secure");
  const newPrimary = after.NodeGroups?.[0]?.PrimaryEndpoint;
  assert.equal(newPrimary?.Port, reader.Port, "the primary endpoint follows the promoted replica");
  assert.equal(
    after.NodeGroups?.[0]?.NodeGroupMembers?.find((m) => m.CacheClusterId === "secure-002")?.CurrentRole,
    "primary",
  );
  assert.match(cli(newPrimary.Port, ["INFO", "replication"], token1), /role:master/);
  assert.equal(cli(newPrimary.Port, ["GET", "order:1"], token1), "paid");
  assert.equal(cli(newPrimary.Port, ["SET", "order:2", "new"], token1), "OK");

  await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "secure",
      AuthToken: token2,
      AuthTokenUpdateStrategy: "ROTATE",
      ApplyImmediately: true,
    }),
  );
  await waitAvailable("secure");
  assert.equal(cli(newPrimary.Port, ["PING"], token1), "PONG");
  assert.equal(cli(newPrimary.Port, ["PING"], token2), "PONG");
  await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "secure",
      AuthToken: token2,
      AuthTokenUpdateStrategy: "SET",
      ApplyImmediately: true,
    }),
  );
  await waitAvailable("secure");
  assert.match(cli(newPrimary.Port, ["PING"], token1), /WRONGPASS|invalid/i);
  assert.equal(cli(newPrimary.Port, ["PING"], token2), "PONG");

  const memberDelete = await errorOf(
    ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "ghost" })),
  );
  assert.equal(memberDelete.code, "ReplicationGroupNotFoundFault");
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "secure" }));
  const deleting = await errorOf(
    ec.send(
      new ModifyReplicationGroupCommand({ ReplicationGroupId: "secure", ReplicationGroupDescription: "x" }),
    ),
  );
  assert.equal(deleting.code, "InvalidReplicationGroupState");
});

test("cluster mode: slots over shards, redis-cli -c, replica and shard scaling", async () => {
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "sharded",
      ReplicationGroupDescription: "cluster mode",
      CacheNodeType: "cache.t3.micro",
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 1,
    }),
  );
  let g = await waitAvailable("sharded");
  assert.equal(g.ClusterEnabled, true);
  assert.equal(g.AutomaticFailover, "enabled");
  assert.deepEqual(g.MemberClusters, [
    "sharded-0001-001",
    "sharded-0001-002",
    "sharded-0002-001",
    "sharded-0002-002",
  ]);
  assert.deepEqual(
    g.NodeGroups?.map((n) => n.Slots),
    ["0-8191", "8192-16383"],
  );
  const config = g.ConfigurationEndpoint;
  assert.ok(config?.Port);
  assert.match(redisCli(["-p", String(config.Port), "CLUSTER", "INFO"]), /cluster_state:ok/);
  for (let i = 0; i < 20; i++)
    assert.equal(redisCli(["-c", "-p", String(config.Port), "SET", `key:${i}`, `v${i}`]), "OK");

  const notMore = await errorOf(
    ec.send(
      new IncreaseReplicaCountCommand({
        ReplicationGroupId: "sharded",
        NewReplicaCount: 1,
        ApplyImmediately: true,
      }),
    ),
  );
  assert.equal(notMore.code, "InvalidParameterValue", "the new count must exceed the current one");
  await ec.send(
    new IncreaseReplicaCountCommand({
      ReplicationGroupId: "sharded",
      NewReplicaCount: 2,
      ApplyImmediately: true,
    }),
  );
  g = await waitAvailable("sharded");
  assert.equal(g.NodeGroups?.[0]?.NodeGroupMembers?.length, 3);
  // Cluster topology spreads by gossip; every node sees the 2 new replicas shortly after.
  await waitFor(
    "6 cluster nodes with 4 replicas",
    async () => {
      const nodes = redisCli(["-p", String(config.Port), "CLUSTER", "NODES"])
        .trim()
        .split("\n");
      return nodes.length === 6 && nodes.filter((l) => l.includes("slave")).length === 4 ? true : undefined;
    },
    15_000,
  );

  await ec.send(
    new ModifyReplicationGroupShardConfigurationCommand({
      ReplicationGroupId: "sharded",
      NodeGroupCount: 3,
      ApplyImmediately: true,
    }),
  );
  g = await waitAvailable("sharded");
  assert.deepEqual(
    g.NodeGroups?.map((n) => n.NodeGroupId),
    ["0001", "0002", "0003"],
  );
  assert.match(redisCli(["-p", String(config.Port), "CLUSTER", "INFO"]), /cluster_size:3/);
  for (let i = 0; i < 20; i++)
    assert.equal(redisCli(["-c", "-p", String(config.Port), "GET", `key:${i}`]), `v${i}`);

  const noChoice = await errorOf(
    ec.send(
      new ModifyReplicationGroupShardConfigurationCommand({
        ReplicationGroupId: "sharded",
        NodeGroupCount: 2,
        ApplyImmediately: true,
      }),
    ),
  );
  assert.equal(noChoice.code, "InvalidParameterValue");
  await ec.send(
    new ModifyReplicationGroupShardConfigurationCommand({
      ReplicationGroupId: "sharded",
      NodeGroupCount: 2,
      NodeGroupsToRemove: ["0003"],
      ApplyImmediately: true,
    }),
  );
  g = await waitAvailable("sharded");
  assert.deepEqual(
    g.NodeGroups?.map((n) => n.NodeGroupId),
    ["0001", "0002"],
  );
  const port = g.ConfigurationEndpoint?.Port as number;
  for (let i = 0; i < 20; i++) assert.equal(redisCli(["-c", "-p", String(port), "GET", `key:${i}`]), `v${i}`);

  await ec.send(
    new DecreaseReplicaCountCommand({
      ReplicationGroupId: "sharded",
      NewReplicaCount: 1,
      ApplyImmediately: true,
    }),
  );
  g = await waitAvailable("sharded");
  assert.equal(g.MemberClusters?.length, 4);
  // Cluster mode may go down to 0 replicas (cluster-mode-failover.integration.test.ts); a count that
  // removes nothing is refused.
  const noneRemoved = await errorOf(
    ec.send(
      new DecreaseReplicaCountCommand({
        ReplicationGroupId: "sharded",
        NewReplicaCount: 1,
        ApplyImmediately: true,
      }),
    ),
  );
  assert.equal(noneRemoved.code, "InvalidParameterValue");

  await ec.send(new TestFailoverCommand({ ReplicationGroupId: "sharded", NodeGroupId: "0002" }));
  g = await waitAvailable("sharded");
  assert.match(redisCli(["-c", "-p", String(port), "CLUSTER", "INFO"]), /cluster_state:ok/);
  const missingGroup = await errorOf(
    ec.send(new TestFailoverCommand({ ReplicationGroupId: "sharded", NodeGroupId: "0009" })),
  );
  assert.equal(missingGroup.code, "NodeGroupNotFoundFault");
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "sharded" }));
});

test("cluster mode with TLS and AUTH: redis-cli -c --tls follows redirects with the token", async () => {
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "tls-sharded",
      ReplicationGroupDescription: "cluster mode + TLS",
      CacheNodeType: "cache.t3.micro",
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 1,
      TransitEncryptionEnabled: true,
      AuthToken: token1,
    }),
  );
  const g = await waitAvailable("tls-sharded");
  const port = String(g.ConfigurationEndpoint?.Port);
  const cli = (args: string[], password?: string) =>
    redisCli(["-c", "-p", port, "--tls", "--cacert", t.cloud.caFile, ...args], password);
  assert.match(cli(["SET", "a", "1"]), /NOAUTH/);
  for (const k of ["a", "b", "c", "d"]) assert.equal(cli(["SET", k, k.toUpperCase()], token1), "OK");
  for (const k of ["a", "b", "c", "d"]) assert.equal(cli(["GET", k], token1), k.toUpperCase());
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "tls-sharded" }));
});

test("non-cluster groups: add replicas, choose the primary, remove a named replica", async () => {
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "scale",
      ReplicationGroupDescription: "scaling",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 1,
    }),
  );
  let g = await waitAvailable("scale");
  const firstPort = g.NodeGroups?.[0]?.PrimaryEndpoint?.Port as number;
  assert.equal(redisCli(["-p", String(firstPort), "SET", "stock", "42"]), "OK");
  await ec.send(
    new IncreaseReplicaCountCommand({
      ReplicationGroupId: "scale",
      NewReplicaCount: 2,
      ApplyImmediately: true,
    }),
  );
  g = await waitAvailable("scale");
  assert.deepEqual(g.MemberClusters, ["scale-001", "scale-002", "scale-003"]);
  const replicaPort = g.NodeGroups?.[0]?.NodeGroupMembers?.find((m) => m.CacheClusterId === "scale-002")
    ?.ReadEndpoint?.Port as number;
  await waitFor("new replica synced", async () =>
    redisCli(["-p", String(replicaPort), "GET", "stock"]) === "42" ? true : undefined,
  );

  await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "scale",
      PrimaryClusterId: "scale-002",
      ApplyImmediately: true,
    }),
  );
  g = await waitAvailable("scale");
  assert.equal(g.NodeGroups?.[0]?.PrimaryEndpoint?.Port, replicaPort);
  assert.match(
    redisCli(["-p", String(replicaPort), "INFO", "replication"]),
    /role:master[\s\S]*connected_slaves:2/,
  );

  const primaryRemoval = await errorOf(
    ec.send(
      new DecreaseReplicaCountCommand({
        ReplicationGroupId: "scale",
        ReplicasToRemove: ["scale-002"],
        ApplyImmediately: true,
      }),
    ),
  );
  assert.equal(primaryRemoval.code, "InvalidParameterValue");
  await ec.send(
    new DecreaseReplicaCountCommand({
      ReplicationGroupId: "scale",
      ReplicasToRemove: ["scale-001"],
      ApplyImmediately: true,
    }),
  );
  g = await waitAvailable("scale");
  assert.deepEqual(g.MemberClusters, ["scale-002", "scale-003"]);
  assert.notEqual(
    redisCli(["-p", String(firstPort), "PING"]),
    "PONG",
    "the removed replica's process is gone",
  );
  const primaryDelete = await errorOf(
    ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "scale-002" })),
  );
  assert.equal(primaryDelete.code, "InvalidCacheClusterState");
  // As on AWS, DeleteCacheCluster on a read replica removes it from its group.
  await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "scale-003" }));
  g = await waitAvailable("scale");
  await waitFor("scale-003 gone from the group", async () => {
    const r = await ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "scale" }));
    const members = r.ReplicationGroups?.[0]?.MemberClusters ?? [];
    return members.length === 1 &&
      members[0] === "scale-002" &&
      r.ReplicationGroups?.[0]?.Status === "available"
      ? true
      : undefined;
  });
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "scale" }));
});

test("a replication group's PreferredMaintenanceWindow is kept on its members, at create and modify", async () => {
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "windowed",
      ReplicationGroupDescription: "d",
      CacheNodeType: "cache.t3.micro",
      Engine: "redis",
      PreferredMaintenanceWindow: "sun:03:00-sun:04:00",
    }),
  );
  const group = await waitAvailable("windowed");
  const windowOf = async () => {
    const member = group.MemberClusters?.[0];
    const c = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: member }));
    return c.CacheClusters?.[0]?.PreferredMaintenanceWindow;
  };
  assert.equal(await windowOf(), "sun:03:00-sun:04:00");
  await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "windowed",
      PreferredMaintenanceWindow: "Mon:05:00-Mon:06:00",
      ApplyImmediately: true,
    }),
  );
  await waitAvailable("windowed");
  assert.equal(await windowOf(), "mon:05:00-mon:06:00");
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "windowed" }));
});
