// Replication group topology helpers: member cluster names as AWS forms them (<rg>-001, or
// <rg>-0001-001 in cluster mode), slot ranges and the shard layout the engine host wants.
import type { ShardLayout } from "../engines/contract.ts";
import type { CacheClusterRecord, NodeGroupRecord, ReplicationGroupRecord } from "../state/records.ts";
import { newNode } from "./nodes.ts";
import { parseSlots } from "./placement.ts";

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

/**
 * The settings a member cache cluster reports that belong to its replication group. AWS shows them on
 * every member (DescribeCacheClusters), so they follow the group on create, on modify and on scaling.
 */
export function memberSettingsOf(
  rg: ReplicationGroupRecord,
): Pick<
  CacheClusterRecord,
  | "engineVersion"
  | "nodeType"
  | "securityGroupIds"
  | "parameterGroupName"
  | "snapshotRetentionLimit"
  | "snapshotWindow"
  | "maintenanceWindow"
  | "autoMinorVersionUpgrade"
> {
  return {
    engineVersion: rg.engineVersion,
    nodeType: rg.nodeType,
    // A copy: a member must not share (and later lose) the group's array.
    securityGroupIds: [...rg.securityGroupIds],
    parameterGroupName: rg.parameterGroupName,
    snapshotRetentionLimit: rg.snapshotRetentionLimit,
    snapshotWindow: rg.snapshotWindow,
    maintenanceWindow: rg.maintenanceWindow ?? defaultMaintenanceWindow,
    autoMinorVersionUpgrade: rg.autoMinorVersionUpgrade ?? true,
  };
}

/** What AWS picks when no PreferredMaintenanceWindow is given (it chooses one; we choose a fixed one). */
export const defaultMaintenanceWindow = "sun:06:00-sun:07:00";

export function newMemberCluster(
  rg: ReplicationGroupRecord,
  id: string,
  nodeGroupId: string,
  role: "primary" | "replica",
  now: string,
  /** The member's zone when the request names one (NodeGroupConfiguration, PreferredCacheClusterAZs). */
  zone?: string,
): CacheClusterRecord {
  const preferredAz = zone ?? `${rg.region}${"abc"[Number(id.slice(-1)) % 3]}`;
  return {
    id,
    arn: rg.arn.replace(/:replicationgroup:.*$/, `:cluster:${id}`),
    region: rg.region,
    accountId: rg.accountId,
    engine: rg.engine,
    ...memberSettingsOf(rg),
    status: "creating",
    createTime: now,
    preferredAz,
    ...(rg.subnetGroupName ? { subnetGroupName: rg.subnetGroupName } : {}),
    transitEncryption: rg.transitEncryption,
    atRestEncryption: rg.atRestEncryption,
    authTokenDigests: rg.authTokenDigests,
    replicationGroupId: rg.id,
    role,
    nodeGroupId,
    nodes: [{ ...newNode(id, 1, now), availabilityZone: preferredAz }],
  };
}

export function engineNodeOf(clusters: Record<string, CacheClusterRecord>, clusterId: string): string {
  const node = clusters[clusterId]?.nodes[0];
  if (node === undefined) throw new Error(`member cluster ${clusterId} has no node`);
  return node.engineNodeId;
}

/** The layout a new cluster-mode group forms with: each shard with the slots its record names. */
export function clusterLayout(
  clusters: Record<string, CacheClusterRecord>,
  rg: ReplicationGroupRecord,
): ShardLayout[] {
  return shardLayout(clusters, rg.nodeGroups).map((shard, i) => {
    const group = rg.nodeGroups[i];
    return group?.slots ? { ...shard, slots: parseSlots(group.slots, group.id) } : shard;
  });
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
