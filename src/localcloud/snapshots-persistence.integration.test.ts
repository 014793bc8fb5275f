// Integration: real RDB snapshots (create, copy, restore with SnapshotName, delete, final
// snapshot) and persistence — a restart brings every resource back on the same ports with its data.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import {
  CopySnapshotCommand,
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  CreateSnapshotCommand,
  DeleteCacheClusterCommand,
  DeleteReplicationGroupCommand,
  DeleteSnapshotCommand,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  DescribeSnapshotsCommand,
  type ElastiCacheClient,
  type Snapshot,
} from "@aws-sdk/client-elasticache";
import { errorOf, redisCli, startTestCloud, type TestCloud, waitFor } from "./testing/harness.ts";

let t: TestCloud;
const ec = (): ElastiCacheClient => t.elasticache();

before(async () => {
  t = await startTestCloud();
});
after(async () => {
  await t?.stop();
});

async function clusterPort(id: string): Promise<number> {
  return waitFor(`${id} available`, async () => {
    const r = await ec().send(
      new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }),
    );
    const c = r.CacheClusters?.[0];
    return c?.CacheClusterStatus === "available" ? c.CacheNodes?.[0]?.Endpoint?.Port : undefined;
  });
}

async function snapshotAvailable(name: string): Promise<Snapshot> {
  return waitFor(`snapshot ${name}`, async () => {
    const r = await ec().send(new DescribeSnapshotsCommand({ SnapshotName: name }));
    return r.Snapshots?.[0]?.SnapshotStatus === "available" ? r.Snapshots[0] : undefined;
  });
}

test("snapshots are real RDB files: create, copy, restore into a new cluster, delete", async () => {
  await ec().send(
    new CreateCacheClusterCommand({
      CacheClusterId: "source",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
    }),
  );
  const port = await clusterPort("source");
  assert.equal(redisCli(["-p", String(port), "SET", "greeting", "hello"]), "OK");
  await ec().send(new CreateSnapshotCommand({ SnapshotName: "snap-1", CacheClusterId: "source" }));
  const snap = await snapshotAvailable("snap-1");
  assert.equal(snap.CacheClusterId, "source");
  assert.equal(snap.SnapshotSource, "manual");
  assert.equal(snap.NodeSnapshots?.length, 1);
  const dup = await errorOf(
    ec().send(new CreateSnapshotCommand({ SnapshotName: "snap-1", CacheClusterId: "source" })),
  );
  assert.equal(dup.code, "SnapshotAlreadyExistsFault");
  const both = await errorOf(
    ec().send(
      new CreateSnapshotCommand({
        SnapshotName: "snap-2",
        CacheClusterId: "source",
        ReplicationGroupId: "x",
      }),
    ),
  );
  assert.equal(both.code, "InvalidParameterCombination");

  await ec().send(new CopySnapshotCommand({ SourceSnapshotName: "snap-1", TargetSnapshotName: "snap-copy" }));
  const byCluster = await ec().send(new DescribeSnapshotsCommand({ CacheClusterId: "source" }));
  assert.deepEqual(
    byCluster.Snapshots?.map((s) => s.SnapshotName),
    ["snap-1", "snap-copy"],
  );

  await ec().send(
    new CreateCacheClusterCommand({
      CacheClusterId: "restored",
      SnapshotName: "snap-copy",
      CacheNodeType: "cache.t3.micro",
    }),
  );
  const restoredPort = await clusterPort("restored");
  assert.equal(redisCli(["-p", String(restoredPort), "GET", "greeting"]), "hello");

  await ec().send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "restored-rg",
      ReplicationGroupDescription: "from snapshot",
      SnapshotName: "snap-1",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 2,
    }),
  );
  const rgReader = await waitFor("restored-rg", async () => {
    const r = await ec().send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "restored-rg" }));
    const g = r.ReplicationGroups?.[0];
    return g?.Status === "available" ? g.NodeGroups?.[0]?.ReaderEndpoint?.Port : undefined;
  });
  await waitFor("replica of restored group has the key", async () =>
    redisCli(["-p", String(rgReader), "GET", "greeting"]) === "hello" ? true : undefined,
  );

  await ec().send(new DeleteSnapshotCommand({ SnapshotName: "snap-copy" }));
  const gone = await errorOf(ec().send(new DescribeSnapshotsCommand({ SnapshotName: "snap-copy" })));
  assert.equal(gone.code, "SnapshotNotFoundFault");
  assert.equal(existsSync(`${t.dataDir}/snapshots/snap-copy`), false);
  const noSnap = await errorOf(
    ec().send(
      new CreateCacheClusterCommand({
        CacheClusterId: "r2",
        SnapshotName: "snap-copy",
        CacheNodeType: "cache.t3.micro",
      }),
    ),
  );
  assert.equal(noSnap.code, "SnapshotNotFoundFault");

  await ec().send(
    new DeleteCacheClusterCommand({ CacheClusterId: "restored", FinalSnapshotIdentifier: "restored-final" }),
  );
  const final = await snapshotAvailable("restored-final");
  assert.equal(final.CacheClusterId, "restored");
});

