// Create/Describe/Modify/DeleteReplicationGroup with AWS's parameter rules. Member clusters are
// real CacheClusters (<rg>-001..., or <rg>-0001-001... in cluster mode) whose nodes are real
// engine processes, replicating (replicaof) or joined into a Redis Cluster.
import type { Handler, RequestContext } from "../context.ts";
import { tokenDigest } from "../engines/redis-config.ts";
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { CacheClusterRecord, NodeGroupRecord, ReplicationGroupRecord, Tag } from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import { defaultParameterGroup, resolveEngineVersion } from "./catalog.ts";
import type { Cloud } from "./cloud.ts";
import { fault, notFound } from "./faults.ts";
import { startNodes, stopNodes } from "./nodes.ts";
import { paginate } from "./pagination.ts";
import { applyParameterChanges, differingParameters } from "./parameter-apply.ts";
import {
  compatibleGroup,
  findParameterGroup,
  groupEnablesClusterMode,
  type ParameterGroup,
} from "./parameter-groups.ts";
import { shardPlans } from "./placement.ts";
import { pushAclUsers } from "./rbac-sync.ts";
import { renderReplicationGroup } from "./render.ts";
import { userGroupsOnCreate, userGroupsOnModify } from "./replication-group-user-groups.ts";
import { restoreSourceOf } from "./restore-source.ts";
import {
  applyTokenStrategy,
  checkTagLimit,
  rejectUnsupported,
  unsupportedEverywhere,
} from "./shared-rules.ts";
import { takeSnapshot } from "./snapshot-work.ts";
import { clusterLayout, engineNodeOf, memberId, memberSettingsOf, newMemberCluster } from "./topology.ts";
import { validAuthToken, validIdentifier, validNodeType } from "./validation.ts";

export const maxShards = 90;
export const maxReplicas = 5;

export function getGroup(cloud: Cloud, id: unknown): ReplicationGroupRecord {
  const rg = cloud.state.replicationGroups[String(id ?? "").toLowerCase()];
  if (rg === undefined) throw notFound.replicationGroup(String(id));
  return rg;
}

export function requireGroupAvailable(rg: ReplicationGroupRecord): void {
  if (rg.status !== "available") {
    throw fault(
      "InvalidReplicationGroupStateFault",
      `Replication group ${rg.id} is not in available state (it is ${rg.status}).`,
    );
  }
}

export function membersOf(cloud: Cloud, rg: ReplicationGroupRecord): CacheClusterRecord[] {
  return rg.nodeGroups
    .flatMap((g) => g.members.map((m) => cloud.state.clusters[m]))
    .filter((c) => c !== undefined);
}

export function setMembersStatus(cloud: Cloud, rg: ReplicationGroupRecord, status: string): void {
  for (const c of membersOf(cloud, rg)) c.status = status;
}

/** Non-cluster groups: make every member but the primary replicate from it. */
export async function attachReplicas(
  cloud: Cloud,
  rg: ReplicationGroupRecord,
  group: NodeGroupRecord,
  members: string[],
) {
  const primary = engineNodeOf(cloud.state.clusters, group.primary);
  for (const m of members) {
    if (m === group.primary) continue;
    if (rg.clusterMode) await cloud.engines.addClusterReplica(engineNodeOf(cloud.state.clusters, m), primary);
    else await cloud.engines.replicate(engineNodeOf(cloud.state.clusters, m), primary);
  }
}

interface Sizing {
  clusterMode: boolean;
  shards: number;
  replicas: number;
  automaticFailover: boolean;
}

