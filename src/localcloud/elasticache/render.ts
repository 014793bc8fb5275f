// Turns the local cloud's records into ElastiCache's output shapes (CacheCluster, ReplicationGroup,
// Snapshot, CacheSubnetGroup), with endpoints that point at the real engine processes.
import type {
  CacheClusterRecord,
  CacheNodeRecord,
  PersistedState,
  ReplicationGroupRecord,
  SnapshotRecord,
  SubnetGroupRecord,
} from "../state/records.ts";
import { subnetZonesOf } from "./subnet-zones.ts";

type Out = Record<string, unknown>;

export function nodeEndpoint(node: CacheNodeRecord | undefined): Out | undefined {
  if (node?.port === undefined) return undefined;
  return { Address: node.address ?? "127.0.0.1", Port: node.port };
}

function securityGroups(ids: string[]): Out[] {
  return ids.map((id) => ({ SecurityGroupId: id, Status: "active" }));
}

export function renderCacheCluster(c: CacheClusterRecord, showNodes: boolean): Out {
  const first = c.nodes[0];
  return {
    CacheClusterId: c.id,
    ...(c.engine === "memcached" && nodeEndpoint(first)
      ? {
          ConfigurationEndpoint: {
            Address: first?.address ?? "127.0.0.1",
            Port: c.configPort ?? first?.port,
          },
        }
      : {}),
    ClientDownloadLandingPage: "https://console.aws.amazon.com/elasticache/home#client-download:",
    CacheNodeType: c.nodeType,
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    CacheClusterStatus: c.status,
    NumCacheNodes: c.nodes.length,
    PreferredAvailabilityZone: c.preferredAz,
    CacheClusterCreateTime: c.createTime,
    PreferredMaintenanceWindow: c.maintenanceWindow,
    PendingModifiedValues: {},
    ...(c.notificationTopicArn
      ? { NotificationConfiguration: { TopicArn: c.notificationTopicArn, TopicStatus: "active" } }
      : {}),
    CacheSecurityGroups: [],
    CacheParameterGroup: {
      CacheParameterGroupName: c.parameterGroupName,
      ParameterApplyStatus: c.nodesPendingReboot?.length ? "pending-reboot" : "in-sync",
      CacheNodeIdsToReboot: c.nodesPendingReboot ?? [],
    },
    ...(c.subnetGroupName ? { CacheSubnetGroupName: c.subnetGroupName } : {}),
    ...(showNodes
      ? {
          CacheNodes: c.nodes.map((n) => ({
            CacheNodeId: n.cacheNodeId,
            CacheNodeStatus: n.status,
            CacheNodeCreateTime: n.createTime,
            ...(nodeEndpoint(n) ? { Endpoint: nodeEndpoint(n) } : {}),
            ParameterGroupStatus: c.nodesPendingReboot?.includes(n.cacheNodeId)
              ? "pending-reboot"
              : "in-sync",
            CustomerAvailabilityZone: n.availabilityZone ?? c.preferredAz,
          })),
        }
      : {}),
    AutoMinorVersionUpgrade: c.autoMinorVersionUpgrade,
    SecurityGroups: securityGroups(c.securityGroupIds),
    ...(c.replicationGroupId ? { ReplicationGroupId: c.replicationGroupId } : {}),
    // AWS reports no snapshot settings for memcached, which has no snapshots.
    ...(c.engine === "memcached"
      ? {}
      : { SnapshotRetentionLimit: c.snapshotRetentionLimit, SnapshotWindow: c.snapshotWindow }),
    AuthTokenEnabled: c.authTokenDigests.length > 0,
    ...(c.authTokenLastModified ? { AuthTokenLastModifiedDate: c.authTokenLastModified } : {}),
    TransitEncryptionEnabled: c.transitEncryption,
    AtRestEncryptionEnabled: c.atRestEncryption,
    ...(c.transitEncryption ? { TransitEncryptionMode: "required" } : {}),
    ARN: c.arn,
    ReplicationGroupLogDeliveryEnabled: false,
    LogDeliveryConfigurations: [],
    NetworkType: "ipv4",
    IpDiscovery: "ipv4",
  };
}

