// Which AWS resource an ElastiCacheCluster becomes (DESIGN.md, "Topology").
// Memcached and plain Redis/Valkey nodes are cache clusters; any replication, failover,
// encryption or auth setting needs a replication group. The rule exists twice on purpose:
// as TypeScript for the engine and as CEL for the CRD's ID-length check; a test keeps them equal.

export type Topology = "CacheCluster" | "ReplicationGroup";

export interface TopologyInputs {
  engine: string;
  replicationGroupDescription?: string | undefined;
  numNodeGroups?: number | undefined;
  replicasPerNodeGroup?: number | undefined;
  automaticFailoverEnabled?: boolean | undefined;
  multiAZEnabled?: boolean | undefined;
  transitEncryptionEnabled?: boolean | undefined;
  atRestEncryptionEnabled?: boolean | undefined;
  kmsKeyId?: string | undefined;
  authTokenRef?: unknown;
}

export function topologyOf(spec: TopologyInputs): Topology {
  if (spec.engine === "memcached") return "CacheCluster";
  const needsGroup =
    spec.replicationGroupDescription !== undefined ||
    spec.numNodeGroups !== undefined ||
    spec.replicasPerNodeGroup !== undefined ||
    spec.kmsKeyId !== undefined ||
    spec.authTokenRef !== undefined ||
    spec.automaticFailoverEnabled === true ||
    spec.multiAZEnabled === true ||
    spec.transitEncryptionEnabled === true ||
    spec.atRestEncryptionEnabled === true;
  return needsGroup ? "ReplicationGroup" : "CacheCluster";
}

/** Cluster mode (sharded Redis Cluster) is chosen by setting numNodeGroups. */
export function isClusterMode(spec: TopologyInputs): boolean {
  return spec.engine !== "memcached" && spec.numNodeGroups !== undefined;
}

/** The same decision as `topologyOf`, in CEL over the spec object. */
export const CEL_IS_REPLICATION_GROUP = [
  "!(has(self.engine) && self.engine == 'memcached') && (",
  "has(self.replicationGroupDescription) || has(self.numNodeGroups) || has(self.replicasPerNodeGroup) ||",
  " has(self.kmsKeyId) || has(self.authTokenRef) ||",
  " (has(self.automaticFailoverEnabled) && self.automaticFailoverEnabled) ||",
  " (has(self.multiAZEnabled) && self.multiAZEnabled) ||",
  " (has(self.transitEncryptionEnabled) && self.transitEncryptionEnabled) ||",
  " (has(self.atRestEncryptionEnabled) && self.atRestEncryptionEnabled))",
].join("");
