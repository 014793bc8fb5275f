// Taking a snapshot: one real RDB file per shard, copied by the engine host into the data dir.
import { statSync } from "node:fs";
import { join } from "node:path";
import type { RequestContext } from "../context.ts";
import type { CacheClusterRecord, ReplicationGroupRecord, SnapshotRecord } from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault, notFound } from "./faults.ts";

/** A snapshot to read from (restore on create, or copy): it must exist and be available. */
export function availableSnapshot(cloud: Cloud, name: unknown): SnapshotRecord {
  const snapshot = cloud.state.snapshots[String(name)];
  if (snapshot === undefined) throw notFound.snapshot(String(name));
  if (snapshot.status !== "available") {
    throw fault(
      "InvalidSnapshotStateFault",
      `Snapshot ${snapshot.name} is not available (it is ${snapshot.status}).`,
    );
  }
  return snapshot;
}

export type SnapshotSource = { cluster: CacheClusterRecord } | { rg: ReplicationGroupRecord };

/** Records a snapshot in state `creating`, describing its source as AWS does. */
export function newSnapshotRecord(
  _cloud: Cloud,
  name: string,
  source: SnapshotSource,
  ctx: RequestContext,
  kind: "manual" | "automated",
): SnapshotRecord {
  const accountId = ctx.principal?.accountId ?? "000000000000";
  const base = {
    name,
    arn: elasticacheArn(ctx.region, accountId, "snapshot", name),
    status: "creating",
    source: kind,
    createTime: ctx.now.toISOString(),
    files: [],
  };
  if ("cluster" in source) {
    const c = source.cluster;
    return {
      ...base,
      cacheClusterId: c.id,
      engine: c.engine === "memcached" ? "redis" : c.engine,
      engineVersion: c.engineVersion,
      nodeType: c.nodeType,
      numCacheNodes: 1,
      clusterMode: false,
      automaticFailover: false,
      ...(c.subnetGroupName ? { subnetGroupName: c.subnetGroupName } : {}),
      parameterGroupName: c.parameterGroupName,
      port: 6379,
    };
  }
  const rg = source.rg;
  return {
    ...base,
    replicationGroupId: rg.id,
    replicationGroupDescription: rg.description,
    engine: rg.engine,
    engineVersion: rg.engineVersion,
    nodeType: rg.nodeType,
    numCacheNodes: rg.nodeGroups.reduce((n, g) => n + g.members.length, 0),
    clusterMode: rg.clusterMode,
    automaticFailover: rg.automaticFailover,
    ...(rg.subnetGroupName ? { subnetGroupName: rg.subnetGroupName } : {}),
    parameterGroupName: rg.parameterGroupName,
    port: 6379,
  };
}

/** Writes the RDB files (from each shard's primary, so the latest writes are in). */
export async function writeSnapshotFiles(
  cloud: Cloud,
  snapshot: SnapshotRecord,
  source: SnapshotSource,
): Promise<void> {
  const shards =
    "cluster" in source
      ? [{ nodeGroupId: "0001", clusterId: source.cluster.id }]
      : source.rg.nodeGroups.map((g) => ({ nodeGroupId: g.id, clusterId: g.primary }));
  const files: SnapshotRecord["files"] = [];
  for (const shard of shards) {
    const node = cloud.state.clusters[shard.clusterId]?.nodes[0];
    if (node === undefined) throw new Error(`cache cluster ${shard.clusterId} has no node to snapshot`);
    const file = join(cloud.snapshotDir(snapshot.name), `${shard.nodeGroupId}.rdb`);
    await cloud.engines.snapshot(node.engineNodeId, file);
    files.push({
      nodeGroupId: shard.nodeGroupId,
      cacheClusterId: shard.clusterId,
      file,
      size: statSync(file).size,
    });
  }
  snapshot.files = files;
}

/** Takes a snapshot inline (used by final snapshots before a delete). */
export async function takeSnapshot(
  cloud: Cloud,
  name: string,
  source: SnapshotSource,
  ctx: RequestContext,
  kind: "manual" | "automated",
): Promise<SnapshotRecord> {
  const snapshot = newSnapshotRecord(cloud, name, source, ctx, kind);
  cloud.state.snapshots[name] = snapshot;
  await writeSnapshotFiles(cloud, snapshot, source);
  snapshot.status = "available";
  cloud.event(
    "cache-cluster",
    "cluster" in source ? source.cluster.id : source.rg.id,
    `Snapshot ${name} created`,
  );
  return snapshot;
}