/**
 * The member automatic snapshots are taken from, reported while SnapshotRetentionLimit > 0 (cluster
 * mode disabled): the one ModifyReplicationGroup named, else the last replica, else the primary.
 */
export function snapshottingCluster(rg: ReplicationGroupRecord): string | undefined {
  const group = rg.nodeGroups[0];
  if (rg.snapshotRetentionLimit <= 0 || rg.clusterMode || group === undefined) return undefined;
  if (rg.snapshottingClusterId && group.members.includes(rg.snapshottingClusterId))
    return rg.snapshottingClusterId;
  return group.members.filter((m) => m !== group.primary).at(-1) ?? group.primary;
}

export function renderReplicationGroup(rg: ReplicationGroupRecord, state: PersistedState): Out {
  const clusterOf = (id: string) => state.clusters[id];
  const memberEndpoint = (id: string) => nodeEndpoint(clusterOf(id)?.nodes[0]);
  const nodeGroups = rg.nodeGroups.map((g) => {
    const replicas = g.members.filter((m) => m !== g.primary);
    return {
      NodeGroupId: g.id,
      Status: rg.status === "available" ? "available" : rg.status,
      ...(!rg.clusterMode && memberEndpoint(g.primary) ? { PrimaryEndpoint: memberEndpoint(g.primary) } : {}),
      ...(!rg.clusterMode && memberEndpoint(replicas[0] ?? g.primary)
        ? { ReaderEndpoint: memberEndpoint(replicas[0] ?? g.primary) }
        : {}),
      ...(g.slots ? { Slots: g.slots } : {}),
      NodeGroupMembers: g.members.map((m) => ({
        CacheClusterId: m,
        CacheNodeId: "0001",
        ...(memberEndpoint(m) ? { ReadEndpoint: memberEndpoint(m) } : {}),
        PreferredAvailabilityZone: clusterOf(m)?.preferredAz,
        ...(rg.clusterMode ? {} : { CurrentRole: m === g.primary ? "primary" : "replica" }),
      })),
    };
  });
  const firstPrimary = rg.nodeGroups[0]?.primary;
  return {
    ReplicationGroupId: rg.id,
    Description: rg.description,
    GlobalReplicationGroupInfo: {},
    Status: rg.status,
    PendingModifiedValues: rg.pendingUserGroups
      ? {
          UserGroups: {
            UserGroupIdsToAdd: rg.pendingUserGroups.add,
            UserGroupIdsToRemove: rg.pendingUserGroups.remove,
          },
        }
      : {},
    MemberClusters: rg.nodeGroups.flatMap((g) => g.members),
    NodeGroups: nodeGroups,
    ...(snapshottingCluster(rg) ? { SnapshottingClusterId: snapshottingCluster(rg) } : {}),
    AutomaticFailover: rg.automaticFailover ? "enabled" : "disabled",
    MultiAZ: rg.multiAz ? "enabled" : "disabled",
    ...(rg.clusterMode && firstPrimary && memberEndpoint(firstPrimary)
      ? { ConfigurationEndpoint: memberEndpoint(firstPrimary) }
      : {}),
    SnapshotRetentionLimit: rg.snapshotRetentionLimit,
    SnapshotWindow: rg.snapshotWindow,
    ClusterEnabled: rg.clusterMode,
    CacheNodeType: rg.nodeType,
    AuthTokenEnabled: rg.authTokenDigests.length > 0,
    ...(rg.authTokenLastModified ? { AuthTokenLastModifiedDate: rg.authTokenLastModified } : {}),
    TransitEncryptionEnabled: rg.transitEncryption,
    AtRestEncryptionEnabled: rg.atRestEncryption,
    ...(rg.kmsKeyId ? { KmsKeyId: rg.kmsKeyId } : {}),
    ARN: rg.arn,
    UserGroupIds: rg.userGroupIds ?? [],
    LogDeliveryConfigurations: [],
    ReplicationGroupCreateTime: rg.createTime,
    DataTiering: "disabled",
    AutoMinorVersionUpgrade: rg.autoMinorVersionUpgrade ?? true,
    NetworkType: "ipv4",
    IpDiscovery: "ipv4",
    ...(rg.transitEncryption ? { TransitEncryptionMode: "required" } : {}),
    ClusterMode: rg.clusterMode ? "enabled" : "disabled",
    Engine: rg.engine,
  };
}

