// Integration: the operations around the caches on the real local cloud with real engines —
// ListAllowedNodeTypeModifications, reserved node offerings and purchases, service updates rolled out
// over real nodes, and the EC2-Classic-only cache security groups.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  BatchApplyUpdateActionCommand,
  BatchStopUpdateActionCommand,
  CreateCacheClusterCommand,
  CreateCacheSecurityGroupCommand,
  CreateCacheSubnetGroupCommand,
  CreateReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeCacheSecurityGroupsCommand,
  DescribeReservedCacheNodesCommand,
  DescribeReservedCacheNodesOfferingsCommand,
  DescribeServiceUpdatesCommand,
  DescribeUpdateActionsCommand,
  type ElastiCacheClient,
  ListAllowedNodeTypeModificationsCommand,
  ListTagsForResourceCommand,
  ModifyCacheSubnetGroupCommand,
  PurchaseReservedCacheNodesOfferingCommand,
  RebootCacheClusterCommand,
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
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "svc-redis",
      Engine: "redis",
      CacheNodeType: "cache.m6g.large",
    }),
  );
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "svc-group",
      ReplicationGroupDescription: "service operations",
      CacheNodeType: "cache.t3.small",
      NumCacheClusters: 2,
    }),
  );
  await waitGroupAvailable(ec, "svc-group");
  await clusterAvailable("svc-redis");
});
after(async () => {
  await t?.stop();
});

function clusterAvailable(id: string) {
  return waitFor(`${id} available`, async () => {
    const r = await ec.send(
      new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }),
    );
    const c = r.CacheClusters?.[0];
    return c?.CacheClusterStatus === "available" &&
      c.CacheNodes?.every((n) => n.CacheNodeStatus === "available")
      ? c
      : undefined;
  });
}

test("ListAllowedNodeTypeModifications lists larger types as scale-ups and smaller ones as scale-downs", async () => {
  const group = await ec.send(
    new ListAllowedNodeTypeModificationsCommand({ ReplicationGroupId: "svc-group" }),
  );
  assert.ok(group.ScaleUpModifications?.includes("cache.r7g.large"));
  assert.ok(group.ScaleUpModifications?.includes("cache.t3.medium"));
  assert.ok(!group.ScaleUpModifications?.includes("cache.t3.small"), "not the current type");
  assert.deepEqual(
    group.ScaleDownModifications?.filter((n) => n.startsWith("cache.t3")),
    ["cache.t3.micro"],
  );
  const cluster = await ec.send(new ListAllowedNodeTypeModificationsCommand({ CacheClusterId: "svc-redis" }));
  assert.ok(cluster.ScaleDownModifications?.includes("cache.t4g.medium"));
  assert.ok(cluster.ScaleUpModifications?.includes("cache.m6g.xlarge"));
  const missing = await errorOf(
    ec.send(new ListAllowedNodeTypeModificationsCommand({ ReplicationGroupId: "nope" })),
  );
  assert.equal(missing.code, "ReplicationGroupNotFoundFault");
  const neither = await errorOf(ec.send(new ListAllowedNodeTypeModificationsCommand({})));
  assert.equal(neither.code, "InvalidParameterValue");
});

