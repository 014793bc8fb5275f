// Conformance: every operation the local cloud implements is called over the wire with a minimal
// valid request (the fixture table below, in the order a resource's life needs), its answer is read
// back with nothing but the service model (testing/query-client.ts: unknown elements, wrong scalar
// types and wrong wrappers are failures), and it must carry the members AWS returns for that
// resource's state (taken from AWS's own CLI examples and API reference). Every modelled operation
// the local cloud does not implement must answer InvalidAction naming the coverage table. A new
// operation without a fixture fails the test.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { coverage, coverageDoc } from "./coverage.ts";
import { serviceModel } from "./protocol/model.ts";
import { startTestCloud, type TestCloud, testCredentials, waitFor } from "./testing/harness.ts";
import { at, callQuery, type Input, type QueryAnswer } from "./testing/query-client.ts";

const service = serviceModel("elasticache");
let t: TestCloud;

before(async () => {
  t = await startTestCloud();
});
after(async () => {
  await t?.stop();
});

function call(action: string, input: Input): Promise<QueryAnswer> {
  return callQuery({ url: t.url, service, credentials: testCredentials }, action, input);
}

/** Polls an operation until `path` in its answer has `value`. */
async function until(action: string, input: Input, path: string, value: unknown): Promise<void> {
  await waitFor(
    `${action} ${path} = ${String(value)}`,
    async () => (at((await call(action, input)).result, path) === value ? true : undefined),
    120_000,
  );
}