/** `showNodeGroupConfig`: DescribeSnapshots' ShowNodeGroupConfig, each shard's layout in NodeSnapshots. */
/** While a snapshot is being taken AWS already lists its nodes, with an empty CacheSize. */
function pendingNodeSnapshots(s: SnapshotRecord): Out[] {
  return (s.sourceNodes ?? []).map((n) => ({
    CacheClusterId: n.cacheClusterId,
    NodeGroupId: n.nodeGroupId,
    CacheNodeId: "0001",
    CacheSize: "",
    CacheNodeCreateTime: n.nodeCreateTime,
  }));
}

export function renderSnapshot(s: SnapshotRecord, showNodeGroupConfig = false): Out {
  return {
    SnapshotName: s.name,
    ...(s.replicationGroupId ? { ReplicationGroupId: s.replicationGroupId } : {}),
    ...(s.replicationGroupDescription ? { ReplicationGroupDescription: s.replicationGroupDescription } : {}),
    ...(s.cacheClusterId ? { CacheClusterId: s.cacheClusterId } : {}),
    SnapshotStatus: s.status,
    SnapshotSource: s.source,
    CacheNodeType: s.nodeType,
    Engine: s.engine,
    EngineVersion: s.engineVersion,
    NumCacheNodes: s.numCacheNodes,
    Port: s.port,
    CacheParameterGroupName: s.parameterGroupName,
    ...(s.subnetGroupName ? { CacheSubnetGroupName: s.subnetGroupName } : {}),
    ...(s.vpcId ? { VpcId: s.vpcId } : {}),
    ...(s.cacheClusterCreateTime ? { CacheClusterCreateTime: s.cacheClusterCreateTime } : {}),
    ...(s.preferredAz ? { PreferredAvailabilityZone: s.preferredAz } : {}),
    ...(s.maintenanceWindow ? { PreferredMaintenanceWindow: s.maintenanceWindow } : {}),
    AutoMinorVersionUpgrade: s.autoMinorVersionUpgrade ?? true,
    SnapshotRetentionLimit: s.snapshotRetentionLimit ?? 0,
    SnapshotWindow: s.snapshotWindow ?? "05:00-06:00",
    NumNodeGroups: Math.max(1, s.files.length),
    AutomaticFailover: s.automaticFailover ? "enabled" : "disabled",
    NodeSnapshots: (s.files.length === 0 && s.status === "creating" ? pendingNodeSnapshots(s) : []).concat(
      s.files.map((f) => ({
        CacheClusterId: f.cacheClusterId,
        NodeGroupId: f.nodeGroupId,
        CacheNodeId: "0001",
        ...(showNodeGroupConfig
          ? {
              NodeGroupConfiguration: {
                NodeGroupId: f.nodeGroupId,
                ...(f.slots ? { Slots: f.slots } : {}),
                ...(f.replicaCount !== undefined ? { ReplicaCount: f.replicaCount } : {}),
                ...(f.primaryAz ? { PrimaryAvailabilityZone: f.primaryAz } : {}),
                ...(f.replicaAzs ? { ReplicaAvailabilityZones: f.replicaAzs } : {}),
              },
            }
          : {}),
        CacheSize: `${Math.max(1, Math.ceil(f.size / 1024 / 1024))} MB`,
        CacheNodeCreateTime: f.nodeCreateTime ?? s.createTime,
        SnapshotCreateTime: s.createTime,
      })),
    ),
    ARN: s.arn,
    DataTiering: "disabled",
  };
}

export function renderSubnetGroup(g: SubnetGroupRecord): Out {
  const zones = subnetZonesOf(g);
  return {
    CacheSubnetGroupName: g.name,
    CacheSubnetGroupDescription: g.description,
    VpcId: g.vpcId,
    Subnets: g.subnetIds.map((id) => ({
      SubnetIdentifier: id,
      SubnetAvailabilityZone: { Name: zones[id] },
      SupportedNetworkTypes: ["ipv4"],
    })),
    ARN: g.arn,
    SupportedNetworkTypes: ["ipv4"],
  };
}
