// AWS's descriptions (SDK shapes) turned into the engine's ObservedCache. Addresses are kept exactly as
// AWS returns them; statuses are lower-cased; nothing is invented: a value AWS does not give stays
// undefined. A replication group lacks some settings (engine version, security groups, subnet and
// parameter group, maintenance window): those come from its member cache clusters, when given.
import type { CacheCluster, ReplicationGroup, Endpoint as SdkEndpoint } from "@aws-sdk/client-elasticache";
import type { Endpoint, ObservedCache, ObservedNode, ObservedShard } from "../planner/model.ts";

export function endpointOf(e: SdkEndpoint | undefined): Endpoint | undefined {
  if (e?.Address === undefined || e.Port === undefined) return undefined;
  return { address: e.Address, port: e.Port };
}

function lower(s: string | undefined): string {
  return (s ?? "").toLowerCase();
}

/** True when a PendingModifiedValues structure lists anything. */
export function hasPending(values: object | undefined): boolean {
  if (values === undefined) return false;
  return Object.values(values).some(
    (v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !isEmptyObject(v),
  );
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !hasPending(v);
}

function securityGroupIdsOf(c: CacheCluster | undefined): string[] {
  return (c?.SecurityGroups ?? []).flatMap((g) => (g.SecurityGroupId ? [g.SecurityGroupId] : []));
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function observeCacheCluster(c: CacheCluster): ObservedCache {
  const nodes = c.CacheNodes ?? [];
  return {
    topology: "CacheCluster",
    id: c.CacheClusterId ?? "",
    arn: c.ARN ?? "",
    status: lower(c.CacheClusterStatus),
    engine: c.Engine ?? "",
    engineVersion: c.EngineVersion ?? "",
    nodeType: c.CacheNodeType ?? "",
    clusterMode: false,
    ...optional("numCacheNodes", c.NumCacheNodes),
    shards: [],
    memberClusters: [],
    transitEncryption: c.TransitEncryptionEnabled ?? false,
    atRestEncryption: c.AtRestEncryptionEnabled ?? false,
    authTokenEnabled: c.AuthTokenEnabled ?? false,
    snapshotRetentionLimit: c.SnapshotRetentionLimit ?? 0,
    ...optional("snapshotWindow", c.SnapshotWindow),
    ...optional("maintenanceWindow", c.PreferredMaintenanceWindow),
    securityGroupIds: securityGroupIdsOf(c),
    ...optional("subnetGroupName", c.CacheSubnetGroupName),
    ...optional("parameterGroupName", c.CacheParameterGroup?.CacheParameterGroupName),
    ...optional("autoMinorVersionUpgrade", c.AutoMinorVersionUpgrade),
    ...optional("configurationEndpoint", endpointOf(c.ConfigurationEndpoint)),
    nodeEndpoints: nodes.flatMap((n) => {
      const e = endpointOf(n.Endpoint);
      return e !== undefined && n.CacheNodeId !== undefined ? [{ ...e, nodeID: n.CacheNodeId }] : [];
    }),
    ...optional("createTime", c.CacheClusterCreateTime?.toISOString()),
    pendingChanges: hasPending(c.PendingModifiedValues),
  };
}

function roleOf(role: string | undefined): "primary" | "replica" | undefined {
  return role === "primary" || role === "replica" ? role : undefined;
}

function automaticFailoverOf(v: string | undefined): ObservedCache["automaticFailover"] {
  const s = lower(v);
  return s === "enabled" || s === "disabled" || s === "enabling" || s === "disabling" ? s : undefined;
}

/**
 * A replication group and (some of) its member cache clusters. The members fill what the group does
 * not describe and the endpoints of nodes AWS lists without one (cluster mode).
 */
export function observeReplicationGroup(rg: ReplicationGroup, members: CacheCluster[] = []): ObservedCache {
  const byId = new Map(members.map((m) => [m.CacheClusterId, m]));
  const memberIds = rg.MemberClusters ?? [];
  const first = memberIds.map((id) => byId.get(id)).find((m) => m !== undefined) ?? members[0];
  const memberEndpoint = (id: string | undefined) => endpointOf(byId.get(id)?.CacheNodes?.[0]?.Endpoint);
  const shards: ObservedShard[] = (rg.NodeGroups ?? []).map((g) => ({
    id: g.NodeGroupId ?? "",
    ...optional("status", g.Status === undefined ? undefined : lower(g.Status)),
    ...optional("primaryEndpoint", endpointOf(g.PrimaryEndpoint)),
    ...optional("readerEndpoint", endpointOf(g.ReaderEndpoint)),
    ...optional("slots", g.Slots),
    nodes: (g.NodeGroupMembers ?? []).map(
      (m): ObservedNode => ({
        id: m.CacheClusterId ?? m.CacheNodeId ?? "",
        ...optional("cacheClusterId", m.CacheClusterId),
        ...optional("role", roleOf(m.CurrentRole)),
        ...optional("endpoint", endpointOf(m.ReadEndpoint) ?? memberEndpoint(m.CacheClusterId)),
        ...optional("status", lower(byId.get(m.CacheClusterId)?.CacheClusterStatus) || undefined),
      }),
    ),
  }));
  const clusterMode = rg.ClusterEnabled ?? lower(rg.ClusterMode) === "enabled";
  const firstGroup = rg.NodeGroups?.[0];
  return {
    topology: "ReplicationGroup",
    id: rg.ReplicationGroupId ?? "",
    arn: rg.ARN ?? "",
    status: lower(rg.Status),
    engine: rg.Engine ?? first?.Engine ?? "",
    engineVersion: first?.EngineVersion ?? "",
    nodeType: rg.CacheNodeType ?? first?.CacheNodeType ?? "",
    clusterMode,
    shards,
    memberClusters: memberIds,
    ...optional("description", rg.Description),
    ...optional("automaticFailover", automaticFailoverOf(rg.AutomaticFailover)),
    ...optional("multiAZ", rg.MultiAZ === undefined ? undefined : lower(rg.MultiAZ) === "enabled"),
    transitEncryption: rg.TransitEncryptionEnabled ?? false,
    atRestEncryption: rg.AtRestEncryptionEnabled ?? false,
    ...optional("kmsKeyId", rg.KmsKeyId),
    authTokenEnabled: rg.AuthTokenEnabled ?? false,
    snapshotRetentionLimit: rg.SnapshotRetentionLimit ?? 0,
    ...optional("snapshotWindow", rg.SnapshotWindow),
    ...optional("maintenanceWindow", first?.PreferredMaintenanceWindow),
    securityGroupIds: securityGroupIdsOf(first),
    ...optional("subnetGroupName", first?.CacheSubnetGroupName),
    ...optional("parameterGroupName", first?.CacheParameterGroup?.CacheParameterGroupName),
    ...optional("userGroupIds", rg.UserGroupIds === undefined ? undefined : [...rg.UserGroupIds].sort()),
    ...optional("autoMinorVersionUpgrade", rg.AutoMinorVersionUpgrade ?? first?.AutoMinorVersionUpgrade),
    ...optional("configurationEndpoint", endpointOf(rg.ConfigurationEndpoint)),
    ...optional("primaryEndpoint", clusterMode ? undefined : endpointOf(firstGroup?.PrimaryEndpoint)),
    ...optional("readerEndpoint", clusterMode ? undefined : endpointOf(firstGroup?.ReaderEndpoint)),
    nodeEndpoints: shards.flatMap((s) =>
      s.nodes.flatMap((n) => (n.endpoint !== undefined ? [{ ...n.endpoint, nodeID: n.id }] : [])),
    ),
    ...optional("createTime", rg.ReplicationGroupCreateTime?.toISOString()),
    pendingChanges:
      hasPending(rg.PendingModifiedValues) ||
      members.some((m) => memberIds.includes(m.CacheClusterId ?? "") && hasPending(m.PendingModifiedValues)),
  };
}

/** Tags as a record, from ListTagsForResource's TagList. */
export function tagsOf(list: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? "";
  return out;
}
