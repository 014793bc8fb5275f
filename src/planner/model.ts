// The engine's view of the world, free of Kubernetes and of the AWS SDK's types.
// `ObservedCache` is what AWS says exists; `Action` is the one next step the planner asks for.
// Field names follow the ElastiCache API where they name AWS things, so the cloud gateway stays thin.

export type Topology = "CacheCluster" | "ReplicationGroup";

export interface Endpoint {
  address: string;
  port: number;
}

export interface ObservedNode {
  /** Cache node id within its cache cluster ("0001"), or the member cluster id for replication groups. */
  id: string;
  /** Member cache cluster (replication groups) holding the node. */
  cacheClusterId?: string;
  role?: "primary" | "replica";
  endpoint?: Endpoint;
  status?: string;
}

export interface ObservedShard {
  /** NodeGroupId, e.g. "0001". */
  id: string;
  status?: string;
  primaryEndpoint?: Endpoint;
  readerEndpoint?: Endpoint;
  slots?: string;
  nodes: ObservedNode[];
}

/** One cache cluster or replication group as AWS describes it. */
export interface ObservedCache {
  topology: Topology;
  id: string;
  arn: string;
  /** AWS status, lower case: creating, available, modifying, snapshotting, deleting, create-failed, ... */
  status: string;
  engine: string;
  engineVersion: string;
  nodeType: string;
  clusterMode: boolean;
  /** Cache clusters: number of nodes. */
  numCacheNodes?: number;
  /** Replication groups: node groups (one without cluster mode). */
  shards: ObservedShard[];
  memberClusters: string[];
  description?: string;
  automaticFailover?: "enabled" | "disabled" | "enabling" | "disabling";
  multiAZ?: boolean;
  transitEncryption: boolean;
  atRestEncryption: boolean;
  kmsKeyId?: string;
  authTokenEnabled: boolean;
  snapshotRetentionLimit: number;
  snapshotWindow?: string;
  maintenanceWindow?: string;
  securityGroupIds: string[];
  subnetGroupName?: string;
  parameterGroupName?: string;
  /** Replication groups: the user groups (RBAC) attached. */
  userGroupIds?: string[];
  autoMinorVersionUpgrade?: boolean;
  configurationEndpoint?: Endpoint;
  primaryEndpoint?: Endpoint;
  readerEndpoint?: Endpoint;
  nodeEndpoints: Array<Endpoint & { nodeID: string }>;
  createTime?: string;
  /** True when AWS lists pending modified values. */
  pendingChanges: boolean;
  /** When AWS was read for this answer (ms since the epoch); undefined: just now. */
  observedAt?: number;
  /** Tags, when they were read with this observation (ListTagsForResource); undefined when not read. */
  tags?: Record<string, string>;
}

/** Parameters of CreateCacheCluster / CreateReplicationGroup, named as in the ElastiCache API. */
export interface CreateParams {
  topology: Topology;
  /** CacheClusterId or ReplicationGroupId. */
  id: string;
  engine: string;
  engineVersion: string;
  cacheNodeType: string;
  numCacheNodes?: number;
  replicationGroupDescription?: string;
  /** Cluster mode: NumNodeGroups + ReplicasPerNodeGroup. Without: NumCacheClusters = replicas + 1. */
  numNodeGroups?: number;
  replicasPerNodeGroup?: number;
  numCacheClusters?: number;
  clusterMode?: boolean;
  automaticFailoverEnabled?: boolean;
  multiAZEnabled?: boolean;
  cacheSubnetGroupName?: string;
  securityGroupIds?: string[];
  cacheParameterGroupName?: string;
  transitEncryptionEnabled?: boolean;
  atRestEncryptionEnabled?: boolean;
  kmsKeyId?: string;
  userGroupIds?: string[];
  /** The gateway puts the token (read from the Secret by the driver) in AuthToken; never carried here. */
  withAuthToken?: boolean;
  snapshotRetentionLimit?: number;
  snapshotWindow?: string;
  preferredMaintenanceWindow?: string;
  autoMinorVersionUpgrade?: boolean;
  /** SnapshotName: the snapshot the cache is restored from (creation only). */
  snapshotName?: string;
  tags: Record<string, string>;
}

/** Fields of ModifyCacheCluster / ModifyReplicationGroup the planner changes (ApplyImmediately is always true). */
export interface ModifyParams {
  topology: Topology;
  id: string;
  engineVersion?: string;
  cacheNodeType?: string;
  /** Memcached scale out/in; with `cacheNodeIdsToRemove` on scale in. */
  numCacheNodes?: number;
  cacheNodeIdsToRemove?: string[];
  replicationGroupDescription?: string;
  automaticFailoverEnabled?: boolean;
  multiAZEnabled?: boolean;
  securityGroupIds?: string[];
  cacheParameterGroupName?: string;
  snapshotRetentionLimit?: number;
  snapshotWindow?: string;
  preferredMaintenanceWindow?: string;
  autoMinorVersionUpgrade?: boolean;
  userGroupIdsToAdd?: string[];
  userGroupIdsToRemove?: string[];
  /** Token rotation: the gateway adds AuthToken (from the Secret) and AuthTokenUpdateStrategy. */
  authTokenUpdateStrategy?: "ROTATE" | "SET";
}

export type Action =
  | { type: "create"; params: CreateParams }
  | { type: "modify"; params: ModifyParams; fields: string[] }
  | { type: "increaseReplicaCount"; id: string; newReplicaCount: number }
  | { type: "decreaseReplicaCount"; id: string; newReplicaCount: number }
  | {
      type: "reshard";
      id: string;
      nodeGroupCount: number;
      /** On scale in, the NodeGroupIds to remove. */
      nodeGroupsToRemove?: string[];
    }
  | { type: "addTags"; arn: string; tags: Record<string, string> }
  | { type: "removeTags"; arn: string; keys: string[] }
  | { type: "delete"; topology: Topology; id: string; finalSnapshotName?: string }
  /** Read tags (ListTagsForResource) before deciding: ownership or tag drift. */
  | { type: "readTags"; arn: string }
  | { type: "wait"; seconds: number; reason: string }
  | { type: "none" };

/** Whether an action changes anything in AWS (benchmarks and idempotence tests count these). */
export function isMutating(action: Action): boolean {
  return !["readTags", "wait", "none"].includes(action.type);
}