// Members AWS returns, by resource state (the AWS CLI's examples: create-cache-cluster,
// describe-cache-clusters, create-replication-group, increase-replica-count, create-snapshot, ...).
const parameterApply = [
  "CacheParameterGroup.CacheParameterGroupName",
  "CacheParameterGroup.ParameterApplyStatus",
  "CacheParameterGroup.CacheNodeIdsToReboot",
];
const clusterCreating = [
  "CacheClusterId",
  "ClientDownloadLandingPage",
  "CacheNodeType",
  "Engine",
  "EngineVersion",
  "CacheClusterStatus",
  "NumCacheNodes",
  "PreferredMaintenanceWindow",
  "PendingModifiedValues",
  "CacheSecurityGroups",
  ...parameterApply,
  "AutoMinorVersionUpgrade",
  "TransitEncryptionEnabled",
  "AtRestEncryptionEnabled",
  "ARN",
];
const clusterAvailable = [
  ...clusterCreating,
  "CacheClusterCreateTime",
  "PreferredAvailabilityZone",
  "CacheNodes.0.CacheNodeId",
  "CacheNodes.0.CacheNodeStatus",
  "CacheNodes.0.CacheNodeCreateTime",
  "CacheNodes.0.Endpoint.Address",
  "CacheNodes.0.Endpoint.Port",
  "CacheNodes.0.ParameterGroupStatus",
  "CacheNodes.0.CustomerAvailabilityZone",
];
const redisOnly = ["SnapshotRetentionLimit", "SnapshotWindow"];
const groupCreating = [
  "ReplicationGroupId",
  "Description",
  "Status",
  "PendingModifiedValues",
  "MemberClusters",
  "AutomaticFailover",
  "SnapshotRetentionLimit",
  "SnapshotWindow",
  "ClusterEnabled",
  "CacheNodeType",
  "TransitEncryptionEnabled",
  "AtRestEncryptionEnabled",
  "ARN",
];
const groupAvailable = [
  ...groupCreating,
  "NodeGroups.0.NodeGroupId",
  "NodeGroups.0.Status",
  "NodeGroups.0.PrimaryEndpoint.Address",
  "NodeGroups.0.PrimaryEndpoint.Port",
  "NodeGroups.0.ReaderEndpoint.Port",
  "NodeGroups.0.NodeGroupMembers.0.CacheClusterId",
  "NodeGroups.0.NodeGroupMembers.0.CacheNodeId",
  "NodeGroups.0.NodeGroupMembers.0.ReadEndpoint.Port",
  "NodeGroups.0.NodeGroupMembers.0.PreferredAvailabilityZone",
  "NodeGroups.0.NodeGroupMembers.0.CurrentRole",
  "MultiAZ",
  "ReplicationGroupCreateTime",
];
const shardedAvailable = [
  ...groupCreating,
  "ConfigurationEndpoint.Address",
  "ConfigurationEndpoint.Port",
  "NodeGroups.0.Slots",
  "NodeGroups.0.NodeGroupMembers.0.ReadEndpoint.Port",
];
const snapshot = [
  "SnapshotName",
  "SnapshotStatus",
  "SnapshotSource",
  "CacheNodeType",
  "Engine",
  "EngineVersion",
  "NumCacheNodes",
  "PreferredAvailabilityZone",
  "CacheClusterCreateTime",
  "PreferredMaintenanceWindow",
  "Port",
  "CacheParameterGroupName",
  "AutoMinorVersionUpgrade",
  "SnapshotRetentionLimit",
  "SnapshotWindow",
  "NodeSnapshots.0.CacheNodeId",
  "NodeSnapshots.0.CacheSize",
  "NodeSnapshots.0.CacheNodeCreateTime",
  "ARN",
];
const subnetGroup = [
  "CacheSubnetGroupName",
  "CacheSubnetGroupDescription",
  "VpcId",
  "Subnets.0.SubnetIdentifier",
  "Subnets.0.SubnetAvailabilityZone.Name",
  "ARN",
];
const parameterGroup = [
  "CacheParameterGroupName",
  "CacheParameterGroupFamily",
  "Description",
  "IsGlobal",
  "ARN",
];
const parameter = [
  "ParameterName",
  "ParameterValue",
  "Description",
  "Source",
  "DataType",
  "AllowedValues",
  "IsModifiable",
  "MinimumEngineVersion",
  "ChangeType",
];
const user = [
  "UserId",
  "UserName",
  "Status",
  "Engine",
  "AccessString",
  "UserGroupIds",
  "Authentication.Type",
  "ARN",
];
const userGroup = ["UserGroupId", "Status", "Engine", "UserIds", "ARN"];
const serverless = [
  "ServerlessCacheName",
  "Status",
  "Engine",
  "FullEngineVersion",
  "MajorEngineVersion",
  "CreateTime",
  "ARN",
];
const serverlessAvailable = [...serverless, "Endpoint.Address", "Endpoint.Port", "ReaderEndpoint.Port"];
const serverlessSnapshot = [
  "ServerlessCacheSnapshotName",
  "ARN",
  "Status",
  "SnapshotType",
  "CreateTime",
  "ServerlessCacheConfiguration.ServerlessCacheName",
];
const updateAction = [
  "ServiceUpdateName",
  "ServiceUpdateReleaseDate",
  "ServiceUpdateSeverity",
  "ServiceUpdateStatus",
  "ServiceUpdateType",
  "UpdateActionAvailableDate",
  "UpdateActionStatus",
  "NodesUpdated",
  "UpdateActionStatusModifiedDate",
  "SlaMet",
  "Engine",
];
const reserved = [
  "ReservedCacheNodeId",
  "ReservedCacheNodesOfferingId",
  "CacheNodeType",
  "StartTime",
  "Duration",
  "FixedPrice",
  "UsagePrice",
  "CacheNodeCount",
  "ProductDescription",
  "OfferingType",
  "State",
  "RecurringCharges",
  "ReservationARN",
];

const prefixed = (prefix: string, members: string[]) => members.map((m) => `${prefix}.${m}`);
const vpcOnly = "InvalidParameterValue";

interface Step {
  action: string;
  input: Input | (() => Input);
  /** Member paths the answer must carry. */
  expect?: string[];
  /** The AWS error code this state answers with (cache security groups on a VPC account). */
  error?: string;
  /** Waits for the state the next steps need. */
  settle?: () => Promise<unknown>;
}

let offeringId = "";