test("reserved nodes: offerings priced from the catalog, a purchase goes payment-pending -> active", async () => {
  const offerings = await ec.send(
    new DescribeReservedCacheNodesOfferingsCommand({
      CacheNodeType: "cache.r7g.large",
      Duration: "1",
      ProductDescription: "redis",
    }),
  );
  const types = offerings.ReservedCacheNodesOfferings?.map((o) => o.OfferingType).sort();
  assert.deepEqual(types, ["All Upfront", "No Upfront", "Partial Upfront"]);
  const noUpfront = offerings.ReservedCacheNodesOfferings?.find((o) => o.OfferingType === "No Upfront");
  assert.equal(noUpfront?.Duration, 31536000);
  assert.equal(noUpfront?.FixedPrice, 0);
  assert.equal(noUpfront?.RecurringCharges?.[0]?.RecurringChargeFrequency, "Hourly");
  const allUpfront = offerings.ReservedCacheNodesOfferings?.find((o) => o.OfferingType === "All Upfront");
  assert.ok((allUpfront?.FixedPrice ?? 0) > 0);
  assert.deepEqual(allUpfront?.RecurringCharges, []);
  const page = await ec.send(new DescribeReservedCacheNodesOfferingsCommand({ MaxRecords: 20 }));
  assert.equal(page.ReservedCacheNodesOfferings?.length, 20);
  assert.ok(page.Marker);
  const badDuration = await errorOf(
    ec.send(new DescribeReservedCacheNodesOfferingsCommand({ Duration: "2" })),
  );
  assert.equal(badDuration.code, "InvalidParameterValue");

  const bought = await ec.send(
    new PurchaseReservedCacheNodesOfferingCommand({
      ReservedCacheNodesOfferingId: noUpfront?.ReservedCacheNodesOfferingId,
      ReservedCacheNodeId: "my-reservation",
      CacheNodeCount: 2,
      Tags: [{ Key: "cost-center", Value: "42" }],
    }),
  );
  assert.equal(bought.ReservedCacheNode?.State, "payment-pending");
  assert.equal(bought.ReservedCacheNode?.CacheNodeCount, 2);
  assert.equal(
    bought.ReservedCacheNode?.ReservationARN,
    "arn:aws:elasticache:us-east-1:000000000000:reserved-instance:my-reservation",
  );
  const active = await waitFor("reservation active", async () => {
    const r = await ec.send(new DescribeReservedCacheNodesCommand({ ReservedCacheNodeId: "my-reservation" }));
    return r.ReservedCacheNodes?.[0]?.State === "active" ? r.ReservedCacheNodes[0] : undefined;
  });
  assert.equal(active.CacheNodeType, "cache.r7g.large");
  assert.deepEqual(
    (await ec.send(new ListTagsForResourceCommand({ ResourceName: active.ReservationARN }))).TagList,
    [{ Key: "cost-center", Value: "42" }],
  );
  const again = await errorOf(
    ec.send(
      new PurchaseReservedCacheNodesOfferingCommand({
        ReservedCacheNodesOfferingId: noUpfront?.ReservedCacheNodesOfferingId,
        ReservedCacheNodeId: "my-reservation",
      }),
    ),
  );
  assert.equal(again.code, "ReservedCacheNodeAlreadyExists");
  const unknown = await errorOf(
    ec.send(
      new PurchaseReservedCacheNodesOfferingCommand({
        ReservedCacheNodesOfferingId: "00000000-0000-4000-a000-000000000000",
      }),
    ),
  );
  assert.equal(unknown.code, "ReservedCacheNodesOfferingNotFound");
  const notThere = await errorOf(
    ec.send(new DescribeReservedCacheNodesCommand({ ReservedCacheNodeId: "other" })),
  );
  assert.equal(notThere.code, "ReservedCacheNodeNotFound");
});