function sizing(
  input: RequestContext["input"],
  snapshotShards: number | undefined,
  /** cluster-enabled of the CacheParameterGroupName given, if one was. */
  groupClusterMode: boolean | undefined,
): Sizing {
  const nodeGroupConfig = (input.NodeGroupConfiguration as Record<string, unknown>[] | undefined) ?? [];
  const requestedMode = input.ClusterMode as string | undefined;
  if (requestedMode === "disabled" && ((input.NumNodeGroups as number | undefined) ?? 1) > 1) {
    throw invalidCombination(
      "ClusterMode disabled allows a single node group; remove NumNodeGroups or enable cluster mode.",
    );
  }
  const clusterMode =
    requestedMode === "enabled" ||
    (requestedMode !== "disabled" && input.NumNodeGroups !== undefined) ||
    nodeGroupConfig.length > 1 ||
    groupClusterMode === true ||
    (snapshotShards !== undefined && snapshotShards > 1);
  if (clusterMode && groupClusterMode === false) {
    throw invalidCombination(
      "The cache parameter group has cluster-enabled=no; cluster mode needs a parameter group with cluster-enabled=yes (such as default.<family>.cluster.on).",
    );
  }
  if (
    input.NumCacheClusters !== undefined &&
    (input.NumNodeGroups !== undefined || input.ReplicasPerNodeGroup !== undefined)
  ) {
    throw invalidCombination(
      "NumCacheClusters cannot be combined with NumNodeGroups or ReplicasPerNodeGroup.",
    );
  }
  let shards = 1;
  let replicas: number;
  if (clusterMode) {
    shards = (input.NumNodeGroups as number | undefined) ?? (nodeGroupConfig.length || snapshotShards || 1);
    if (shards < 1 || shards > maxShards) {
      throw fault(
        "NodeGroupsPerReplicationGroupQuotaExceededFault",
        `NumNodeGroups must be between 1 and ${maxShards}.`,
      );
    }
    // Per-shard counts come from NodeGroupConfiguration (shardPlans); this is the largest.
    replicas =
      (input.ReplicasPerNodeGroup as number | undefined) ??
      Math.max(0, ...nodeGroupConfig.map((c) => (c.ReplicaCount as number | undefined) ?? 0));
  } else {
    const total =
      (input.NumCacheClusters as number | undefined) ??
      ((input.ReplicasPerNodeGroup as number | undefined) ??
        (nodeGroupConfig[0]?.ReplicaCount as number | undefined) ??
        0) + 1;
    if (total < 1 || total > maxReplicas + 1)
      throw invalidParameter(`NumCacheClusters must be between 1 and ${maxReplicas + 1}.`);
    replicas = total - 1;
  }
  if (replicas < 0 || replicas > maxReplicas)
    throw invalidParameter(`ReplicasPerNodeGroup must be between 0 and ${maxReplicas}.`);
  const requested = input.AutomaticFailoverEnabled as boolean | undefined;
  const automaticFailover = requested ?? (clusterMode && replicas > 0);
  // Cluster mode takes failover with 0 replicas (AWS requires it on for cluster mode; a shard without
  // replicas just has nothing to fail over to). Without cluster mode AWS wants NumCacheClusters > 1.
  if (automaticFailover && replicas === 0 && !clusterMode) {
    throw invalidCombination(
      "Automatic failover needs NumCacheClusters >= 2 (at least one replica) without cluster mode.",
    );
  }
  if (clusterMode && requested === false && replicas > 0) {
    throw invalidCombination(
      "Cluster mode replication groups with replicas require AutomaticFailoverEnabled=true.",
    );
  }
  return { clusterMode, shards, replicas, automaticFailover };
}

