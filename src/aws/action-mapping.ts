// The engine's Actions turned into ElastiCache API requests (SDK commands). Settings the planner did not
// set are left out, so AWS keeps its defaults or current values; every modify applies immediately.
import {
  AddTagsToResourceCommand,
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  DecreaseReplicaCountCommand,
  DeleteCacheClusterCommand,
  DeleteReplicationGroupCommand,
  IncreaseReplicaCountCommand,
  ListTagsForResourceCommand,
  ModifyCacheClusterCommand,
  ModifyReplicationGroupCommand,
  ModifyReplicationGroupShardConfigurationCommand,
  RemoveTagsFromResourceCommand,
  type Tag,
} from "@aws-sdk/client-elasticache";
import type { Action, CreateParams, ModifyParams } from "../planner/model.ts";
import { CloudError } from "./errors.ts";

export type ElastiCacheCommand =
  | AddTagsToResourceCommand
  | CreateCacheClusterCommand
  | CreateReplicationGroupCommand
  | DecreaseReplicaCountCommand
  | DeleteCacheClusterCommand
  | DeleteReplicationGroupCommand
  | IncreaseReplicaCountCommand
  | ListTagsForResourceCommand
  | ModifyCacheClusterCommand
  | ModifyReplicationGroupCommand
  | ModifyReplicationGroupShardConfigurationCommand
  | RemoveTagsFromResourceCommand;

export interface ApiRequest {
  /** The API operation (and IAM action without the "elasticache:" prefix). */
  operation: string;
  command: ElastiCacheCommand;
}

export interface ExecuteOptions {
  /** The auth token read from the cluster's Secret; needed by create with `withAuthToken` and rotations. */
  authToken?: string;
}

/** Tags in AWS's list form, sorted by key so equal tag sets give equal requests. */
export function tagList(tags: Record<string, string>): Tag[] {
  return Object.keys(tags)
    .sort()
    .map((k) => ({ Key: k, Value: tags[k] ?? "" }));
}