const steps: Step[] = [
  {
    action: "DescribeCacheEngineVersions",
    input: { Engine: "redis" },
    expect: [
      "CacheEngineVersions.0.Engine",
      "CacheEngineVersions.0.EngineVersion",
      "CacheEngineVersions.0.CacheParameterGroupFamily",
      "CacheEngineVersions.0.CacheEngineDescription",
      "CacheEngineVersions.0.CacheEngineVersionDescription",
    ],
  },
  {
    action: "CreateCacheSubnetGroup",
    input: {
      CacheSubnetGroupName: "cf-subnets",
      CacheSubnetGroupDescription: "conformance",
      SubnetIds: ["subnet-0a1b2c3d", "subnet-0e4f5a6b"],
    },
    expect: prefixed("CacheSubnetGroup", subnetGroup),
  },
  {
    action: "DescribeCacheSubnetGroups",
    input: { CacheSubnetGroupName: "cf-subnets" },
    expect: prefixed("CacheSubnetGroups.0", subnetGroup),
  },
  {
    action: "ModifyCacheSubnetGroup",
    input: { CacheSubnetGroupName: "cf-subnets", CacheSubnetGroupDescription: "changed" },
    expect: prefixed("CacheSubnetGroup", subnetGroup),
  },
  {
    action: "CreateCacheParameterGroup",
    input: {
      CacheParameterGroupName: "cf-params",
      CacheParameterGroupFamily: "redis7",
      Description: "conformance",
    },
    expect: prefixed("CacheParameterGroup", parameterGroup),
  },
  {
    action: "DescribeCacheParameterGroups",
    input: { CacheParameterGroupName: "cf-params" },
    expect: prefixed("CacheParameterGroups.0", parameterGroup),
  },
  {
    action: "ModifyCacheParameterGroup",
    input: {
      CacheParameterGroupName: "cf-params",
      ParameterNameValues: [{ ParameterName: "maxmemory-policy", ParameterValue: "allkeys-lru" }],
    },
    expect: ["CacheParameterGroupName"],
  },
  {
    action: "DescribeCacheParameters",
    input: { CacheParameterGroupName: "cf-params", Source: "user" },
    expect: prefixed("Parameters.0", parameter),
  },
  {
    action: "ResetCacheParameterGroup",
    input: { CacheParameterGroupName: "cf-params", ResetAllParameters: true },
    expect: ["CacheParameterGroupName"],
  },
  {
    action: "DescribeEngineDefaultParameters",
    input: { CacheParameterGroupFamily: "memcached1.6" },
    expect: [
      "EngineDefaults.CacheParameterGroupFamily",
      ...prefixed("EngineDefaults.Parameters.0", parameter),
    ],
  },
  {
    action: "CreateCacheCluster",
    input: {
      CacheClusterId: "cf-redis",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      CacheParameterGroupName: "cf-params",
      CacheSubnetGroupName: "cf-subnets",
    },
    expect: prefixed("CacheCluster", [...clusterCreating, ...redisOnly, "CacheSubnetGroupName"]),
  },
  {
    action: "CreateCacheCluster",
    input: {
      CacheClusterId: "cf-memcached",
      Engine: "memcached",
      CacheNodeType: "cache.t3.micro",
      NumCacheNodes: 2,
    },
    expect: prefixed("CacheCluster", clusterCreating),
    settle: async () => {
      for (const id of ["cf-redis", "cf-memcached"])
        await until(
          "DescribeCacheClusters",
          { CacheClusterId: id },
          "CacheClusters.0.CacheClusterStatus",
          "available",
        );
    },
  },
  {
    action: "DescribeCacheClusters",
    input: { CacheClusterId: "cf-redis", ShowCacheNodeInfo: true },
    expect: prefixed("CacheClusters.0", [...clusterAvailable, ...redisOnly]),
  },
  {
    action: "DescribeCacheClusters",
    input: { CacheClusterId: "cf-memcached", ShowCacheNodeInfo: true },
    expect: prefixed("CacheClusters.0", [
      ...clusterAvailable,
      "ConfigurationEndpoint.Address",
      "ConfigurationEndpoint.Port",
    ]),
  },
  {
    action: "ModifyCacheCluster",
    input: {
      CacheClusterId: "cf-redis",
      PreferredMaintenanceWindow: "tue:04:00-tue:05:00",
      ApplyImmediately: true,
    },
    expect: prefixed("CacheCluster", clusterCreating),
    settle: () =>
      until(
        "DescribeCacheClusters",
        { CacheClusterId: "cf-redis" },
        "CacheClusters.0.CacheClusterStatus",
        "available",
      ),
  },
  {
    action: "RebootCacheCluster",
    input: { CacheClusterId: "cf-memcached", CacheNodeIdsToReboot: ["0001"] },
    expect: prefixed("CacheCluster", [
      "CacheClusterId",
      "CacheClusterStatus",
      "CacheNodeType",
      "Engine",
      "EngineVersion",
      "NumCacheNodes",
      ...parameterApply,
      "PendingModifiedValues",
    ]),
    settle: () =>
      until(
        "DescribeCacheClusters",
        { CacheClusterId: "cf-memcached" },
        "CacheClusters.0.CacheClusterStatus",
        "available",
      ),
  },
  {
    action: "ListAllowedNodeTypeModifications",
    input: { CacheClusterId: "cf-redis" },
    expect: ["ScaleUpModifications.0", "ScaleDownModifications"],
  },
  {
    action: "CreateSnapshot",
    input: { CacheClusterId: "cf-redis", SnapshotName: "cf-snap" },
    expect: prefixed("Snapshot", [...snapshot, "CacheClusterId"]),
    settle: () =>
      until("DescribeSnapshots", { SnapshotName: "cf-snap" }, "Snapshots.0.SnapshotStatus", "available"),
  },
  {
    action: "DescribeSnapshots",
    input: { SnapshotName: "cf-snap" },
    expect: prefixed("Snapshots.0", [...snapshot, "CacheClusterId"]),
  },
  {
    action: "CopySnapshot",
    input: { SourceSnapshotName: "cf-snap", TargetSnapshotName: "cf-snap-copy" },
    expect: prefixed("Snapshot", snapshot),
  },
  {
    action: "CreateReplicationGroup",
    input: {
      ReplicationGroupId: "cf-group",
      ReplicationGroupDescription: "conformance",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
    },
    expect: prefixed("ReplicationGroup", groupCreating),
  },
  {
    action: "CreateReplicationGroup",
    input: {
      ReplicationGroupId: "cf-sharded",
      ReplicationGroupDescription: "conformance",
      CacheNodeType: "cache.t3.micro",
      NumNodeGroups: 1,
      ReplicasPerNodeGroup: 0,
    },
    expect: prefixed("ReplicationGroup", groupCreating),
    settle: async () => {
      for (const id of ["cf-group", "cf-sharded"])
        await until(
          "DescribeReplicationGroups",
          { ReplicationGroupId: id },
          "ReplicationGroups.0.Status",
          "available",
        );
    },
  },
  {
    action: "DescribeReplicationGroups",
    input: { ReplicationGroupId: "cf-group" },
    expect: prefixed("ReplicationGroups.0", groupAvailable),
  },
  {
    action: "DescribeReplicationGroups",
    input: { ReplicationGroupId: "cf-sharded" },
    expect: prefixed("ReplicationGroups.0", shardedAvailable),
  },
  {
    action: "ModifyReplicationGroup",
    input: { ReplicationGroupId: "cf-group", ReplicationGroupDescription: "changed", ApplyImmediately: true },
    expect: prefixed("ReplicationGroup", groupCreating),
    settle: () =>
      until(
        "DescribeReplicationGroups",
        { ReplicationGroupId: "cf-group" },
        "ReplicationGroups.0.Status",
        "available",
      ),
  },
  {
    action: "IncreaseReplicaCount",
    input: { ReplicationGroupId: "cf-group", NewReplicaCount: 2, ApplyImmediately: true },
    expect: prefixed("ReplicationGroup", [
      "ReplicationGroupId",
      "Description",
      "Status",
      "PendingModifiedValues",
      "MemberClusters",
      "NodeGroups.0.NodeGroupId",
    ]),
    settle: () =>
      until(
        "DescribeReplicationGroups",
        { ReplicationGroupId: "cf-group" },
        "ReplicationGroups.0.Status",
        "available",
      ),
  },
  {
    action: "DecreaseReplicaCount",
    input: { ReplicationGroupId: "cf-group", NewReplicaCount: 1, ApplyImmediately: true },
    expect: prefixed("ReplicationGroup", [
      "ReplicationGroupId",
      "Description",
      "Status",
      "PendingModifiedValues",
      "MemberClusters",
      "NodeGroups.0.NodeGroupId",
    ]),
    settle: () =>
      until(
        "DescribeReplicationGroups",
        { ReplicationGroupId: "cf-group" },
        "ReplicationGroups.0.Status",
        "available",
      ),
  },
  {
    action: "TestFailover",
    input: { ReplicationGroupId: "cf-group", NodeGroupId: "0001" },
    expect: prefixed("ReplicationGroup", [
      "ReplicationGroupId",
      "Description",
      "Status",
      "PendingModifiedValues",
      "MemberClusters",
      "NodeGroups.0.NodeGroupId",
      "NodeGroups.0.NodeGroupMembers.0.CacheClusterId",
    ]),
    settle: () =>
      until(
        "DescribeReplicationGroups",
        { ReplicationGroupId: "cf-group" },
        "ReplicationGroups.0.Status",
        "available",
      ),
  },
  {
    action: "ModifyReplicationGroupShardConfiguration",
    input: { ReplicationGroupId: "cf-sharded", NodeGroupCount: 2, ApplyImmediately: true },
    expect: prefixed("ReplicationGroup", [
      "ReplicationGroupId",
      "Description",
      "Status",
      "MemberClusters",
      "ClusterEnabled",
    ]),
    settle: () =>
      until(
        "DescribeReplicationGroups",
        { ReplicationGroupId: "cf-sharded" },
        "ReplicationGroups.0.Status",
        "available",
      ),
  },
  {
    action: "AddTagsToResource",
    input: {
      ResourceName: "arn:aws:elasticache:us-east-1:000000000000:cluster:cf-redis",
      Tags: [{ Key: "team", Value: "cache" }],
    },
    expect: ["TagList.0.Key", "TagList.0.Value"],
  },
  {
    action: "ListTagsForResource",
    input: { ResourceName: "arn:aws:elasticache:us-east-1:000000000000:cluster:cf-redis" },
    expect: ["TagList.0.Key", "TagList.0.Value"],
  },
  {
    action: "RemoveTagsFromResource",
    input: { ResourceName: "arn:aws:elasticache:us-east-1:000000000000:cluster:cf-redis", TagKeys: ["team"] },
    expect: ["TagList"],
  },
  {
    action: "DescribeEvents",
    input: { SourceType: "cache-cluster", Duration: 60 },
    expect: ["Events.0.SourceIdentifier", "Events.0.SourceType", "Events.0.Message", "Events.0.Date"],
  },
  {
    action: "DescribeServiceUpdates",
    input: {},
    expect: [
      "ServiceUpdates.0.ServiceUpdateName",
      "ServiceUpdates.0.ServiceUpdateReleaseDate",
      "ServiceUpdates.0.ServiceUpdateEndDate",
      "ServiceUpdates.0.ServiceUpdateSeverity",
      "ServiceUpdates.0.ServiceUpdateRecommendedApplyByDate",
      "ServiceUpdates.0.ServiceUpdateStatus",
      "ServiceUpdates.0.ServiceUpdateDescription",
      "ServiceUpdates.0.ServiceUpdateType",
      "ServiceUpdates.0.Engine",
      "ServiceUpdates.0.EngineVersion",
      "ServiceUpdates.0.AutoUpdateAfterRecommendedApplyByDate",
      "ServiceUpdates.0.EstimatedUpdateTime",
    ],
  },
  {
    action: "DescribeUpdateActions",
    input: { ReplicationGroupIds: ["cf-group"] },
    expect: [...prefixed("UpdateActions.0", updateAction), "UpdateActions.0.ReplicationGroupId"],
  },
  {
    action: "BatchApplyUpdateAction",
    input: { ServiceUpdateName: "elc-20251001-001", ReplicationGroupIds: ["cf-group"] },
    expect: [
      "ProcessedUpdateActions.0.ReplicationGroupId",
      "ProcessedUpdateActions.0.ServiceUpdateName",
      "ProcessedUpdateActions.0.UpdateActionStatus",
      "UnprocessedUpdateActions",
    ],
  },
  {
    action: "BatchStopUpdateAction",
    input: { ServiceUpdateName: "elc-20251015-001", CacheClusterIds: ["cf-memcached"] },
    expect: [
      "ProcessedUpdateActions.0.CacheClusterId",
      "ProcessedUpdateActions.0.UpdateActionStatus",
      "UnprocessedUpdateActions",
    ],
  },
  {
    action: "DescribeReservedCacheNodesOfferings",
    input: {
      CacheNodeType: "cache.r7g.large",
      Duration: "1",
      OfferingType: "No Upfront",
      ProductDescription: "redis",
    },
    expect: prefixed("ReservedCacheNodesOfferings.0", [
      "ReservedCacheNodesOfferingId",
      "CacheNodeType",
      "Duration",
      "FixedPrice",
      "UsagePrice",
      "ProductDescription",
      "OfferingType",
      "RecurringCharges.0.RecurringChargeAmount",
      "RecurringCharges.0.RecurringChargeFrequency",
    ]),
  },
  {
    action: "PurchaseReservedCacheNodesOffering",
    input: () => ({ ReservedCacheNodesOfferingId: offeringId, ReservedCacheNodeId: "cf-reservation" }),
    expect: prefixed("ReservedCacheNode", reserved),
  },
  {
    action: "DescribeReservedCacheNodes",
    input: { ReservedCacheNodeId: "cf-reservation" },
    expect: prefixed("ReservedCacheNodes.0", reserved),
  },
  { action: "DescribeCacheSecurityGroups", input: {}, error: vpcOnly },
  {
    action: "CreateCacheSecurityGroup",
    input: { CacheSecurityGroupName: "cf-classic", Description: "x" },
    error: vpcOnly,
  },
  {
    action: "AuthorizeCacheSecurityGroupIngress",
    input: {
      CacheSecurityGroupName: "cf-classic",
      EC2SecurityGroupName: "x",
      EC2SecurityGroupOwnerId: "000000000000",
    },
    error: vpcOnly,
  },
  {
    action: "RevokeCacheSecurityGroupIngress",
    input: {
      CacheSecurityGroupName: "cf-classic",
      EC2SecurityGroupName: "x",
      EC2SecurityGroupOwnerId: "000000000000",
    },
    error: vpcOnly,
  },
  { action: "DeleteCacheSecurityGroup", input: { CacheSecurityGroupName: "cf-classic" }, error: vpcOnly },
  {
    action: "CreateUser",
    input: {
      UserId: "cf-user",
      UserName: "cf-user",
      Engine: "redis",
      AccessString: "on ~* +@all",
      NoPasswordRequired: true,
    },
    expect: user,
  },
  { action: "DescribeUsers", input: { UserId: "cf-user" }, expect: prefixed("Users.0", user) },
  {
    action: "ModifyUser",
    input: { UserId: "cf-user", AccessString: "on ~app:* +@read" },
    expect: user,
    settle: () => until("DescribeUsers", { UserId: "cf-user" }, "Users.0.Status", "active"),
  },
  {
    action: "CreateUserGroup",
    input: { UserGroupId: "cf-users", Engine: "redis", UserIds: ["default", "cf-user"] },
    expect: userGroup,
    settle: () => until("DescribeUserGroups", { UserGroupId: "cf-users" }, "UserGroups.0.Status", "active"),
  },
  {
    action: "DescribeUserGroups",
    input: { UserGroupId: "cf-users" },
    expect: prefixed("UserGroups.0", userGroup),
  },
  {
    action: "ModifyUserGroup",
    input: { UserGroupId: "cf-users", UserIdsToRemove: ["cf-user"] },
    expect: userGroup,
    settle: () => until("DescribeUserGroups", { UserGroupId: "cf-users" }, "UserGroups.0.Status", "active"),
  },
  {
    action: "CreateServerlessCache",
    input: { ServerlessCacheName: "cf-serverless", Engine: "redis" },
    expect: prefixed("ServerlessCache", serverless),
    settle: () =>
      until(
        "DescribeServerlessCaches",
        { ServerlessCacheName: "cf-serverless" },
        "ServerlessCaches.0.Status",
        "available",
      ),
  },
  {
    action: "DescribeServerlessCaches",
    input: { ServerlessCacheName: "cf-serverless" },
    expect: prefixed("ServerlessCaches.0", serverlessAvailable),
  },
  {
    action: "ModifyServerlessCache",
    input: { ServerlessCacheName: "cf-serverless", Description: "changed" },
    expect: prefixed("ServerlessCache", serverless),
    settle: () =>
      until(
        "DescribeServerlessCaches",
        { ServerlessCacheName: "cf-serverless" },
        "ServerlessCaches.0.Status",
        "available",
      ),
  },
  {
    action: "CreateServerlessCacheSnapshot",
    input: { ServerlessCacheName: "cf-serverless", ServerlessCacheSnapshotName: "cf-serverless-snap" },
    expect: prefixed("ServerlessCacheSnapshot", serverlessSnapshot),
    settle: () =>
      until(
        "DescribeServerlessCacheSnapshots",
        { ServerlessCacheSnapshotName: "cf-serverless-snap" },
        "ServerlessCacheSnapshots.0.Status",
        "available",
      ),
  },
  {
    action: "DescribeServerlessCacheSnapshots",
    input: { ServerlessCacheSnapshotName: "cf-serverless-snap" },
    expect: prefixed("ServerlessCacheSnapshots.0", serverlessSnapshot),
  },
  {
    action: "CopyServerlessCacheSnapshot",
    input: {
      SourceServerlessCacheSnapshotName: "cf-serverless-snap",
      TargetServerlessCacheSnapshotName: "cf-serverless-copy",
    },
    expect: prefixed("ServerlessCacheSnapshot", serverlessSnapshot),
  },
  {
    action: "DeleteServerlessCacheSnapshot",
    input: { ServerlessCacheSnapshotName: "cf-serverless-copy" },
    expect: prefixed("ServerlessCacheSnapshot", ["ServerlessCacheSnapshotName", "Status"]),
  },
  {
    action: "DeleteServerlessCache",
    input: { ServerlessCacheName: "cf-serverless" },
    expect: prefixed("ServerlessCache", ["ServerlessCacheName", "Status"]),
  },
  { action: "DeleteUserGroup", input: { UserGroupId: "cf-users" }, expect: userGroup },
  { action: "DeleteUser", input: { UserId: "cf-user" }, expect: user },
  {
    action: "DeleteSnapshot",
    input: { SnapshotName: "cf-snap-copy" },
    expect: prefixed("Snapshot", snapshot),
  },
  {
    action: "DeleteReplicationGroup",
    input: { ReplicationGroupId: "cf-sharded" },
    expect: prefixed("ReplicationGroup", [
      "ReplicationGroupId",
      "Description",
      "Status",
      "PendingModifiedValues",
    ]),
  },
  {
    action: "DeleteCacheCluster",
    input: { CacheClusterId: "cf-redis" },
    expect: prefixed("CacheCluster", [
      "CacheClusterId",
      "CacheClusterStatus",
      "CacheNodeType",
      "Engine",
      "EngineVersion",
      "NumCacheNodes",
    ]),
    settle: () =>
      waitFor(
        "cf-redis gone",
        async () =>
          (await call("DescribeCacheClusters", { CacheClusterId: "cf-redis" })).error?.code ===
          "CacheClusterNotFound"
            ? true
            : undefined,
        120_000,
      ),
  },
  { action: "DeleteCacheParameterGroup", input: { CacheParameterGroupName: "cf-params" } },
  { action: "DeleteCacheSubnetGroup", input: { CacheSubnetGroupName: "cf-subnets" } },
];