function create(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const id = validIdentifier(input.ReplicationGroupId, "ReplicationGroupId", 40);
  rejectUnsupported(input, [...unsupportedEverywhere, "GlobalReplicationGroupId", "DataTieringEnabled"]);
  if (cloud.state.replicationGroups[id])
    throw fault("ReplicationGroupAlreadyExistsFault", `Replication group ${id} already exists.`);
  const snapshot = restoreSourceOf(cloud, input);
  const engine = String(input.Engine ?? snapshot?.engine ?? "redis");
  if (engine !== "redis" && engine !== "valkey") {
    throw invalidParameter(
      `Invalid Engine '${engine}' for a replication group: use redis or valkey (memcached uses CreateCacheCluster).`,
    );
  }
  const version = resolveEngineVersion(
    engine,
    (input.EngineVersion as string | undefined) ?? snapshot?.engineVersion,
  );
  if (version === undefined)
    throw invalidParameter(`Cannot find version ${String(input.EngineVersion)} for ${engine}.`);
  const nodeType = validNodeType(input.CacheNodeType ?? snapshot?.nodeType);
  const chosenGroup =
    input.CacheParameterGroupName === undefined
      ? undefined
      : compatibleGroup(cloud, input.CacheParameterGroupName, version.family, version.version);
  const size = sizing(
    input,
    snapshot?.clusterMode ? snapshot.files.length : undefined,
    chosenGroup ? groupEnablesClusterMode(chosenGroup) : undefined,
  );
  if (snapshot && size.shards !== Math.max(1, snapshot.files.length)) {
    throw invalidParameter(
      `Snapshot ${snapshot.name} has ${snapshot.files.length} shard(s); restore it into the same number of node groups.`,
    );
  }
  const plans = shardPlans(input, size, ctx.region, maxReplicas);
  const multiAz = (input.MultiAZEnabled as boolean | undefined) ?? false;
  if (multiAz && !size.automaticFailover)
    throw invalidCombination("MultiAZEnabled requires AutomaticFailoverEnabled=true.");
  if (multiAz && plans.some((p) => p.replicas === 0))
    throw invalidCombination("MultiAZEnabled needs at least one replica per node group.");
  const subnetGroupName = input.CacheSubnetGroupName as string | undefined;
  if (subnetGroupName !== undefined && !cloud.state.subnetGroups[subnetGroupName.toLowerCase()]) {
    throw notFound.subnetGroup(subnetGroupName);
  }
  const transit = (input.TransitEncryptionEnabled as boolean | undefined) ?? false;
  let authTokens: string[] = [];
  if (input.AuthToken !== undefined) {
    if (!transit)
      throw invalidParameter(
        "The AUTH token is only supported when encryption-in-transit is enabled (TransitEncryptionEnabled=true).",
      );
    authTokens = [tokenDigest(validAuthToken(input.AuthToken))];
  }
  const userGroupIds = userGroupsOnCreate(
    cloud,
    { engine, engineVersion: version.version, transitEncryption: transit },
    input,
    authTokens,
  );
  const tags = (input.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  const now = ctx.now.toISOString();
  const accountId = ctx.principal?.accountId ?? "000000000000";
  const rg: ReplicationGroupRecord = {
    id,
    arn: elasticacheArn(ctx.region, accountId, "replicationgroup", id),
    region: ctx.region,
    accountId,
    description: String(input.ReplicationGroupDescription ?? ""),
    status: "creating",
    engine,
    engineVersion: version.version,
    nodeType,
    clusterMode: size.clusterMode,
    nodeGroups: [],
    automaticFailover: size.automaticFailover,
    multiAz,
    transitEncryption: transit,
    atRestEncryption: (input.AtRestEncryptionEnabled as boolean | undefined) ?? false,
    authTokenDigests: authTokens,
    ...(authTokens.length > 0 ? { authTokenLastModified: now } : {}),
    snapshotRetentionLimit: (input.SnapshotRetentionLimit as number | undefined) ?? 0,
    snapshotWindow: (input.SnapshotWindow as string | undefined) ?? "05:00-06:00",
    ...(input.PreferredMaintenanceWindow
      ? { maintenanceWindow: String(input.PreferredMaintenanceWindow).toLowerCase() }
      : {}),
    ...(subnetGroupName ? { subnetGroupName: subnetGroupName.toLowerCase() } : {}),
    securityGroupIds: (input.SecurityGroupIds as string[] | undefined) ?? [],
    parameterGroupName: chosenGroup?.name ?? defaultParameterGroup(version.family, size.clusterMode),
    autoMinorVersionUpgrade: (input.AutoMinorVersionUpgrade as boolean | undefined) ?? true,
    createTime: now,
    ...(input.KmsKeyId ? { kmsKeyId: String(input.KmsKeyId) } : {}),
    ...(userGroupIds.length > 0 ? { userGroupIds } : {}),
  };
  const zones = new Map<string, string | undefined>();
  for (const plan of plans) {
    const members = Array.from({ length: plan.replicas + 1 }, (_, i) =>
      memberId(rg, plan.nodeGroupId, i + 1),
    );
    const group: NodeGroupRecord = { id: plan.nodeGroupId, members, primary: members[0] as string };
    if (plan.slots) group.slots = plan.slots;
    rg.nodeGroups.push(group);
    members.forEach((m, i) => {
      zones.set(m, i === 0 ? plan.primaryAz : plan.replicaAzs[i - 1]);
    });
  }
  for (const g of rg.nodeGroups) {
    for (const m of g.members) {
      if (cloud.state.clusters[m])
        throw fault("CacheClusterAlreadyExistsFault", `Cache cluster ${m} already exists.`);
    }
  }
  cloud.state.replicationGroups[id] = rg;
  for (const g of rg.nodeGroups) {
    for (const m of g.members)
      cloud.state.clusters[m] = newMemberCluster(
        rg,
        m,
        g.id,
        m === g.primary ? "primary" : "replica",
        now,
        zones.get(m),
      );
  }
  if (tags.length > 0) cloud.state.tags[rg.arn] = tags;
  cloud.save();
  cloud.background(
    `creating replication group ${id}`,
    async () => {
      await Promise.all(
        rg.nodeGroups.flatMap((g, i) =>
          g.members.map((m) => {
            const restore = m === g.primary ? snapshot?.files[i]?.file : undefined;
            return startNodes(cloud, cloud.state.clusters[m] as CacheClusterRecord, {
              clusterEnabled: rg.clusterMode,
              ...(restore ? { restoreRdbFile: restore } : {}),
            });
          }),
        ),
      );
      if (rg.clusterMode) await cloud.engines.createCluster(clusterLayout(cloud.state.clusters, rg));
      else for (const g of rg.nodeGroups) await attachReplicas(cloud, rg, g, g.members);
      await cloud.pace();
      setMembersStatus(cloud, rg, "available");
      rg.status = "available";
      cloud.event(
        "replication-group",
        id,
        snapshot ? `Replication group restored from snapshot ${snapshot.name}` : "Replication group created",
      );
    },
    (message) => {
      rg.status = "create-failed";
      setMembersStatus(cloud, rg, "create-failed");
      cloud.event("replication-group", id, `Failed to create replication group: ${message}`);
    },
  );
  return { ReplicationGroup: renderReplicationGroup(rg, cloud.state) };
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const groups =
    ctx.input.ReplicationGroupId !== undefined
      ? [getGroup(cloud, ctx.input.ReplicationGroupId)]
      : Object.values(cloud.state.replicationGroups).sort((a, b) => a.id.localeCompare(b.id));
  const page = paginate(groups, ctx.input);
  return {
    ReplicationGroups: page.items.map((rg) => renderReplicationGroup(rg, cloud.state)),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

function modify(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const rg = getGroup(cloud, input.ReplicationGroupId);
  requireGroupAvailable(rg);
  rejectUnsupported(input, [...unsupportedEverywhere, "NodeGroupId"]);
  const updates: (() => void)[] = [];
  if (input.ReplicationGroupDescription !== undefined)
    updates.push(() => (rg.description = String(input.ReplicationGroupDescription)));
  if (input.AutomaticFailoverEnabled !== undefined) {
    const on = input.AutomaticFailoverEnabled as boolean;
    if (on && !rg.clusterMode && rg.nodeGroups.some((g) => g.members.length < 2)) {
      throw invalidCombination(
        "Automatic failover needs at least one replica without cluster mode; add replicas first (IncreaseReplicaCount).",
      );
    }
    if (!on && rg.clusterMode)
      throw invalidCombination("Automatic failover cannot be disabled in cluster mode.");
    if (!on && (rg.multiAz || input.MultiAZEnabled === true))
      throw invalidCombination("Disable MultiAZ before automatic failover.");
    updates.push(() => (rg.automaticFailover = on));
  }
  if (input.MultiAZEnabled !== undefined) {
    const on = input.MultiAZEnabled as boolean;
    if (on && !(input.AutomaticFailoverEnabled ?? rg.automaticFailover)) {
      throw invalidCombination("MultiAZEnabled requires AutomaticFailoverEnabled=true.");
    }
    if (on && rg.nodeGroups.some((g) => g.members.length < 2)) {
      throw invalidCombination(
        "MultiAZEnabled needs at least one replica in every node group; add replicas first (IncreaseReplicaCount).",
      );
    }
    updates.push(() => (rg.multiAz = on));
  }
  if (input.CacheNodeType !== undefined) {
    const t = validNodeType(input.CacheNodeType);
    updates.push(() => (rg.nodeType = t));
  }
  if (input.EngineVersion !== undefined) {
    const v = resolveEngineVersion(rg.engine, String(input.EngineVersion));
    if (v === undefined)
      throw invalidParameter(`Cannot find version ${String(input.EngineVersion)} for ${rg.engine}.`);
    updates.push(() => (rg.engineVersion = v.version));
  }
  if (input.SnapshotRetentionLimit !== undefined)
    updates.push(() => (rg.snapshotRetentionLimit = input.SnapshotRetentionLimit as number));
  if (input.SnapshotWindow !== undefined)
    updates.push(() => (rg.snapshotWindow = String(input.SnapshotWindow)));
  if (input.SnapshottingClusterId !== undefined) {
    const source = String(input.SnapshottingClusterId).toLowerCase();
    if (rg.clusterMode)
      throw invalidCombination(
        "SnapshottingClusterId is not supported in cluster mode (every shard is backed up).",
      );
    if (!rg.nodeGroups[0]?.members.includes(source))
      throw invalidParameter(
        `SnapshottingClusterId ${source} is not a member of replication group ${rg.id}.`,
      );
    updates.push(() => (rg.snapshottingClusterId = source));
  }
  if (input.SecurityGroupIds !== undefined)
    updates.push(() => (rg.securityGroupIds = input.SecurityGroupIds as string[]));
  if (input.PreferredMaintenanceWindow !== undefined) {
    const window = String(input.PreferredMaintenanceWindow).toLowerCase();
    updates.push(() => (rg.maintenanceWindow = window));
  }
  let groupChange: { group: ParameterGroup; names: string[] } | undefined;
  if (input.CacheParameterGroupName !== undefined) {
    const version = resolveEngineVersion(rg.engine, String(input.EngineVersion ?? rg.engineVersion));
    const group = compatibleGroup(
      cloud,
      input.CacheParameterGroupName,
      version?.family ?? "",
      version?.version ?? rg.engineVersion,
    );
    if (groupEnablesClusterMode(group) !== rg.clusterMode) {
      throw invalidCombination(
        `Cache parameter group ${group.name} has cluster-enabled=${rg.clusterMode ? "no" : "yes"}, but replication group ${rg.id} has cluster mode ${rg.clusterMode ? "enabled" : "disabled"}.`,
      );
    }
    groupChange = {
      group,
      names: differingParameters(findParameterGroup(cloud, rg.parameterGroupName), group),
    };
    updates.push(() => (rg.parameterGroupName = group.name));
  }
  if (input.AutoMinorVersionUpgrade !== undefined)
    updates.push(() => (rg.autoMinorVersionUpgrade = input.AutoMinorVersionUpgrade as boolean));
  let newPrimary: string | undefined;
  if (input.PrimaryClusterId !== undefined) {
    if (rg.clusterMode)
      throw invalidCombination("PrimaryClusterId is not supported in cluster mode; use TestFailover.");
    newPrimary = String(input.PrimaryClusterId).toLowerCase();
    if (!rg.nodeGroups[0]?.members.includes(newPrimary))
      throw invalidParameter(`Cache cluster ${newPrimary} is not a member of ${rg.id}.`);
    if (newPrimary === rg.nodeGroups[0]?.primary) newPrimary = undefined;
  }
  let tokens: string[] | undefined;
  if (input.AuthToken !== undefined || input.AuthTokenUpdateStrategy !== undefined) {
    tokens = applyTokenStrategy(rg.authTokenDigests, rg.transitEncryption, input);
  }
  const userGroups = userGroupsOnModify(cloud, rg, input, tokens ?? rg.authTokenDigests);
  for (const u of updates) u();
  // Members report the group's settings (security groups, parameter group, versions, windows...).
  for (const c of membersOf(cloud, rg)) Object.assign(c, memberSettingsOf(rg));
  if (groupChange) applyParameterChanges(cloud, membersOf(cloud, rg), groupChange.group, groupChange.names);
  if (updates.length === 0 && tokens === undefined && newPrimary === undefined && userGroups === undefined) {
    return { ReplicationGroup: renderReplicationGroup(rg, cloud.state) };
  }
  rg.status = "modifying";
  if (userGroups) rg.pendingUserGroups = { add: userGroups.add, remove: userGroups.remove };
  cloud.save();
  const now = ctx.now.toISOString();
  cloud.background(
    `modifying replication group ${rg.id}`,
    async () => {
      if (tokens !== undefined) {
        for (const c of membersOf(cloud, rg)) {
          for (const n of c.nodes) await cloud.engines.setAuthTokens(n.engineNodeId, tokens);
          c.authTokenDigests = tokens;
          c.authTokenLastModified = now;
        }
        rg.authTokenDigests = tokens;
        rg.authTokenLastModified = now;
      }
      if (userGroups) {
        rg.userGroupIds = userGroups.next;
        await pushAclUsers(cloud, rg);
        delete rg.pendingUserGroups;
      }
      if (newPrimary !== undefined)
        await failover(cloud, rg, rg.nodeGroups[0] as NodeGroupRecord, newPrimary);
      await cloud.pace();
      rg.status = "available";
      cloud.event("replication-group", rg.id, "Replication group modified");
    },
    (message) => {
      rg.status = "available";
      delete rg.pendingUserGroups;
      cloud.event("replication-group", rg.id, `Failed to modify replication group: ${message}`);
    },
  );
  return { ReplicationGroup: renderReplicationGroup(rg, cloud.state) };
}

/** Promotes `target` in a node group; in non-cluster mode the others follow the new primary. */
export async function failover(
  cloud: Cloud,
  rg: ReplicationGroupRecord,
  group: NodeGroupRecord,
  target: string,
): Promise<void> {
  const old = group.primary;
  await cloud.engines.promote(engineNodeOf(cloud.state.clusters, target));
  group.primary = target;
  if (!rg.clusterMode) {
    const primary = engineNodeOf(cloud.state.clusters, target);
    for (const m of group.members) {
      if (m !== target) await cloud.engines.replicate(engineNodeOf(cloud.state.clusters, m), primary);
    }
  }
  for (const m of group.members) {
    const c = cloud.state.clusters[m];
    if (c) c.role = m === target ? "primary" : "replica";
  }
  cloud.event("replication-group", rg.id, `Failover from primary ${old} to replica ${target} completed`);
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const rg = getGroup(cloud, ctx.input.ReplicationGroupId);
  if (rg.status !== "available" && rg.status !== "create-failed") {
    throw fault(
      "InvalidReplicationGroupStateFault",
      `Replication group ${rg.id} is not in available state (it is ${rg.status}).`,
    );
  }
  if (ctx.input.RetainPrimaryCluster === true) {
    throw invalidParameter(
      "RetainPrimaryCluster=true is not supported by the local cloud; take a snapshot and restore it instead.",
    );
  }
  const finalSnapshot = ctx.input.FinalSnapshotIdentifier as string | undefined;
  if (finalSnapshot !== undefined && cloud.state.snapshots[finalSnapshot]) {
    throw fault("SnapshotAlreadyExistsFault", `Snapshot ${finalSnapshot} already exists.`);
  }
  rg.status = "deleting";
  setMembersStatus(cloud, rg, "deleting");
  cloud.save();
  const rendered = renderReplicationGroup(rg, cloud.state);
  cloud.background(
    `deleting replication group ${rg.id}`,
    async () => {
      if (finalSnapshot !== undefined) await takeSnapshot(cloud, finalSnapshot, { rg }, ctx, "manual");
      const members = membersOf(cloud, rg);
      await stopNodes(
        cloud,
        members.flatMap((c) => c.nodes),
        true,
      );
      await cloud.pace();
      for (const c of members) {
        delete cloud.state.clusters[c.id];
        delete cloud.state.tags[c.arn];
      }
      delete cloud.state.replicationGroups[rg.id];
      delete cloud.state.tags[rg.arn];
      cloud.event("replication-group", rg.id, "Replication group deleted");
    },
    (message) => {
      rg.status = "available";
      setMembersStatus(cloud, rg, "available");
      cloud.event("replication-group", rg.id, `Failed to delete replication group: ${message}`);
    },
  );
  return { ReplicationGroup: rendered };
}

export function replicationGroupHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    CreateReplicationGroup: async (ctx) => create(cloud, ctx),
    DescribeReplicationGroups: async (ctx) => describe(cloud, ctx),
    ModifyReplicationGroup: async (ctx) => modify(cloud, ctx),
    DeleteReplicationGroup: async (ctx) => remove(cloud, ctx),
  };
}