/** Copies the defined values only: `{ A: undefined }` would still send nothing, but reads worse in tests. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as T;
}

function missingToken(operation: string, id: string): CloudError {
  return new CloudError({
    kind: "Terminal",
    code: "MissingAuthToken",
    action: operation,
    message: `${operation} for ${id} needs an auth token but none was given; check the cluster's authTokenRef and the Secret key it names`,
  });
}

function createRequest(p: CreateParams, opts: ExecuteOptions): ApiRequest {
  const operation = p.topology === "CacheCluster" ? "CreateCacheCluster" : "CreateReplicationGroup";
  if (p.withAuthToken && !opts.authToken) throw missingToken(operation, p.id);
  const common = {
    Engine: p.engine,
    EngineVersion: p.engineVersion,
    CacheNodeType: p.cacheNodeType,
    CacheSubnetGroupName: p.cacheSubnetGroupName,
    SecurityGroupIds: p.securityGroupIds,
    CacheParameterGroupName: p.cacheParameterGroupName,
    TransitEncryptionEnabled: p.transitEncryptionEnabled,
    AuthToken: p.withAuthToken ? opts.authToken : undefined,
    SnapshotRetentionLimit: p.snapshotRetentionLimit,
    SnapshotWindow: p.snapshotWindow,
    PreferredMaintenanceWindow: p.preferredMaintenanceWindow,
    AutoMinorVersionUpgrade: p.autoMinorVersionUpgrade,
    SnapshotName: p.snapshotName,
    Tags: tagList(p.tags),
  };
  if (p.topology === "CacheCluster") {
    return {
      operation,
      command: new CreateCacheClusterCommand(
        defined({ CacheClusterId: p.id, NumCacheNodes: p.numCacheNodes ?? 1, ...common }),
      ),
    };
  }
  const clusterMode = p.clusterMode ?? p.numNodeGroups !== undefined;
  const sizing = clusterMode
    ? {
        NumNodeGroups: p.numNodeGroups ?? 1,
        ReplicasPerNodeGroup: p.replicasPerNodeGroup ?? 0,
        ClusterMode: "enabled" as const,
      }
    : { NumCacheClusters: p.numCacheClusters ?? (p.replicasPerNodeGroup ?? 0) + 1 };
  return {
    operation,
    command: new CreateReplicationGroupCommand(
      defined({
        ReplicationGroupId: p.id,
        // Required by AWS; the id says at least which cache it is.
        ReplicationGroupDescription: p.replicationGroupDescription || p.id,
        ...sizing,
        AutomaticFailoverEnabled: p.automaticFailoverEnabled,
        MultiAZEnabled: p.multiAZEnabled,
        AtRestEncryptionEnabled: p.atRestEncryptionEnabled,
        KmsKeyId: p.kmsKeyId,
        UserGroupIds: p.userGroupIds,
        ...common,
      }),
    ),
  };
}

function modifyRequest(p: ModifyParams, opts: ExecuteOptions): ApiRequest {
  const operation = p.topology === "CacheCluster" ? "ModifyCacheCluster" : "ModifyReplicationGroup";
  if (p.authTokenUpdateStrategy !== undefined && !opts.authToken) throw missingToken(operation, p.id);
  const common = {
    ApplyImmediately: true,
    EngineVersion: p.engineVersion,
    CacheNodeType: p.cacheNodeType,
    SecurityGroupIds: p.securityGroupIds,
    CacheParameterGroupName: p.cacheParameterGroupName,
    SnapshotRetentionLimit: p.snapshotRetentionLimit,
    SnapshotWindow: p.snapshotWindow,
    PreferredMaintenanceWindow: p.preferredMaintenanceWindow,
    AutoMinorVersionUpgrade: p.autoMinorVersionUpgrade,
    ...(p.authTokenUpdateStrategy !== undefined
      ? { AuthToken: opts.authToken, AuthTokenUpdateStrategy: p.authTokenUpdateStrategy }
      : {}),
  };
  if (p.topology === "CacheCluster") {
    return {
      operation,
      command: new ModifyCacheClusterCommand(
        defined({
          CacheClusterId: p.id,
          NumCacheNodes: p.numCacheNodes,
          CacheNodeIdsToRemove: p.cacheNodeIdsToRemove,
          ...common,
        }),
      ),
    };
  }
  return {
    operation,
    command: new ModifyReplicationGroupCommand(
      defined({
        ReplicationGroupId: p.id,
        ReplicationGroupDescription: p.replicationGroupDescription,
        AutomaticFailoverEnabled: p.automaticFailoverEnabled,
        MultiAZEnabled: p.multiAZEnabled,
        UserGroupIdsToAdd: p.userGroupIdsToAdd,
        UserGroupIdsToRemove: p.userGroupIdsToRemove,
        ...common,
      }),
    ),
  };
}

/** The API request for an action; undefined for actions that call nothing (wait, none). */
export function requestFor(action: Action, opts: ExecuteOptions = {}): ApiRequest | undefined {
  switch (action.type) {
    case "create":
      return createRequest(action.params, opts);
    case "modify":
      return modifyRequest(action.params, opts);
    case "increaseReplicaCount":
      return {
        operation: "IncreaseReplicaCount",
        command: new IncreaseReplicaCountCommand({
          ReplicationGroupId: action.id,
          NewReplicaCount: action.newReplicaCount,
          ApplyImmediately: true,
        }),
      };
    case "decreaseReplicaCount":
      return {
        operation: "DecreaseReplicaCount",
        command: new DecreaseReplicaCountCommand({
          ReplicationGroupId: action.id,
          NewReplicaCount: action.newReplicaCount,
          ApplyImmediately: true,
        }),
      };
    case "reshard":
      return {
        operation: "ModifyReplicationGroupShardConfiguration",
        command: new ModifyReplicationGroupShardConfigurationCommand(
          defined({
            ReplicationGroupId: action.id,
            NodeGroupCount: action.nodeGroupCount,
            ApplyImmediately: true,
            NodeGroupsToRemove: action.nodeGroupsToRemove?.length ? action.nodeGroupsToRemove : undefined,
          }),
        ),
      };
    case "addTags":
      return {
        operation: "AddTagsToResource",
        command: new AddTagsToResourceCommand({ ResourceName: action.arn, Tags: tagList(action.tags) }),
      };
    case "removeTags":
      return {
        operation: "RemoveTagsFromResource",
        command: new RemoveTagsFromResourceCommand({
          ResourceName: action.arn,
          TagKeys: [...action.keys].sort(),
        }),
      };
    case "readTags":
      return {
        operation: "ListTagsForResource",
        command: new ListTagsForResourceCommand({ ResourceName: action.arn }),
      };
    case "delete":
      return action.topology === "CacheCluster"
        ? {
            operation: "DeleteCacheCluster",
            command: new DeleteCacheClusterCommand(
              defined({ CacheClusterId: action.id, FinalSnapshotIdentifier: action.finalSnapshotName }),
            ),
          }
        : {
            operation: "DeleteReplicationGroup",
            command: new DeleteReplicationGroupCommand(
              defined({
                ReplicationGroupId: action.id,
                RetainPrimaryCluster: false,
                FinalSnapshotIdentifier: action.finalSnapshotName,
              }),
            ),
          };
    case "wait":
    case "none":
      return undefined;
  }
}