test("every implemented operation has a fixture, and nothing else claims to be implemented", () => {
  const implemented = coverage()
    .operations.filter((o) => o.implemented)
    .map((o) => o.name);
  const covered = new Set(steps.map((s) => s.action));
  assert.deepEqual(
    implemented.filter((o) => !covered.has(o)),
    [],
    "implemented operations without a conformance fixture",
  );
  assert.deepEqual(
    [...covered].filter((o) => !implemented.includes(o)),
    [],
    "fixtures for operations that are not implemented",
  );
});

test("each implemented operation answers what the model says, with the members AWS returns", async () => {
  const failures: string[] = [];
  for (const step of steps) {
    const input = typeof step.input === "function" ? step.input() : step.input;
    const answer = await call(step.action, input);
    const where = `${step.action}(${JSON.stringify(input).slice(0, 80)})`;
    for (const p of answer.problems) failures.push(`${where}: ${p}`);
    if (step.error !== undefined) {
      if (answer.error?.code !== step.error)
        failures.push(`${where}: expected ${step.error}, got ${answer.error?.code ?? "success"}`);
    } else if (answer.error) {
      failures.push(`${where}: ${answer.error.code}: ${answer.error.message}`);
    } else {
      for (const path of step.expect ?? [])
        if (at(answer.result, path) === undefined) failures.push(`${where}: no ${path}`);
    }
    if (step.action === "DescribeReservedCacheNodesOfferings")
      offeringId = String(at(answer.result, "ReservedCacheNodesOfferings.0.ReservedCacheNodesOfferingId"));
    if (answer.error && step.error === undefined) break; // the next steps need this one's resource
    await step.settle?.();
  }
  assert.deepEqual(failures, []);
});

test("every operation the local cloud does not implement answers InvalidAction naming the coverage table", async () => {
  const missing = coverage().operations.filter((o) => !o.implemented);
  for (const op of missing) {
    const answer = await call(op.name, {});
    assert.equal(answer.error?.code, "InvalidAction", op.name);
    assert.equal(answer.status, 400, op.name);
    assert.ok(answer.error?.message.includes(coverageDoc), `${op.name}: ${answer.error?.message}`);
  }
});
