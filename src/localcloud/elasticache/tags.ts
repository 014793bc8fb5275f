// AddTagsToResource, RemoveTagsFromResource and ListTagsForResource on clusters, replication
// groups, snapshots and subnet groups (by ARN).
import type { Handler, RequestContext } from "../context.ts";
import type { Tag } from "../state/records.ts";
import { parseElasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault, notFound } from "./faults.ts";
import { checkTagLimit } from "./shared-rules.ts";

function resourceArn(cloud: Cloud, ctx: RequestContext): string {
  const arn = String(ctx.input.ResourceName ?? "");
  const parsed = parseElasticacheArn(arn);
  if (parsed === undefined)
    throw fault(
      "InvalidARNFault",
      `${arn} is not a valid ElastiCache ARN (arn:aws:elasticache:<region>:<account>:<kind>:<name>).`,
    );
  const s = cloud.state;
  const found =
    parsed.kind === "cluster"
      ? s.clusters[parsed.name]?.arn === arn
      : parsed.kind === "replicationgroup"
        ? s.replicationGroups[parsed.name]?.arn === arn
        : parsed.kind === "snapshot"
          ? s.snapshots[parsed.name]?.arn === arn
          : parsed.kind === "subnetgroup"
            ? s.subnetGroups[parsed.name]?.arn === arn
            : parsed.kind === "user"
              ? s.users[parsed.name]?.arn === arn
              : parsed.kind === "usergroup"
                ? s.userGroups[parsed.name]?.arn === arn
                : parsed.kind === "parametergroup"
                  ? s.parameterGroups[parsed.name]?.arn === arn
                  : parsed.kind === "serverlesscache"
                    ? s.serverlessCaches[parsed.name]?.arn === arn
                    : parsed.kind === "serverlesscachesnapshot"
                      ? s.serverlessSnapshots[parsed.name]?.arn === arn
                      : parsed.kind === "reserved-instance"
                        ? s.reservedCacheNodes[parsed.name]?.arn === arn
                        : undefined;
  if (found === true) return arn;
  if (parsed.kind === "cluster") throw notFound.cluster(parsed.name);
  if (parsed.kind === "replicationgroup") throw notFound.replicationGroup(parsed.name);
  if (parsed.kind === "snapshot") throw notFound.snapshot(parsed.name);
  if (parsed.kind === "subnetgroup") throw notFound.subnetGroup(parsed.name);
  if (parsed.kind === "user") throw fault("UserNotFoundFault", `User ${parsed.name} not found.`);
  if (parsed.kind === "serverlesscache")
    throw fault("ServerlessCacheNotFoundFault", `Serverless cache ${parsed.name} not found.`);
  if (parsed.kind === "serverlesscachesnapshot")
    throw fault(
      "ServerlessCacheSnapshotNotFoundFault",
      `Serverless cache snapshot ${parsed.name} not found.`,
    );
  if (parsed.kind === "usergroup")
    throw fault("UserGroupNotFoundFault", `User group ${parsed.name} not found.`);
  if (parsed.kind === "reserved-instance")
    throw fault("ReservedCacheNodeNotFoundFault", `Reserved cache node ${parsed.name} not found.`);
  if (parsed.kind === "parametergroup")
    throw fault("CacheParameterGroupNotFoundFault", `CacheParameterGroup ${parsed.name} not found.`);
  throw fault("InvalidARNFault", `Tagging ${parsed.kind} resources is not supported by the local cloud.`);
}

function add(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const arn = resourceArn(cloud, ctx);
  const merged = new Map((cloud.state.tags[arn] ?? []).map((t) => [t.Key, t.Value]));
  for (const t of (ctx.input.Tags as Tag[] | undefined) ?? []) merged.set(t.Key, t.Value ?? "");
  const tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
  checkTagLimit(tags);
  cloud.state.tags[arn] = tags;
  cloud.save();
  return { TagList: tags };
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const arn = resourceArn(cloud, ctx);
  const current = cloud.state.tags[arn] ?? [];
  const keys = (ctx.input.TagKeys as string[] | undefined) ?? [];
  for (const k of keys) {
    if (!current.some((t) => t.Key === k)) throw fault("TagNotFoundFault", `Tag ${k} is not on ${arn}.`);
  }
  const tags = current.filter((t) => !keys.includes(t.Key));
  cloud.state.tags[arn] = tags;
  cloud.save();
  return { TagList: tags };
}

function list(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  return { TagList: cloud.state.tags[resourceArn(cloud, ctx)] ?? [] };
}

export function tagHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    AddTagsToResource: async (ctx) => add(cloud, ctx),
    RemoveTagsFromResource: async (ctx) => remove(cloud, ctx),
    ListTagsForResource: async (ctx) => list(cloud, ctx),
  };
}
