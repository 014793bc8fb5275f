// Replication group topology helpers: member cluster names as AWS forms them (<rg>-001, or
// <rg>-0001-001 in cluster mode), slot ranges and the shard layout the engine host wants.
import type { ShardLayout } from "../engines/contract.ts";
import type { CacheClusterRecord, NodeGroupRecord, ReplicationGroupRecord } from "../state/records.ts";
import { newNode } from "./nodes.ts";

export const totalSlots = 16384;

/** Even slot ranges over `count` shards, as "start-end" strings. */
export function slotRanges(count: number): string[] {
  const ranges: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((i * totalSlots) / count);
    const end = Math.floor(((i + 1) * totalSlots) / count) - 1;
    ranges.push(`${start}-${end}`);
  }
  return ranges;
}

export function nodeGroupIdOf(index: number): string {
  return String(index).padStart(4, "0");
}

export function memberId(
  rg: { id: string; clusterMode: boolean },
  nodeGroupId: string,
  index: number,
): string {
  const n = String(index).padStart(3, "0");
  return rg.clusterMode ? `${rg.id}-${nodeGroupId}-${n}` : `${rg.id}-${n}`;
}

/** The next free member index within a node group (numbers are never reused while in use). */
export function nextMemberIndex(group: NodeGroupRecord): number {
  const used = group.members.map((m) => Number(m.slice(m.lastIndexOf("-") + 1)));
  return Math.max(0, ...used) + 1;
}

export function newMemberCluster(
  rg: ReplicationGroupRecord,
  id: string,
  nodeGroupId: string,
  role: "primary" | "replica",
  now: string,
): CacheClusterRecord {
  return {
    id,
    arn: rg.arn.replace(/:replicationgroup:.*$/, `:cluster:${id}`),
    region: rg.region,
    accountId: rg.accountId,
    engine: rg.engine,
    engineVersion: rg.engineVersion,
    nodeType: rg.nodeType,
    status: "creating",
    createTime: now,
    preferredAz: `${rg.region}${"abc"[Number(id.slice(-1)) % 3]}`,
    ...(rg.subnetGroupName ? { subnetGroupName: rg.subnetGroupName } : {}),
    securityGroupIds: rg.securityGroupIds,
    parameterGroupName: rg.parameterGroupName,
    snapshotRetentionLimit: rg.snapshotRetentionLimit,
    snapshotWindow: rg.snapshotWindow,
    maintenanceWindow: rg.maintenanceWindow ?? "sun:06:00-sun:07:00",
    autoMinorVersionUpgrade: true,
    transitEncryption: rg.transitEncryption,
    atRestEncryption: rg.atRestEncryption,
    authTokens: rg.authTokens,
    replicationGroupId: rg.id,
    role,
    nodeGroupId,
    nodes: [newNode(id, 1, now)],
  };
}

export function engineNodeOf(clusters: Record<string, CacheClusterRecord>, clusterId: string): string {
  const node = clusters[clusterId]?.nodes[0];
  if (node === undefined) throw new Error(`member cluster ${clusterId} has no node`);
  return node.engineNodeId;
}

export function shardLayout(
  clusters: Record<string, CacheClusterRecord>,
  groups: NodeGroupRecord[],
): ShardLayout[] {
  return groups.map((g) => ({
    primary: engineNodeOf(clusters, g.primary),
    replicas: g.members.filter((m) => m !== g.primary).map((m) => engineNodeOf(clusters, m)),
  }));
}