test("service updates: an update action rolls over the nodes of a cache cluster and restarts them", async () => {
  const updates = await ec.send(new DescribeServiceUpdatesCommand({ ServiceUpdateStatus: ["available"] }));
  const names = updates.ServiceUpdates?.map((u) => u.ServiceUpdateName) ?? [];
  assert.ok(names.includes("elc-20251001-001") && !names.includes("elc-20190611-001"));

  const before = await ec.send(
    new DescribeUpdateActionsCommand({
      ServiceUpdateName: "elc-20251001-001",
      ShowNodeLevelUpdateStatus: true,
    }),
  );
  const forCluster = before.UpdateActions?.find((a) => a.CacheClusterId === "svc-redis");
  const forGroup = before.UpdateActions?.find((a) => a.ReplicationGroupId === "svc-group");
  assert.equal(forCluster?.UpdateActionStatus, "not-applied");
  assert.equal(forCluster?.NodesUpdated, "0/1");
  assert.equal(forGroup?.NodesUpdated, "0/2");
  assert.equal(forGroup?.NodeGroupUpdateStatus?.[0]?.NodeGroupMemberUpdateStatus?.length, 2);
  assert.ok(
    !before.UpdateActions?.some((a) => a.CacheClusterId === "svc-group-001"),
    "members are covered by their group",
  );

  const port = String((await clusterAvailable("svc-redis")).CacheNodes?.[0]?.Endpoint?.Port);
  const runId = () => /run_id:(\w+)/.exec(redisCli(["-p", port, "INFO", "server"]))?.[1];
  const runBefore = runId();
  assert.ok(runBefore);

  const applied = await ec.send(
    new BatchApplyUpdateActionCommand({
      ServiceUpdateName: "elc-20251001-001",
      CacheClusterIds: ["svc-redis", "no-such-cluster", "svc-group-001"],
    }),
  );
  assert.deepEqual(applied.ProcessedUpdateActions, [
    {
      CacheClusterId: "svc-redis",
      ServiceUpdateName: "elc-20251001-001",
      UpdateActionStatus: "waiting-to-start",
    },
  ]);
  assert.deepEqual(
    applied.UnprocessedUpdateActions?.map((u) => [u.CacheClusterId, u.ErrorType]),
    [
      ["no-such-cluster", "CacheClusterNotFoundFault"],
      ["svc-group-001", "InvalidParameterValue"],
    ],
  );
  const complete = await waitFor("update action complete", async () => {
    const r = await ec.send(
      new DescribeUpdateActionsCommand({ CacheClusterIds: ["svc-redis"], ShowNodeLevelUpdateStatus: true }),
    );
    const a = r.UpdateActions?.find((x) => x.ServiceUpdateName === "elc-20251001-001");
    return a?.UpdateActionStatus === "complete" ? a : undefined;
  });
  assert.equal(complete.NodesUpdated, "1/1");
  assert.equal(complete.SlaMet, "yes");
  assert.equal(complete.CacheNodeUpdateStatus?.[0]?.NodeUpdateStatus, "complete");
  assert.equal(complete.CacheNodeUpdateStatus?.[0]?.NodeUpdateInitiatedBy, "customer");
  await clusterAvailable("svc-redis");
  assert.notEqual(runId(), runBefore, "the node was restarted");

  const stopDone = await ec.send(
    new BatchStopUpdateActionCommand({
      ServiceUpdateName: "elc-20251001-001",
      CacheClusterIds: ["svc-redis"],
    }),
  );
  assert.equal(
    stopDone.UnprocessedUpdateActions?.[0]?.ErrorType,
    "InvalidParameterValue",
    "already complete",
  );
  const stopGroup = await ec.send(
    new BatchStopUpdateActionCommand({
      ServiceUpdateName: "elc-20251001-001",
      ReplicationGroupIds: ["svc-group"],
    }),
  );
  assert.equal(stopGroup.ProcessedUpdateActions?.[0]?.UpdateActionStatus, "stopped");
  const stopped = await ec.send(
    new DescribeUpdateActionsCommand({ ReplicationGroupIds: ["svc-group"], UpdateActionStatus: ["stopped"] }),
  );
  assert.equal(stopped.UpdateActions?.length, 1);

  const expired = await ec.send(
    new BatchApplyUpdateActionCommand({
      ServiceUpdateName: "elc-20190611-001",
      ReplicationGroupIds: ["svc-group"],
    }),
  );
  assert.match(expired.UnprocessedUpdateActions?.[0]?.ErrorMessage ?? "", /expired/);
  const wrongEngine = await ec.send(
    new BatchApplyUpdateActionCommand({
      ServiceUpdateName: "elc-20251015-001",
      ReplicationGroupIds: ["svc-group"],
    }),
  );
  assert.match(wrongEngine.UnprocessedUpdateActions?.[0]?.ErrorMessage ?? "", /does not apply/);
  const unknown = await errorOf(
    ec.send(
      new BatchApplyUpdateActionCommand({ ServiceUpdateName: "elc-nope", CacheClusterIds: ["svc-redis"] }),
    ),
  );
  assert.equal(unknown.code, "ServiceUpdateNotFoundFault");
});

