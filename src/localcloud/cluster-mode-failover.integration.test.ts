// Integration: automatic failover with 0 replicas per shard. AWS requires failover on for cluster
// mode and allows 0 replicas there (a shard without replicas has nothing to fail over to); without
// cluster mode failover needs NumCacheClusters > 1, and Multi-AZ needs a replica in either mode.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateReplicationGroupCommand,
  DecreaseReplicaCountCommand,
  DeleteReplicationGroupCommand,
  DescribeReplicationGroupsCommand,
  type ElastiCacheClient,
  ModifyReplicationGroupCommand,
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

async function waitGone(id: string): Promise<void> {
  await waitFor(
    `${id} deleted`,
    async () => {
      const e = await errorOf(ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id })));
      return e.code === "ReplicationGroupNotFoundFault" ? true : undefined;
    },
    60_000,
  );
}

test("cluster mode: failover is accepted with 0 replicas per shard; without cluster mode it is not", async () => {
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "shards-only",
      ReplicationGroupDescription: "2 shards, no replicas",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      ClusterMode: "enabled",
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 0,
      AutomaticFailoverEnabled: true,
    }),
  );
  const rg = await waitAvailable("shards-only");
  assert.equal(rg.AutomaticFailover, "enabled");
  assert.equal(rg.ClusterEnabled, true);
  assert.deepEqual(
    rg.NodeGroups?.map((g) => g.NodeGroupMembers?.length),
    [1, 1],
  );
  // The cluster serves keys in both shards.
  const endpoint = rg.ConfigurationEndpoint;
  assert.ok(endpoint?.Port !== undefined);
  for (const key of ["alpha", "omega", "k123"]) {
    redisCli(["-c", "-p", String(endpoint.Port), "SET", key, "v"]);
    assert.equal(redisCli(["-c", "-p", String(endpoint.Port), "GET", key]), "v");
  }
  // Failover is on, but there is nothing to fail over to.
  const noTarget = await errorOf(
    ec.send(new TestFailoverCommand({ ReplicationGroupId: "shards-only", NodeGroupId: "0001" })),
  );
  assert.equal(noTarget.code, "TestFailoverNotAvailableFault");
  // Multi-AZ still needs a replica.
  const multiAz = await errorOf(
    ec.send(
      new ModifyReplicationGroupCommand({
        ReplicationGroupId: "shards-only",
        ApplyImmediately: true,
        MultiAZEnabled: true,
      }),
    ),
  );
  assert.equal(multiAz.code, "InvalidParameterCombination");
  const multiAzAtCreate = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "shards-multiaz",
        ReplicationGroupDescription: "d",
        CacheNodeType: "cache.t3.micro",
        ClusterMode: "enabled",
        NumNodeGroups: 1,
        ReplicasPerNodeGroup: 0,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
      }),
    ),
  );
  assert.equal(multiAzAtCreate.code, "InvalidParameterCombination");

  // Without cluster mode, failover with a single node is refused at create and on modify.
  const single = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "single-failover",
        ReplicationGroupDescription: "d",
        CacheNodeType: "cache.t3.micro",
        NumCacheClusters: 1,
        AutomaticFailoverEnabled: true,
      }),
    ),
  );
  assert.equal(single.code, "InvalidParameterCombination");
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "single-node",
      ReplicationGroupDescription: "one node",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 1,
    }),
  );
  await waitAvailable("single-node");
  const singleModify = await errorOf(
    ec.send(
      new ModifyReplicationGroupCommand({
        ReplicationGroupId: "single-node",
        ApplyImmediately: true,
        AutomaticFailoverEnabled: true,
      }),
    ),
  );
  assert.equal(singleModify.code, "InvalidParameterCombination");

  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "shards-only" }));
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "single-node" }));
  await Promise.all([waitGone("shards-only"), waitGone("single-node")]);
});

test("cluster mode: failover can be turned on with 0 replicas, and replicas removed down to 0", async () => {
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "shard-replica",
      ReplicationGroupDescription: "1 shard, 1 replica",
      CacheNodeType: "cache.t3.micro",
      ClusterMode: "enabled",
      NumNodeGroups: 1,
      ReplicasPerNodeGroup: 1,
      AutomaticFailoverEnabled: true,
    }),
  );
  await waitAvailable("shard-replica");
  await ec.send(
    new DecreaseReplicaCountCommand({
      ReplicationGroupId: "shard-replica",
      ApplyImmediately: true,
      NewReplicaCount: 0,
    }),
  );
  let rg = await waitAvailable("shard-replica");
  assert.equal(rg.NodeGroups?.[0]?.NodeGroupMembers?.length, 1);
  assert.equal(rg.AutomaticFailover, "enabled");

  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "shard-plain",
      ReplicationGroupDescription: "1 shard, failover not asked",
      CacheNodeType: "cache.t3.micro",
      ClusterMode: "enabled",
      NumNodeGroups: 1,
      ReplicasPerNodeGroup: 0,
    }),
  );
  rg = await waitAvailable("shard-plain");
  assert.equal(rg.AutomaticFailover, "disabled");
  await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "shard-plain",
      ApplyImmediately: true,
      AutomaticFailoverEnabled: true,
    }),
  );
  rg = await waitAvailable("shard-plain");
  assert.equal(rg.AutomaticFailover, "enabled");

  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "shard-replica" }));
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "shard-plain" }));
  await Promise.all([waitGone("shard-replica"), waitGone("shard-plain")]);
});
