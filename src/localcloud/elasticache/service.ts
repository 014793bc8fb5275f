// The ElastiCache service: every implemented action's handler, and the resource ARN each request
// acts on (for IAM-style authorization).
import type { Handler } from "../context.ts";
import type { QueryObject } from "../protocol/query-input.ts";
import { elasticacheArn } from "./arn.ts";
import { cacheClusterHandlers } from "./cache-clusters.ts";
import { cacheSecurityGroupHandlers } from "./cache-security-groups.ts";
import { catalogHandlers } from "./catalog-handlers.ts";
import type { Cloud } from "./cloud.ts";
import { nodeTypeHandlers } from "./node-types.ts";
import { parameterGroupHandlers } from "./parameter-group-handlers.ts";
import { replicationGroupHandlers } from "./replication-groups.ts";
import { reservedCacheNodeHandlers } from "./reserved-cache-nodes.ts";
import { scalingHandlers } from "./scaling.ts";
import { serverlessCacheHandlers } from "./serverless-caches.ts";
import { serverlessSnapshotHandlers } from "./serverless-snapshots.ts";
import { serviceUpdateHandlers } from "./service-updates.ts";
import { snapshotHandlers } from "./snapshots.ts";
import { subnetGroupHandlers } from "./subnet-groups.ts";
import { tagHandlers } from "./tags.ts";
import { userGroupHandlers } from "./user-groups.ts";
import { userHandlers } from "./users.ts";

export function elasticacheHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    ...cacheClusterHandlers(cloud),
    ...replicationGroupHandlers(cloud),
    ...scalingHandlers(cloud),
    ...snapshotHandlers(cloud),
    ...subnetGroupHandlers(cloud),
    ...tagHandlers(cloud),
    ...catalogHandlers(cloud),
    ...userHandlers(cloud),
    ...userGroupHandlers(cloud),
    ...parameterGroupHandlers(cloud),
    ...serverlessCacheHandlers(cloud),
    ...serverlessSnapshotHandlers(cloud),
    ...nodeTypeHandlers(cloud),
    ...reservedCacheNodeHandlers(cloud),
    ...serviceUpdateHandlers(cloud),
    ...cacheSecurityGroupHandlers(),
  };
}

/**
 * The resource a request acts on, as IAM sees it: the named cluster, replication group, snapshot
 * or subnet group; `*` for calls that name none (e.g. DescribeCacheClusters without an id).
 */
export function requestResourceArn(
  action: string,
  input: QueryObject,
  region: string,
  accountId: string,
): string {
  const arn = (kind: Parameters<typeof elasticacheArn>[2], name: unknown) =>
    elasticacheArn(region, accountId, kind, String(name).toLowerCase());
  if (input.ResourceName !== undefined) return String(input.ResourceName);
  if (input.ServerlessCacheSnapshotName !== undefined)
    return elasticacheArn(
      region,
      accountId,
      "serverlesscachesnapshot",
      String(input.ServerlessCacheSnapshotName),
    );
  if (action === "CopyServerlessCacheSnapshot") {
    const name = String(input.SourceServerlessCacheSnapshotName);
    return elasticacheArn(region, accountId, "serverlesscachesnapshot", name);
  }
  if (input.ServerlessCacheName !== undefined) return arn("serverlesscache", input.ServerlessCacheName);
  if (action.includes("Snapshot") && input.SnapshotName !== undefined)
    return arn("snapshot", input.SnapshotName);
  if (action === "CopySnapshot") return arn("snapshot", input.SourceSnapshotName);
  if (input.ReplicationGroupId !== undefined) return arn("replicationgroup", input.ReplicationGroupId);
  if (input.CacheClusterId !== undefined) return arn("cluster", input.CacheClusterId);
  if (input.CacheSubnetGroupName !== undefined && action.includes("SubnetGroup"))
    return arn("subnetgroup", input.CacheSubnetGroupName);
  if (input.UserGroupId !== undefined && action.includes("UserGroup"))
    return arn("usergroup", input.UserGroupId);
  if (input.UserId !== undefined && action.endsWith("User")) return arn("user", input.UserId);
  if (input.CacheParameterGroupName !== undefined && action.includes("ParameterGroup")) {
    return elasticacheArn(region, accountId, "parametergroup", String(input.CacheParameterGroupName));
  }
  return "*";
}