test("a cluster-mode snapshot holds one RDB per shard and restores into the same number of shards", async () => {
  const available = (id: string) =>
    waitFor(`${id} available`, async () => {
      const r = await ec().send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }));
      const g = r.ReplicationGroups?.[0];
      return g?.Status === "available" ? g : undefined;
    });
  await ec().send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "cm-src",
      ReplicationGroupDescription: "cluster mode source",
      CacheNodeType: "cache.t3.micro",
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 0,
    }),
  );
  const port = String((await available("cm-src")).ConfigurationEndpoint?.Port);
  for (const k of ["a", "b", "c", "d", "e"])
    assert.equal(redisCli(["-c", "-p", port, "SET", k, k.toUpperCase()]), "OK");
  await ec().send(new CreateSnapshotCommand({ SnapshotName: "cm-snap", ReplicationGroupId: "cm-src" }));
  const snap = await snapshotAvailable("cm-snap");
  assert.deepEqual(
    snap.NodeSnapshots?.map((n) => n.NodeGroupId),
    ["0001", "0002"],
  );
  const wrongShards = await errorOf(
    ec().send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "cm-bad",
        ReplicationGroupDescription: "x",
        CacheNodeType: "cache.t3.micro",
        NumNodeGroups: 3,
        SnapshotName: "cm-snap",
      }),
    ),
  );
  assert.equal(wrongShards.code, "InvalidParameterValue");
  await ec().send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "cm-dst",
      ReplicationGroupDescription: "restored",
      CacheNodeType: "cache.t3.micro",
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 1,
      SnapshotName: "cm-snap",
    }),
  );
  const restoredPort = String((await available("cm-dst")).ConfigurationEndpoint?.Port);
  for (const k of ["a", "b", "c", "d", "e"])
    assert.equal(redisCli(["-c", "-p", restoredPort, "GET", k]), k.toUpperCase());
  await ec().send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "cm-src" }));
});

test("a restart brings clusters, replication groups, snapshots and tags back with their data and ports", async () => {
  const port = await clusterPort("source");
  assert.equal(redisCli(["-p", String(port), "SET", "persisted", "yes"]), "OK");
  const before = await ec().send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "restored-rg" }));
  const primaryPort = before.ReplicationGroups?.[0]?.NodeGroups?.[0]?.PrimaryEndpoint?.Port;
  await t.restart();
  assert.notEqual(redisCli(["-p", String(port), "PING"]), "", "the engine answers again");
  assert.equal(await clusterPort("source"), port, "same port after restart");
  assert.equal(redisCli(["-p", String(port), "GET", "persisted"]), "yes");
  const afterRestart = await ec().send(
    new DescribeReplicationGroupsCommand({ ReplicationGroupId: "restored-rg" }),
  );
  assert.equal(afterRestart.ReplicationGroups?.[0]?.Status, "available");
  assert.equal(afterRestart.ReplicationGroups?.[0]?.NodeGroups?.[0]?.PrimaryEndpoint?.Port, primaryPort);
  assert.match(redisCli(["-p", String(primaryPort), "INFO", "replication"]), /connected_slaves:1/);
  const snaps = await ec().send(new DescribeSnapshotsCommand({}));
  assert.deepEqual(
    snaps.Snapshots?.map((s) => s.SnapshotName),
    ["cm-snap", "restored-final", "snap-1"],
  );
  const cm = await ec().send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "cm-dst" }));
  assert.equal(cm.ReplicationGroups?.[0]?.Status, "available");
  const cmPort = String(cm.ReplicationGroups?.[0]?.ConfigurationEndpoint?.Port);
  await waitFor("cluster mode group serves after restart", async () =>
    redisCli(["-p", cmPort, "CLUSTER", "INFO"]).includes("cluster_state:ok") ? true : undefined,
  );
  for (const k of ["a", "b", "c", "d", "e"])
    assert.equal(redisCli(["-c", "-p", cmPort, "GET", k]), k.toUpperCase());
});
