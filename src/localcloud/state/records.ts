// What the local cloud remembers, as persisted in <data-dir>/state.json. Times are ISO strings.
// Auth tokens and temporary secrets are stored here because engines and signatures need them after
// a restart; the data dir is private to the local cloud (files are written with mode 0600).
import type { AutoScalingState } from "../autoscaling/records.ts";
import type { UserGroupRecord, UserRecord } from "./rbac-records.ts";
import type {
  CacheUsageLimitsRecord,
  ServerlessCacheRecord,
  ServerlessSnapshotRecord,
} from "./serverless-records.ts";

export type {
  CacheUsageLimitsRecord,
  ServerlessCacheRecord,
  ServerlessSnapshotRecord,
  UserGroupRecord,
  UserRecord,
};

export interface Tag {
  Key: string;
  Value: string;
}

export interface CacheNodeRecord {
  /** "0001", "0002", ... as AWS numbers nodes within a cluster. */
  cacheNodeId: string;
  /** The engine host's node id (unique in the local cloud). */
  engineNodeId: string;
  status: string;
  createTime: string;
  /** Real address and port of the engine process; the port is kept so restarts reuse it. */
  address?: string;
  port?: number;
  /** The node's Availability Zone (CustomerAvailabilityZone); absent in older state: the cluster's. */
  availabilityZone?: string;
}

export interface CacheClusterRecord {
  id: string;
  arn: string;
  region: string;
  accountId: string;
  engine: "redis" | "valkey" | "memcached";
  engineVersion: string;
  nodeType: string;
  status: string;
  createTime: string;
  preferredAz: string;
  subnetGroupName?: string;
  securityGroupIds: string[];
  parameterGroupName: string;
  snapshotRetentionLimit: number;
  snapshotWindow: string;
  maintenanceWindow: string;
  autoMinorVersionUpgrade: boolean;
  transitEncryption: boolean;
  atRestEncryption: boolean;
  /**
   * SHA-256 (hex) of the accepted AUTH tokens (ROTATE keeps two); empty: no auth. Never the tokens
   * themselves: the engines take password hashes, and the state file must not hold secrets.
   */
  authTokenDigests: string[];
  authTokenLastModified?: string;
  replicationGroupId?: string;
  /** Member of a replication group: its role ("primary" | "replica") and node group. */
  role?: "primary" | "replica";
  nodeGroupId?: string;
  nodes: CacheNodeRecord[];
  /**
   * Cache node ids that must reboot before their parameter group's requires-reboot values apply
   * (ParameterApplyStatus pending-reboot); absent or empty: in-sync.
   */
  nodesPendingReboot?: string[];
  /** Memcached: the configuration endpoint's port (auto-discovery) and its config version. */
  configPort?: number;
  configVersion?: number;
  /** Snapshot restored at first start (consumed once the cluster is available). */
  restoreFrom?: string;
  notificationTopicArn?: string;
}

export interface NodeGroupRecord {
  id: string;
  slots?: string;
  /** Member cache cluster ids; the primary first is not guaranteed, see `primary`. */
  members: string[];
  primary: string;
}

export interface ReplicationGroupRecord {
  id: string;
  arn: string;
  region: string;
  accountId: string;
  description: string;
  status: string;
  engine: "redis" | "valkey";
  engineVersion: string;
  nodeType: string;
  clusterMode: boolean;
  nodeGroups: NodeGroupRecord[];
  automaticFailover: boolean;
  multiAz: boolean;
  transitEncryption: boolean;
  atRestEncryption: boolean;
  /** As on its member clusters: digests, never the tokens. */
  authTokenDigests: string[];
  authTokenLastModified?: string;
  snapshotRetentionLimit: number;
  snapshotWindow: string;
  /** PreferredMaintenanceWindow given at create or modify; AWS reports it on the member clusters. */
  maintenanceWindow?: string;
  subnetGroupName?: string;
  securityGroupIds: string[];
  parameterGroupName: string;
  /** Absent in state saved before it was kept: AWS's default, true. */
  autoMinorVersionUpgrade?: boolean;
  createTime: string;
  /** The member ModifyReplicationGroup named as the source of automatic snapshots (SnapshottingClusterId). */
  snapshottingClusterId?: string;
  kmsKeyId?: string;
  /** RBAC: the user group whose users are the engines' ACL users (at most one). */
  userGroupIds?: string[];
  /** User groups being attached or detached (ModifyReplicationGroup), shown as PendingModifiedValues. */
  pendingUserGroups?: { add: string[]; remove: string[] };
}

export interface SubnetGroupRecord {
  name: string;
  arn: string;
  description: string;
  subnetIds: string[];
  vpcId: string;
  /** Each subnet's Availability Zone (absent in older state: the region's zones in turn). */
  subnetZones?: Record<string, string>;
}

