// Taking a snapshot: one real RDB file per shard, copied by the engine host into the data dir.
import { statSync } from "node:fs";
import { join } from "node:path";
import type { RequestContext } from "../context.ts";
import type {
  CacheClusterRecord,
  ReplicationGroupRecord,
  SnapshotFile,
  SnapshotRecord,
  Tag,
} from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault, notFound } from "./faults.ts";
import { azOf } from "./placement.ts";
import { defaultMaintenanceWindow } from "./topology.ts";

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

/** The node each shard's RDB comes from (its primary), as NodeSnapshots lists them while creating. */
function sourceNodesOf(
  cloud: Cloud,
  shards: { id: string; primary: string }[],
): SnapshotRecord["sourceNodes"] {
  return shards.flatMap((g) => {
    const node = cloud.state.clusters[g.primary]?.nodes[0];
    return node ? [{ cacheClusterId: g.primary, nodeGroupId: g.id, nodeCreateTime: node.createTime }] : [];
  });
}

/** Records a snapshot in state `creating`, describing its source as AWS does. */
export function newSnapshotRecord(
  cloud: Cloud,
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
  const subnetGroup = (name: string | undefined) =>
    name === undefined ? undefined : cloud.state.subnetGroups[name];
  if ("cluster" in source) {
    const c = source.cluster;
    const vpcId = subnetGroup(c.subnetGroupName)?.vpcId;
    return {
      ...base,
      sourceNodes: sourceNodesOf(cloud, [{ id: "0001", primary: c.id }]),
      cacheClusterCreateTime: c.createTime,
      preferredAz: c.preferredAz,
      maintenanceWindow: c.maintenanceWindow,
      ...(vpcId ? { vpcId } : {}),
      snapshotRetentionLimit: c.snapshotRetentionLimit,
      snapshotWindow: c.snapshotWindow,
      autoMinorVersionUpgrade: c.autoMinorVersionUpgrade,
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
  const members = rg.nodeGroups.flatMap((g) => g.members).map((m) => cloud.state.clusters[m]);
  const vpcId = subnetGroup(rg.subnetGroupName)?.vpcId;
  const preferredAz = azOf(members.flatMap((m) => (m ? [m.preferredAz] : [])));
  return {
    ...base,
    sourceNodes: sourceNodesOf(cloud, rg.nodeGroups),
    cacheClusterCreateTime: rg.createTime,
    ...(preferredAz ? { preferredAz } : {}),
    maintenanceWindow: rg.maintenanceWindow ?? members[0]?.maintenanceWindow ?? defaultMaintenanceWindow,
    ...(vpcId ? { vpcId } : {}),
    snapshotRetentionLimit: rg.snapshotRetentionLimit,
    snapshotWindow: rg.snapshotWindow,
    autoMinorVersionUpgrade: rg.autoMinorVersionUpgrade ?? true,
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
  const az = (id: string) => cloud.state.clusters[id]?.preferredAz;
  const shards =
    "cluster" in source
      ? [{ nodeGroupId: "0001", clusterId: source.cluster.id, replicas: [] as string[], slots: undefined }]
      : source.rg.nodeGroups.map((g) => ({
          nodeGroupId: g.id,
          clusterId: g.primary,
          replicas: g.members.filter((m) => m !== g.primary),
          slots: g.slots,
        }));
  const files: SnapshotFile[] = [];
  for (const shard of shards) {
    const node = cloud.state.clusters[shard.clusterId]?.nodes[0];
    if (node === undefined) throw new Error(`cache cluster ${shard.clusterId} has no node to snapshot`);
    const file = join(cloud.snapshotDir(snapshot.name), `${shard.nodeGroupId}.rdb`);
    await cloud.engines.snapshot(node.engineNodeId, file);
    const primaryAz = az(shard.clusterId);
    files.push({
      nodeGroupId: shard.nodeGroupId,
      cacheClusterId: shard.clusterId,
      file,
      size: statSync(file).size,
      ...(shard.slots ? { slots: shard.slots } : {}),
      replicaCount: shard.replicas.length,
      ...(primaryAz ? { primaryAz } : {}),
      replicaAzs: shard.replicas.flatMap((r) => az(r) ?? []),
      nodeCreateTime: node.createTime,
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
  snapshotEvent(cloud, source, `Snapshot ${name} created`);
  return snapshot;
}

/** An event about a snapshot, on its source: the cache cluster, or the replication group. */
export function snapshotEvent(cloud: Cloud, source: SnapshotSource, message: string): void {
  if ("cluster" in source) cloud.event("cache-cluster", source.cluster.id, message);
  else cloud.event("replication-group", source.rg.id, message);
}

/** Keeps the Tags given to CreateSnapshot or CopySnapshot on the new snapshot. */
export function keepSnapshotTags(cloud: Cloud, snapshot: SnapshotRecord, tags: Tag[] | undefined): void {
  if (tags !== undefined && tags.length > 0) cloud.state.tags[snapshot.arn] = tags;
}
