// What the spec asks of AWS, with the documented defaults filled in: the effective node type,
// the merged tags, and the parameters of the create call.
import type { ElastiCacheClusterSpec } from "../api/elasticache-cluster.ts";
import { isClusterMode, topologyOf } from "../api/topology.ts";
import type { CreateParams, Topology } from "./model.ts";
import { type OwnerRef, ownershipTags } from "./ownership.ts";

/** `cacheNodeType` is an alias of `nodeType` that wins when set (the documentation's resize path). */
export function effectiveNodeType(spec: ElastiCacheClusterSpec): string {
  return spec.cacheNodeType ?? spec.nodeType ?? "";
}

/** Provider defaults, then the spec's tags, then the ownership tags (which nobody overrides). */
export function desiredTags(
  spec: ElastiCacheClusterSpec,
  defaultTags: Record<string, string>,
  owner: OwnerRef,
): Record<string, string> {
  return { ...defaultTags, ...(spec.tags ?? {}), ...ownershipTags(owner) };
}

export function createParams(
  spec: ElastiCacheClusterSpec,
  tags: Record<string, string>,
  owner: OwnerRef,
  topology: Topology = topologyOf(spec),
): CreateParams {
  const common = {
    id: spec.clusterID,
    engine: spec.engine,
    engineVersion: spec.engineVersion,
    cacheNodeType: effectiveNodeType(spec),
    cacheSubnetGroupName: spec.subnetGroupName,
    securityGroupIds: spec.securityGroupIds,
    cacheParameterGroupName: spec.parameterGroupName,
    snapshotRetentionLimit: spec.engine === "memcached" ? undefined : spec.snapshotRetentionLimit,
    snapshotWindow: spec.snapshotWindow,
    preferredMaintenanceWindow: spec.preferredMaintenanceWindow,
    autoMinorVersionUpgrade: spec.enableAutoMinorVersionUpgrade,
    snapshotName: spec.engine === "memcached" ? undefined : spec.restoreFromSnapshot,
    tags,
  };
  if (topology === "CacheCluster") {
    return dropUndefined({
      ...common,
      topology,
      numCacheNodes: spec.numCacheNodes ?? 1,
      transitEncryptionEnabled: spec.engine === "memcached" ? spec.transitEncryptionEnabled : undefined,
    });
  }
  const clusterMode = isClusterMode(spec);
  const replicas = spec.replicasPerNodeGroup ?? 0;
  const shards = spec.numNodeGroups ?? 1;
  return dropUndefined({
    ...common,
    topology,
    replicationGroupDescription:
      spec.replicationGroupDescription ?? `Managed by infra-operator for ${owner.namespace}/${owner.name}`,
    clusterMode,
    numNodeGroups: clusterMode ? shards : undefined,
    replicasPerNodeGroup: clusterMode ? replicas : undefined,
    numCacheClusters: clusterMode ? undefined : replicas + 1,
    // AWS requires failover for cluster mode (even with no replicas); otherwise only what the user asked.
    automaticFailoverEnabled: spec.automaticFailoverEnabled ?? (clusterMode ? true : undefined),
    multiAZEnabled: spec.multiAZEnabled,
    transitEncryptionEnabled: spec.transitEncryptionEnabled,
    atRestEncryptionEnabled: spec.atRestEncryptionEnabled,
    kmsKeyId: spec.kmsKeyId,
    userGroupIds: spec.userGroupIDs?.length ? spec.userGroupIDs : undefined,
    withAuthToken: spec.authTokenRef !== undefined ? true : undefined,
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