test("cache security groups are EC2-Classic only: refused as on a VPC account", async () => {
  for (const call of [
    ec.send(new DescribeCacheSecurityGroupsCommand({})),
    ec.send(new CreateCacheSecurityGroupCommand({ CacheSecurityGroupName: "classic", Description: "x" })),
  ]) {
    const e = await errorOf(call);
    assert.equal(e.code, "InvalidParameterValue");
    assert.match(e.message, /Use of cache security groups is not permitted/);
  }
});

test("RebootCacheCluster restarts the engine, and the rebooted node's keys are lost, as AWS documents", async () => {
  const c = await clusterAvailable("svc-redis");
  const port = String(c.CacheNodes?.[0]?.Endpoint?.Port);
  assert.equal(redisCli(["-p", port, "SET", "before-reboot", "1"]), "OK");
  const runBefore = /run_id:(\w+)/.exec(redisCli(["-p", port, "INFO", "server"]))?.[1];
  await ec.send(
    new RebootCacheClusterCommand({ CacheClusterId: "svc-redis", CacheNodeIdsToReboot: ["0001"] }),
  );
  const after = await clusterAvailable("svc-redis");
  assert.equal(String(after.CacheNodes?.[0]?.Endpoint?.Port), port, "same endpoint");
  assert.notEqual(
    /run_id:(\w+)/.exec(redisCli(["-p", port, "INFO", "server"]))?.[1],
    runBefore,
    "a new process",
  );
  assert.equal(redisCli(["-p", port, "EXISTS", "before-reboot"]), "0");
});

test("ModifyCacheSubnetGroup keeps a subnet in every zone its clusters use, and the group's VPC", async () => {
  const created = await ec.send(
    new CreateCacheSubnetGroupCommand({
      CacheSubnetGroupName: "svc-subnets",
      CacheSubnetGroupDescription: "two zones",
      SubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
    }),
  );
  const zones = created.CacheSubnetGroup?.Subnets?.map((s) => s.SubnetAvailabilityZone?.Name);
  assert.deepEqual(zones, ["us-east-1a", "us-east-1b"]);
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "svc-in-b",
      Engine: "memcached",
      CacheNodeType: "cache.t3.micro",
      CacheSubnetGroupName: "svc-subnets",
      PreferredAvailabilityZone: "us-east-1b",
    }),
  );
  await clusterAvailable("svc-in-b");
  const takesB = await errorOf(
    ec.send(
      new ModifyCacheSubnetGroupCommand({
        CacheSubnetGroupName: "svc-subnets",
        SubnetIds: ["subnet-0aaa1111"],
      }),
    ),
  );
  assert.equal(takesB.code, "SubnetInUse");
  assert.match(takesB.message, /subnet-0bbb2222.*svc-in-b/);
  const moved = await ec.send(
    new ModifyCacheSubnetGroupCommand({
      CacheSubnetGroupName: "svc-subnets",
      SubnetIds: ["subnet-0bbb2222", "subnet-0ccc3333"],
    }),
  );
  assert.equal(moved.CacheSubnetGroup?.VpcId, created.CacheSubnetGroup?.VpcId, "the group stays in its VPC");
  assert.deepEqual(
    moved.CacheSubnetGroup?.Subnets?.map((s) => [s.SubnetIdentifier, s.SubnetAvailabilityZone?.Name]),
    [
      ["subnet-0bbb2222", "us-east-1b"],
      ["subnet-0ccc3333", "us-east-1b"],
    ],
  );
  const invalid = await errorOf(
    ec.send(new ModifyCacheSubnetGroupCommand({ CacheSubnetGroupName: "svc-subnets", SubnetIds: ["sn-1"] })),
  );
  assert.equal(invalid.code, "InvalidSubnet");
  const missing = await errorOf(ec.send(new ModifyCacheSubnetGroupCommand({ CacheSubnetGroupName: "nope" })));
  assert.equal(missing.code, "CacheSubnetGroupNotFoundFault");
});
