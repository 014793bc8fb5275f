// CreateCacheCluster, DescribeCacheClusters, ModifyCacheCluster, DeleteCacheCluster and
// RebootCacheCluster, with AWS's validation and state rules.
import type { Handler, RequestContext } from "../context.ts";
import { tokenDigest } from "../engines/redis-config.ts";
import { type AwsError, invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { CacheClusterRecord, Tag } from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import { defaultParameterGroup, resolveEngineVersion } from "./catalog.ts";
import type { Cloud } from "./cloud.ts";
import { fault, notFound } from "./faults.ts";
import { newNode, startNode, startNodes, stopNodes } from "./nodes.ts";
import { paginate } from "./pagination.ts";
import { applyParameterChanges, differingParameters, rebooted } from "./parameter-apply.ts";
import {
  compatibleGroup,
  findParameterGroup,
  groupEnablesClusterMode,
  type ParameterGroup,
} from "./parameter-groups.ts";
import { azOf, cacheClusterZones, spreadZone } from "./placement.ts";
import { renderCacheCluster } from "./render.ts";
import {
  applyTokenStrategy,
  checkTagLimit,
  rejectUnsupported,
  unsupportedEverywhere,
} from "./shared-rules.ts";
import { availableSnapshot, takeSnapshot } from "./snapshot-work.ts";
import { validAuthToken, validIdentifier, validNodeType } from "./validation.ts";

export function getCluster(cloud: Cloud, id: unknown): CacheClusterRecord {
  const c = cloud.state.clusters[String(id ?? "").toLowerCase()];
  if (c === undefined) throw notFound.cluster(String(id));
  return c;
}

/** A member of a cluster-mode replication group (its parameter group must keep cluster-enabled=yes). */
function isClusterModeMember(cloud: Cloud, c: CacheClusterRecord): boolean {
  return (
    c.replicationGroupId !== undefined &&
    cloud.state.replicationGroups[c.replicationGroupId]?.clusterMode === true
  );
}

function requireAvailable(c: CacheClusterRecord): void {
  if (c.status !== "available") {
    throw fault(
      "InvalidCacheClusterStateFault",
      `Cache cluster ${c.id} is not in available state (it is ${c.status}).`,
    );
  }
}

function create(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const id = validIdentifier(input.CacheClusterId, "CacheClusterId", 50);
  rejectUnsupported(input, unsupportedEverywhere);
  if (cloud.state.clusters[id])
    throw fault("CacheClusterAlreadyExistsFault", `Cache cluster ${id} already exists.`);
  if (input.ReplicationGroupId !== undefined) {
    throw invalidParameter(
      "Adding a cluster to a replication group with CreateCacheCluster is not supported by the local cloud; use IncreaseReplicaCount",
    );
  }
  const snapshot =
    input.SnapshotName === undefined ? undefined : availableSnapshot(cloud, input.SnapshotName);
  const engine = String(input.Engine ?? snapshot?.engine ?? "");
  if (engine === "")
    throw invalidParameter("The parameter Engine must be provided: redis, valkey or memcached.");
  if (engine !== "redis" && engine !== "valkey" && engine !== "memcached") {
    throw invalidParameter(`Invalid Engine '${engine}': use redis, valkey or memcached.`);
  }
  if (snapshot && engine === "memcached")
    throw invalidCombination("Memcached clusters cannot be restored from a snapshot.");
  const version = resolveEngineVersion(
    engine,
    (input.EngineVersion as string | undefined) ?? snapshot?.engineVersion,
  );
  if (version === undefined) {
    throw invalidParameter(
      `Cannot find version ${String(input.EngineVersion)} for ${engine}; see DescribeCacheEngineVersions.`,
    );
  }
  const nodeType = validNodeType(input.CacheNodeType ?? snapshot?.nodeType);
  const numNodes = (input.NumCacheNodes as number | undefined) ?? 1;
  if (engine !== "memcached" && numNodes !== 1) {
    throw invalidParameter(
      `Cannot create a ${engine} cluster with a NumCacheNodes parameter greater than 1.`,
    );
  }
  if (numNodes < 1 || numNodes > 40) throw invalidParameter("NumCacheNodes must be between 1 and 40.");
  const subnetGroupName = input.CacheSubnetGroupName as string | undefined;
  if (subnetGroupName !== undefined && !cloud.state.subnetGroups[subnetGroupName.toLowerCase()]) {
    throw notFound.subnetGroup(subnetGroupName);
  }
  const transit = (input.TransitEncryptionEnabled as boolean | undefined) ?? false;
  if (transit && engine === "memcached") {
    throw invalidParameterForMemcached("TransitEncryptionEnabled");
  }
  let authTokens: string[] = [];
  if (input.AuthToken !== undefined) {
    if (engine === "memcached") throw invalidParameterForMemcached("AuthToken");
    if (!transit)
      throw invalidParameter(
        "The AUTH token is only supported when encryption-in-transit is enabled (TransitEncryptionEnabled=true).",
      );
    authTokens = [tokenDigest(validAuthToken(input.AuthToken))];
  }
  const zones = cacheClusterZones(input, ctx.region, numNodes);
  const tags = (input.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  const chosenGroup =
    input.CacheParameterGroupName === undefined
      ? undefined
      : compatibleGroup(cloud, input.CacheParameterGroupName, version.family, version.version);
  if (chosenGroup && engine !== "memcached" && groupEnablesClusterMode(chosenGroup)) {
    throw invalidCombination(
      `Cache parameter group ${chosenGroup.name} has cluster-enabled=yes; a cluster-mode cache needs CreateReplicationGroup.`,
    );
  }
  const paramGroup = chosenGroup?.name ?? defaultParameterGroup(version.family, false);
  const now = ctx.now.toISOString();
  const cluster: CacheClusterRecord = {
    id,
    arn: elasticacheArn(ctx.region, ctx.principal?.accountId ?? "000000000000", "cluster", id),
    region: ctx.region,
    accountId: ctx.principal?.accountId ?? "000000000000",
    engine,
    engineVersion: version.version,
    nodeType,
    status: "creating",
    createTime: now,
    preferredAz: azOf(zones) ?? `${ctx.region}a`,
    ...(subnetGroupName ? { subnetGroupName: subnetGroupName.toLowerCase() } : {}),
    securityGroupIds: (input.SecurityGroupIds as string[] | undefined) ?? [],
    parameterGroupName: paramGroup,
    snapshotRetentionLimit: (input.SnapshotRetentionLimit as number | undefined) ?? 0,
    snapshotWindow: (input.SnapshotWindow as string | undefined) ?? "05:00-06:00",
    maintenanceWindow: (input.PreferredMaintenanceWindow as string | undefined) ?? "sun:06:00-sun:07:00",
    autoMinorVersionUpgrade: (input.AutoMinorVersionUpgrade as boolean | undefined) ?? true,
    transitEncryption: transit,
    atRestEncryption: false,
    authTokenDigests: authTokens,
    ...(authTokens.length > 0 ? { authTokenLastModified: now } : {}),
    nodes: Array.from({ length: numNodes }, (_, i) => ({
      ...newNode(id, i + 1, now),
      availabilityZone: zones[i] ?? `${ctx.region}a`,
    })),
    ...(snapshot ? { restoreFrom: snapshot.name } : {}),
    ...(input.NotificationTopicArn ? { notificationTopicArn: String(input.NotificationTopicArn) } : {}),
  };
  cloud.state.clusters[id] = cluster;
  if (tags.length > 0) cloud.state.tags[cluster.arn] = tags;
  cloud.save();
  const restoreFile = snapshot?.files[0]?.file;
  cloud.background(
    `creating cache cluster ${id}`,
    async () => {
      await startNodes(cloud, cluster, restoreFile ? { restoreRdbFile: restoreFile } : {});
      await cloud.memcachedDiscovery.open(cluster);
      await cloud.pace();
      cluster.status = "available";
      delete cluster.restoreFrom;
      cloud.event(
        "cache-cluster",
        id,
        snapshot ? `Restored cache cluster from snapshot ${snapshot.name}` : "Cache cluster created",
      );
    },
    (message) => {
      cluster.status = "create-failed";
      cloud.event("cache-cluster", id, `Failed to create cache cluster: ${message}`);
    },
  );
  return { CacheCluster: renderCacheCluster(cluster, false) };
}

function invalidParameterForMemcached(parameter: string): AwsError {
  return invalidCombination(`${parameter} is not supported for the memcached engine.`);
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  let clusters: CacheClusterRecord[];
  if (input.CacheClusterId !== undefined) {
    clusters = [getCluster(cloud, input.CacheClusterId)];
  } else {
    clusters = Object.values(cloud.state.clusters).sort((a, b) => a.id.localeCompare(b.id));
    if (input.ShowCacheClustersNotInReplicationGroups === true)
      clusters = clusters.filter((c) => !c.replicationGroupId);
  }
  const page = paginate(clusters, input);
  return {
    CacheClusters: page.items.map((c) => renderCacheCluster(c, input.ShowCacheNodeInfo === true)),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

function modify(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const cluster = getCluster(cloud, input.CacheClusterId);
  requireAvailable(cluster);
  rejectUnsupported(input, [...unsupportedEverywhere, "NewAvailabilityZones", "CacheSecurityGroupNames"]);
  const changes: (() => void)[] = [];
  let addNodes = 0;
  let removeIds: string[] = [];
  if (input.NumCacheNodes !== undefined) {
    const n = input.NumCacheNodes as number;
    if (cluster.engine !== "memcached" && n !== 1) {
      throw invalidParameter(
        `NumCacheNodes must be 1 for ${cluster.engine}; add replicas with a replication group instead.`,
      );
    }
    if (n < 1 || n > 40) throw invalidParameter("NumCacheNodes must be between 1 and 40.");
    if (n > cluster.nodes.length) addNodes = n - cluster.nodes.length;
    if (n < cluster.nodes.length) {
      removeIds = (input.CacheNodeIdsToRemove as string[] | undefined) ?? [];
      if (removeIds.length !== cluster.nodes.length - n) {
        throw invalidParameter(
          `Reducing NumCacheNodes from ${cluster.nodes.length} to ${n} requires exactly ${cluster.nodes.length - n} CacheNodeIdsToRemove.`,
        );
      }
      for (const r of removeIds) {
        if (!cluster.nodes.some((x) => x.cacheNodeId === r))
          throw invalidParameter(`Cache node ${r} does not exist in ${cluster.id}.`);
      }
    }
  } else if (input.CacheNodeIdsToRemove !== undefined) {
    throw invalidCombination("CacheNodeIdsToRemove requires NumCacheNodes.");
  }
  if (input.CacheNodeType !== undefined) {
    const t = validNodeType(input.CacheNodeType);
    changes.push(() => {
      cluster.nodeType = t;
    });
  }
  if (input.EngineVersion !== undefined) {
    const v = resolveEngineVersion(cluster.engine, String(input.EngineVersion));
    if (v === undefined)
      throw invalidParameter(`Cannot find version ${String(input.EngineVersion)} for ${cluster.engine}.`);
    if (v.version < cluster.engineVersion)
      throw invalidParameter("Downgrading the engine version is not supported.");
    changes.push(() => {
      cluster.engineVersion = v.version;
    });
  }
  let tokens: string[] | undefined;
  if (input.AuthToken !== undefined || input.AuthTokenUpdateStrategy !== undefined) {
    if (cluster.replicationGroupId)
      throw invalidCombination("Change the AUTH token of a replication group with ModifyReplicationGroup.");
    tokens = applyTokenStrategy(cluster.authTokenDigests, cluster.transitEncryption, input);
  }
  for (const [param, apply] of [
    ["SnapshotRetentionLimit", (v: unknown) => (cluster.snapshotRetentionLimit = v as number)],
    ["SnapshotWindow", (v: unknown) => (cluster.snapshotWindow = String(v))],
    ["PreferredMaintenanceWindow", (v: unknown) => (cluster.maintenanceWindow = String(v))],
    ["SecurityGroupIds", (v: unknown) => (cluster.securityGroupIds = v as string[])],
    ["AutoMinorVersionUpgrade", (v: unknown) => (cluster.autoMinorVersionUpgrade = v as boolean)],
  ] as const) {
    if (input[param] !== undefined) changes.push(() => apply(input[param]));
  }
  let groupChange: { group: ParameterGroup; names: string[] } | undefined;
  if (input.CacheParameterGroupName !== undefined) {
    const version = resolveEngineVersion(
      cluster.engine,
      String(input.EngineVersion ?? cluster.engineVersion),
    );
    const group = compatibleGroup(
      cloud,
      input.CacheParameterGroupName,
      version?.family ?? "",
      version?.version ?? cluster.engineVersion,
    );
    if (
      cluster.engine !== "memcached" &&
      groupEnablesClusterMode(group) !== isClusterModeMember(cloud, cluster)
    ) {
      throw invalidCombination(
        `Cache parameter group ${group.name} has cluster-enabled=${groupEnablesClusterMode(group) ? "yes" : "no"}, which does not match cache cluster ${cluster.id}.`,
      );
    }
    groupChange = {
      group,
      names: differingParameters(findParameterGroup(cloud, cluster.parameterGroupName), group),
    };
    changes.push(() => (cluster.parameterGroupName = group.name));
  }
  for (const c of changes) c();
  if (groupChange) applyParameterChanges(cloud, [cluster], groupChange.group, groupChange.names);
  const needsEngineWork = addNodes > 0 || removeIds.length > 0 || tokens !== undefined;
  if (!needsEngineWork && changes.length === 0) {
    return { CacheCluster: renderCacheCluster(cluster, false) };
  }
  cluster.status = "modifying";
  cloud.save();
  const now = ctx.now.toISOString();
  cloud.background(
    `modifying cache cluster ${cluster.id}`,
    async () => {
      if (tokens !== undefined) {
        cluster.authTokenDigests = tokens;
        cluster.authTokenLastModified = now;
        for (const n of cluster.nodes) await cloud.engines.setAuthTokens(n.engineNodeId, tokens);
      }
      if (removeIds.length > 0) {
        const removed = cluster.nodes.filter((n) => removeIds.includes(n.cacheNodeId));
        await stopNodes(cloud, removed, true);
        cluster.nodes = cluster.nodes.filter((n) => !removeIds.includes(n.cacheNodeId));
      }
      if (addNodes > 0) {
        const highest = Math.max(0, ...cluster.nodes.map((n) => Number(n.cacheNodeId)));
        // A cross-az cluster ("Multiple") keeps spreading its nodes; others stay in their zone.
        const added = Array.from({ length: addNodes }, (_, i) => ({
          ...newNode(cluster.id, highest + i + 1, now),
          availabilityZone:
            cluster.preferredAz === "Multiple"
              ? spreadZone(cluster.region, highest + i)
              : cluster.preferredAz,
        }));
        cluster.nodes.push(...added);
        await Promise.all(added.map((n) => startNode(cloud, cluster, n)));
      }
      if (addNodes > 0 || removeIds.length > 0) await cloud.memcachedDiscovery.open(cluster);
      await cloud.pace();
      cluster.status = "available";
      cloud.event("cache-cluster", cluster.id, "Cache cluster modified");
    },
    (message) => {
      cluster.status = "available";
      cloud.event("cache-cluster", cluster.id, `Failed to modify cache cluster: ${message}`);
    },
  );
  return { CacheCluster: renderCacheCluster(cluster, false) };
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const cluster = getCluster(cloud, ctx.input.CacheClusterId);
  if (cluster.replicationGroupId) return removeReplicaMember(cloud, cluster);
  if (cluster.status !== "available" && cluster.status !== "create-failed") {
    throw fault(
      "InvalidCacheClusterStateFault",
      `Cache cluster ${cluster.id} is not in available state (it is ${cluster.status}).`,
    );
  }
  const finalSnapshot = ctx.input.FinalSnapshotIdentifier as string | undefined;
  if (finalSnapshot !== undefined) {
    if (cluster.engine === "memcached")
      throw fault("SnapshotFeatureNotSupportedFault", "Memcached clusters have no snapshots.");
    if (cloud.state.snapshots[finalSnapshot])
      throw fault("SnapshotAlreadyExistsFault", `Snapshot ${finalSnapshot} already exists.`);
  }
  cluster.status = "deleting";
  cloud.save();
  const rendered = renderCacheCluster(cluster, false);
  cloud.background(
    `deleting cache cluster ${cluster.id}`,
    async () => {
      if (finalSnapshot !== undefined) await takeSnapshot(cloud, finalSnapshot, { cluster }, ctx, "manual");
      await cloud.memcachedDiscovery.close(cluster);
      await stopNodes(cloud, cluster.nodes, true);
      await cloud.pace();
      delete cloud.state.clusters[cluster.id];
      delete cloud.state.tags[cluster.arn];
      cloud.event("cache-cluster", cluster.id, "Cache cluster deleted");
    },
    (message) => {
      cluster.status = "available";
      cloud.event("cache-cluster", cluster.id, `Failed to delete cache cluster: ${message}`);
    },
  );
  return { CacheCluster: rendered };
}

/**
 * DeleteCacheCluster on a member of a (cluster mode disabled) replication group deletes that read
 * replica, as AWS allows; the primary, cluster-mode members and the last replica under automatic
 * failover are refused.
 */
function removeReplicaMember(cloud: Cloud, cluster: CacheClusterRecord): Record<string, unknown> {
  const rg = cloud.state.replicationGroups[cluster.replicationGroupId as string];
  const group = rg?.nodeGroups.find((g) => g.members.includes(cluster.id));
  if (rg === undefined || group === undefined) throw notFound.cluster(cluster.id);
  if (rg.clusterMode) {
    throw invalidCombination(
      `Cache cluster ${cluster.id} belongs to cluster-mode replication group ${rg.id}; use DecreaseReplicaCount or ModifyReplicationGroupShardConfiguration.`,
    );
  }
  if (group.primary === cluster.id) {
    throw fault(
      "InvalidCacheClusterStateFault",
      `Cache cluster ${cluster.id} is the primary of replication group ${rg.id}; promote another member (ModifyReplicationGroup PrimaryClusterId) or delete the replication group.`,
    );
  }
  if (rg.automaticFailover && group.members.length <= 2) {
    throw fault(
      "InvalidCacheClusterStateFault",
      `Cache cluster ${cluster.id} is the last replica of ${rg.id}, which has automatic failover enabled; disable it first.`,
    );
  }
  if (rg.status !== "available" || cluster.status !== "available") {
    throw fault(
      "InvalidReplicationGroupStateFault",
      `Replication group ${rg.id} is not in available state (it is ${rg.status}).`,
    );
  }
  rg.status = "modifying";
  cluster.status = "deleting";
  cloud.save();
  const rendered = renderCacheCluster(cluster, false);
  cloud.background(
    `deleting replica ${cluster.id} of ${rg.id}`,
    async () => {
      await stopNodes(cloud, cluster.nodes, true);
      await cloud.pace();
      group.members = group.members.filter((m) => m !== cluster.id);
      delete cloud.state.clusters[cluster.id];
      delete cloud.state.tags[cluster.arn];
      rg.status = "available";
      cloud.event("cache-cluster", cluster.id, "Cache cluster deleted");
    },
    (message) => {
      rg.status = "available";
      cluster.status = "available";
      cloud.event("cache-cluster", cluster.id, `Failed to delete cache cluster: ${message}`);
    },
  );
  return { CacheCluster: rendered };
}

function reboot(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const cluster = getCluster(cloud, ctx.input.CacheClusterId);
  requireAvailable(cluster);
  const ids = (ctx.input.CacheNodeIdsToReboot as string[] | undefined) ?? [];
  if (ids.length === 0) throw invalidParameter("CacheNodeIdsToReboot must name at least one cache node.");
  const nodes = ids.map((id) => {
    const n = cluster.nodes.find((x) => x.cacheNodeId === id);
    if (n === undefined) throw invalidParameter(`Cache node ${id} does not exist in ${cluster.id}.`);
    return n;
  });
  if (cluster.replicationGroupId && cloud.state.replicationGroups[cluster.replicationGroupId]?.clusterMode) {
    throw invalidCombination(
      "Rebooting a node of a cluster-mode replication group is not supported; use TestFailover.",
    );
  }
  cluster.status = "rebooting cache cluster nodes";
  for (const n of nodes) n.status = "rebooting";
  cloud.save();
  cloud.background(
    `rebooting cache cluster ${cluster.id}`,
    async () => {
      for (const n of nodes) {
        // "The reboot causes the contents of the cache (for each cache node being rebooted) to be
        // lost" (RebootCacheCluster); a replica syncs its primary's keys again below.
        await cloud.engines.stopNodeDiscardingData(n.engineNodeId);
        await startNode(cloud, cluster, n);
        if (cluster.replicationGroupId && cluster.role === "replica") {
          const rg = cloud.state.replicationGroups[cluster.replicationGroupId];
          const primary = rg && cloud.state.clusters[rg.nodeGroups[0]?.primary ?? ""];
          if (primary?.nodes[0]) await cloud.engines.replicate(n.engineNodeId, primary.nodes[0].engineNodeId);
        }
      }
      await cloud.pace();
      rebooted(cluster, ids);
      cluster.status = "available";
      cloud.event("cache-cluster", cluster.id, `Cache node(s) ${ids.join(", ")} restarted`);
    },
    (message) => {
      cluster.status = "available";
      for (const n of nodes) n.status = "available";
      cloud.event("cache-cluster", cluster.id, `Failed to reboot cache nodes: ${message}`);
    },
  );
  return { CacheCluster: renderCacheCluster(cluster, false) };
}

export function cacheClusterHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    CreateCacheCluster: async (ctx) => create(cloud, ctx),
    DescribeCacheClusters: async (ctx) => describe(cloud, ctx),
    ModifyCacheCluster: async (ctx) => modify(cloud, ctx),
    DeleteCacheCluster: async (ctx) => remove(cloud, ctx),
    RebootCacheCluster: async (ctx) => reboot(cloud, ctx),
  };
}
