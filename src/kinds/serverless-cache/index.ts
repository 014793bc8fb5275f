// ElastiCacheServerlessCache on the runtime: DescribeServerlessCaches, CreateServerlessCache,
// ModifyServerlessCache (one call per step), DeleteServerlessCache; its endpoints go to status and
// to a connection Secret with the keys a cluster's has (host, port, engine, tls, reader, url).
import {
  CreateServerlessCacheCommand,
  DeleteServerlessCacheCommand,
  DescribeServerlessCachesCommand,
  ModifyServerlessCacheCommand,
  type ServerlessCache,
} from "@aws-sdk/client-elasticache";
import { connectionDetails } from "../../planner/connection.ts";
import { tagList } from "../../runtime/elasticache-api.ts";
import type { ManagedKind } from "../../runtime/kind.ts";
import { parseSpecWith } from "../../runtime/parse-spec.ts";
import { awsLimits, observedLimits } from "./limits.ts";
import {
  appliedUserGroupAfter,
  type ObservedServerlessCache,
  planServerlessCache,
  type ServerlessCacheAction,
  serverlessCacheReferences,
} from "./plan.ts";
import { type ServerlessCacheSpec, serverlessCacheDefinition, serverlessCacheSpec } from "./schema.ts";

const endpointOf = (e: { Address?: string; Port?: number } | undefined) =>
  e?.Address !== undefined && e.Port !== undefined ? { address: e.Address, port: e.Port } : undefined;

export const serverlessCacheKind: ManagedKind<
  ServerlessCacheSpec,
  ObservedServerlessCache,
  ServerlessCacheAction
> = {
  definition: serverlessCacheDefinition,
  parseSpec: parseSpecWith(serverlessCacheSpec, "ElastiCacheServerlessCache"),
  awsName: (spec) => spec.serverlessCacheName,
  describe: (spec) => `serverless cache ${spec.serverlessCacheName}`,
  references: serverlessCacheReferences,

  async observe(api, spec) {
    const out = await api.find<{ ServerlessCaches?: ServerlessCache[] }>(
      new DescribeServerlessCachesCommand({ ServerlessCacheName: spec.serverlessCacheName }),
    );
    const cache = out?.ServerlessCaches?.find((c) => c.ServerlessCacheName === spec.serverlessCacheName);
    if (cache?.ARN === undefined) return undefined;
    const status = (cache.Status ?? "").toLowerCase();
    return {
      arn: cache.ARN,
      tags: await api.tags(cache.ARN),
      busy: status === "creating" || status === "modifying",
      deleting: status === "deleting",
      status,
      engine: (cache.Engine ?? "").toLowerCase(),
      majorEngineVersion: cache.MajorEngineVersion,
      fullEngineVersion: cache.FullEngineVersion,
      description: cache.Description ?? "",
      usageLimits: observedLimits(cache.CacheUsageLimits),
      securityGroupIDs: [...(cache.SecurityGroupIds ?? [])].sort(),
      subnetIDs: [...(cache.SubnetIds ?? [])].sort(),
      userGroupID: cache.UserGroupId,
      dailySnapshotTime: cache.DailySnapshotTime,
      snapshotRetentionLimit: cache.SnapshotRetentionLimit,
      endpoint: endpointOf(cache.Endpoint),
      readerEndpoint: endpointOf(cache.ReaderEndpoint),
    };
  },

  plan: planServerlessCache,

  deleteAction: () => ({ type: "delete" }),

  async act(api, action, { spec, tags }) {
    const name = spec.serverlessCacheName;
    switch (action.type) {
      case "create":
        await api.send(
          new CreateServerlessCacheCommand({
            ServerlessCacheName: name,
            Engine: spec.engine,
            MajorEngineVersion: spec.majorEngineVersion,
            Description: spec.description,
            CacheUsageLimits: awsLimits(spec.cacheUsageLimits),
            SecurityGroupIds: spec.securityGroupIDs,
            SubnetIds: spec.subnetIDs,
            UserGroupId: action.userGroupID,
            DailySnapshotTime: spec.dailySnapshotTime,
            SnapshotRetentionLimit: spec.snapshotRetentionLimit,
            Tags: tagList(tags),
          }),
        );
        return;
      case "upgrade":
        await api.send(
          new ModifyServerlessCacheCommand({
            ServerlessCacheName: name,
            MajorEngineVersion: action.majorEngineVersion,
          }),
        );
        return;
      case "modify": {
        const c = action.changes;
        await api.send(
          new ModifyServerlessCacheCommand({
            ServerlessCacheName: name,
            Description: c.description,
            CacheUsageLimits: awsLimits(c.cacheUsageLimits),
            SecurityGroupIds: c.securityGroupIDs,
            DailySnapshotTime: c.dailySnapshotTime,
            SnapshotRetentionLimit: c.snapshotRetentionLimit,
            UserGroupId: c.userGroupID,
            RemoveUserGroup: c.removeUserGroup,
          }),
        );
        return;
      }
      case "delete":
        await api.send(new DeleteServerlessCacheCommand({ ServerlessCacheName: name }));
    }
  },

  status(observed) {
    if (observed === undefined) return {};
    return {
      serverlessCacheStatus: observed.status,
      engine: observed.engine,
      majorEngineVersion: observed.majorEngineVersion,
      fullEngineVersion: observed.fullEngineVersion,
      endpoint: observed.endpoint,
      readerEndpoint: observed.readerEndpoint,
      description: observed.description,
      cacheUsageLimits: observed.usageLimits,
      securityGroupIDs: observed.securityGroupIDs,
      subnetIDs: observed.subnetIDs,
      userGroupID: observed.userGroupID,
      dailySnapshotTime: observed.dailySnapshotTime,
      snapshotRetentionLimit: observed.snapshotRetentionLimit,
    };
  },

  remember: (action, { status }) => ({
    appliedUserGroupID: appliedUserGroupAfter(
      action,
      typeof status.appliedUserGroupID === "string" ? status.appliedUserGroupID : undefined,
    ),
  }),

  connectionSecret: {
    name: (spec, objectName) => spec.connectionSecret?.name ?? `${objectName}-connection`,
    // A serverless cache is always TLS; its users' passwords belong to its user group's users.
    data: (observed, spec) =>
      observed.endpoint === undefined
        ? undefined
        : connectionDetails(
            { primaryEndpoint: observed.endpoint, readerEndpoint: observed.readerEndpoint },
            { engine: spec.engine, tls: true },
          ),
  },
};
