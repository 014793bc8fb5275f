// Integration: snapshots and snapshot-related answers as AWS gives them — tags kept, the source's
// settings reported, ShowNodeGroupConfig, CacheClusterNotFound for a missing cluster, events on the
// replication group — plus memcached's missing snapshot settings and the CacheNodeType message.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CopySnapshotCommand,
  CreateCacheClusterCommand,
  CreateCacheSubnetGroupCommand,
  CreateReplicationGroupCommand,
  CreateSnapshotCommand,
  DescribeCacheClustersCommand,
  DescribeCacheSubnetGroupsCommand,
  DescribeEventsCommand,
  DescribeSnapshotsCommand,
  type ElastiCacheClient,
  ListTagsForResourceCommand,
  type Snapshot,
} from "@aws-sdk/client-elasticache";
import { errorOf, startTestCloud, type TestCloud, waitFor, waitGroupAvailable } from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud();
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

function snapshotAvailable(name: string, showNodeGroupConfig = false): Promise<Snapshot> {
  return waitFor(`snapshot ${name}`, async () => {
    const r = await ec.send(
      new DescribeSnapshotsCommand({ SnapshotName: name, ShowNodeGroupConfig: showNodeGroupConfig }),
    );
    return r.Snapshots?.[0]?.SnapshotStatus === "available" ? r.Snapshots[0] : undefined;
  });
}

function clusterAvailable(id: string) {
  return waitFor(`${id} available`, async () => {
    const r = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: id }));
    const c = r.CacheClusters?.[0];
    return c?.CacheClusterStatus === "available" ? c : undefined;
  });
}

test("a cluster snapshot keeps its Tags and reports the source's create time, AZ, window and VPC", async () => {
  await ec.send(
    new CreateCacheSubnetGroupCommand({
      CacheSubnetGroupName: "snap-subnets",
      CacheSubnetGroupDescription: "for snapshots",
      SubnetIds: ["subnet-0a1b2c3d"],
    }),
  );
  const vpcId = (
    await ec.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: "snap-subnets" }))
  ).CacheSubnetGroups?.[0]?.VpcId;
  assert.ok(vpcId);
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "snap-src",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      CacheSubnetGroupName: "snap-subnets",
      PreferredAvailabilityZone: "us-east-1c",
      PreferredMaintenanceWindow: "tue:03:00-tue:04:00",
      SnapshotRetentionLimit: 2,
      SnapshotWindow: "07:00-08:00",
    }),
  );
  const cluster = await clusterAvailable("snap-src");
  const tags = [{ Key: "team", Value: "payments" }];
  const created = await ec.send(
    new CreateSnapshotCommand({ SnapshotName: "tagged", CacheClusterId: "snap-src", Tags: tags }),
  );
  const snap = await snapshotAvailable("tagged");
  const listed = await ec.send(new ListTagsForResourceCommand({ ResourceName: created.Snapshot?.ARN }));
  assert.deepEqual(listed.TagList, tags);
  assert.equal(snap.CacheClusterCreateTime?.toISOString(), cluster.CacheClusterCreateTime?.toISOString());
  assert.equal(snap.PreferredAvailabilityZone, "us-east-1c");
  assert.equal(snap.PreferredMaintenanceWindow, "tue:03:00-tue:04:00");
  assert.equal(snap.VpcId, vpcId);
  assert.equal(snap.SnapshotRetentionLimit, 2);
  assert.equal(snap.SnapshotWindow, "07:00-08:00");

  const copied = await ec.send(
    new CopySnapshotCommand({
      SourceSnapshotName: "tagged",
      TargetSnapshotName: "tagged-copy",
      Tags: [{ Key: "copy", Value: "yes" }],
    }),
  );
  const copyTags = await ec.send(new ListTagsForResourceCommand({ ResourceName: copied.Snapshot?.ARN }));
  assert.deepEqual(copyTags.TagList, [{ Key: "copy", Value: "yes" }]);
});

test("DescribeSnapshots with a CacheClusterId that does not exist answers CacheClusterNotFound", async () => {
  const e = await errorOf(ec.send(new DescribeSnapshotsCommand({ CacheClusterId: "no-such-cluster" })));
  assert.equal(e.code, "CacheClusterNotFound");
});

test("a replication group snapshot: ShowNodeGroupConfig shows each shard's layout, events name the group", async () => {
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "snap-rg",
      ReplicationGroupDescription: "snapshot source",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 2,
    }),
  );
  const rg = await waitGroupAvailable(ec, "snap-rg");
  await ec.send(new CreateSnapshotCommand({ SnapshotName: "rg-snap", ReplicationGroupId: "snap-rg" }));
  const plain = await snapshotAvailable("rg-snap");
  assert.equal(plain.NodeSnapshots?.[0]?.NodeGroupConfiguration, undefined);
  const detailed = await snapshotAvailable("rg-snap", true);
  const members = rg.NodeGroups?.[0]?.NodeGroupMembers ?? [];
  const zoneOf = (role: string) =>
    members.filter((m) => m.CurrentRole === role).map((m) => m.PreferredAvailabilityZone);
  assert.deepEqual(detailed.NodeSnapshots?.[0]?.NodeGroupConfiguration, {
    NodeGroupId: "0001",
    ReplicaCount: 1,
    PrimaryAvailabilityZone: zoneOf("primary")[0],
    ReplicaAvailabilityZones: zoneOf("replica"),
  });
  assert.equal(detailed.CacheClusterCreateTime?.toISOString(), rg.ReplicationGroupCreateTime?.toISOString());
  const events = await ec.send(new DescribeEventsCommand({}));
  const snapshotEvents = (events.Events ?? []).filter((e) => e.Message?.includes("rg-snap"));
  assert.ok(snapshotEvents.length > 0, JSON.stringify(events.Events));
  for (const e of snapshotEvents) {
    assert.equal(e.SourceType, "replication-group");
    assert.equal(e.SourceIdentifier, "snap-rg");
  }
});

test("memcached clusters report no SnapshotRetentionLimit or SnapshotWindow, as on AWS", async () => {
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "mc-nosnap",
      Engine: "memcached",
      CacheNodeType: "cache.t3.micro",
      NumCacheNodes: 1,
    }),
  );
  const c = await clusterAvailable("mc-nosnap");
  assert.equal(c.SnapshotRetentionLimit, undefined);
  assert.equal(c.SnapshotWindow, undefined);
});

test("a missing CacheNodeType is refused with AWS's message", async () => {
  const cluster = await errorOf(
    ec.send(new CreateCacheClusterCommand({ CacheClusterId: "no-type", Engine: "redis" })),
  );
  const group = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({ ReplicationGroupId: "no-type", ReplicationGroupDescription: "x" }),
    ),
  );
  for (const e of [cluster, group]) {
    assert.equal(e.code, "InvalidParameterValue");
    assert.equal(e.message, "The parameter CacheNodeType must be provided and must not be null.");
  }
});