/** A custom cache parameter group (the default groups come from the catalog and are not stored). */
export interface ParameterGroupRecord {
  name: string;
  arn: string;
  family: string;
  description: string;
  /** Values set with ModifyCacheParameterGroup (ElastiCache parameter name -> value); others are the family's defaults. */
  values: Record<string, string>;
}

/** A purchased reserved cache node offering (PurchaseReservedCacheNodesOffering). */
export interface ReservedCacheNodeRecord {
  id: string;
  arn: string;
  offeringId: string;
  cacheNodeType: string;
  startTime: string;
  /** Seconds. */
  duration: number;
  fixedPrice: number;
  /** Hourly recurring charge per node (0 for All Upfront). */
  recurringHourly: number;
  count: number;
  productDescription: string;
  offeringType: string;
  /** "payment-pending" until the purchase settles, then "active"; "retired" is derived from the term. */
  state: string;
}

/** Progress of one service update on one cache cluster or replication group (BatchApplyUpdateAction). */
export interface UpdateActionRecord {
  serviceUpdateName: string;
  replicationGroupId?: string;
  cacheClusterId?: string;
  status: string;
  statusModifiedDate: string;
  /** Per node, keyed `<cacheClusterId>/<cacheNodeId>`. */
  nodes: Record<
    string,
    { status: string; modifiedDate: string; initiatedDate?: string; startDate?: string; endDate?: string }
  >;
}

export interface SnapshotRecord {
  name: string;
  arn: string;
  status: string;
  source: "manual" | "automated";
  createTime: string;
  cacheClusterId?: string;
  replicationGroupId?: string;
  replicationGroupDescription?: string;
  engine: "redis" | "valkey";
  engineVersion: string;
  nodeType: string;
  numCacheNodes: number;
  clusterMode: boolean;
  automaticFailover: boolean;
  subnetGroupName?: string;
  parameterGroupName: string;
  port: number;
  /** The source's settings AWS reports on a snapshot (absent in state saved before they were kept). */
  cacheClusterCreateTime?: string;
  preferredAz?: string;
  maintenanceWindow?: string;
  vpcId?: string;
  snapshotRetentionLimit?: number;
  snapshotWindow?: string;
  autoMinorVersionUpgrade?: boolean;
  /** One RDB file per shard (node group id -> file path under the data dir). */
  files: SnapshotFile[];
  /** The nodes being snapshotted while `creating` (AWS lists them in NodeSnapshots before the files exist). */
  sourceNodes?: { cacheClusterId: string; nodeGroupId: string; nodeCreateTime: string }[];
}

export interface SnapshotFile {
  nodeGroupId: string;
  cacheClusterId: string;
  file: string;
  size: number;
  /** The shard's layout when it was taken (NodeGroupConfiguration with ShowNodeGroupConfig). */
  slots?: string;
  replicaCount?: number;
  primaryAz?: string;
  replicaAzs?: string[];
  nodeCreateTime?: string;
}

export interface EventRecord {
  sourceIdentifier: string;
  sourceType: string;
  message: string;
  date: string;
}

export interface TemporaryCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
  accountId: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  /** The OIDC subject or the source identity that assumed the role (for logs). */
  sourceIdentity: string;
}

export interface PersistedState {
  version: 1;
  clusters: Record<string, CacheClusterRecord>;
  replicationGroups: Record<string, ReplicationGroupRecord>;
  subnetGroups: Record<string, SubnetGroupRecord>;
  parameterGroups: Record<string, ParameterGroupRecord>;
  reservedCacheNodes: Record<string, ReservedCacheNodeRecord>;
  /** Keyed `<service update>|<cluster:id or replicationgroup:id>`; absent: not-applied. */
  updateActions: Record<string, UpdateActionRecord>;
  snapshots: Record<string, SnapshotRecord>;
  tags: Record<string, Tag[]>;
  events: EventRecord[];
  credentials: Record<string, TemporaryCredential>;
  users: Record<string, UserRecord>;
  userGroups: Record<string, UserGroupRecord>;
  serverlessCaches: Record<string, ServerlessCacheRecord>;
  serverlessSnapshots: Record<string, ServerlessSnapshotRecord>;
  /** Application Auto Scaling's targets, policies and activities; absent in older state: none. */
  autoScaling?: AutoScalingState;
}

export function emptyState(): PersistedState {
  return {
    version: 1,
    clusters: {},
    replicationGroups: {},
    subnetGroups: {},
    parameterGroups: {},
    reservedCacheNodes: {},
    updateActions: {},
    snapshots: {},
    tags: {},
    events: [],
    credentials: {},
    users: {},
    userGroups: {},
    serverlessCaches: {},
    serverlessSnapshots: {},
  };
}
