// AddTagsToResource, RemoveTagsFromResource and ListTagsForResource on every taggable resource
// (by ARN): clusters, replication groups, snapshots, subnet and parameter groups, users and user
// groups, serverless caches and their snapshots, reserved cache nodes.
import type { Handler, RequestContext } from "../context.ts";
import type { AwsError } from "../protocol/errors.ts";
import type { PersistedState, Tag } from "../state/records.ts";
import { parseElasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault, notFound } from "./faults.ts";
import { checkTagLimit } from "./shared-rules.ts";

/** Each taggable kind of ARN: where its resources are kept and the fault for a missing one. */
export const taggable: Record<
  string,
  { records: (s: PersistedState) => Record<string, { arn: string }>; missing: (name: string) => AwsError }
> = {
  cluster: { records: (s) => s.clusters, missing: notFound.cluster },
  replicationgroup: { records: (s) => s.replicationGroups, missing: notFound.replicationGroup },
  snapshot: { records: (s) => s.snapshots, missing: notFound.snapshot },
  subnetgroup: { records: (s) => s.subnetGroups, missing: notFound.subnetGroup },
  user: { records: (s) => s.users, missing: (n) => fault("UserNotFoundFault", `User ${n} not found.`) },
  usergroup: {
    records: (s) => s.userGroups,
    missing: (n) => fault("UserGroupNotFoundFault", `User group ${n} not found.`),
  },
  parametergroup: {
    records: (s) => s.parameterGroups,
    missing: (n) => fault("CacheParameterGroupNotFoundFault", `CacheParameterGroup ${n} not found.`),
  },
  serverlesscache: {
    records: (s) => s.serverlessCaches,
    missing: (n) => fault("ServerlessCacheNotFoundFault", `Serverless cache ${n} not found.`),
  },
  serverlesscachesnapshot: {
    records: (s) => s.serverlessSnapshots,
    missing: (n) =>
      fault("ServerlessCacheSnapshotNotFoundFault", `Serverless cache snapshot ${n} not found.`),
  },
  "reserved-instance": {
    records: (s) => s.reservedCacheNodes,
    missing: (n) => fault("ReservedCacheNodeNotFoundFault", `Reserved cache node ${n} not found.`),
  },
};

function resourceArn(cloud: Cloud, ctx: RequestContext): string {
  const arn = String(ctx.input.ResourceName ?? "");
  const parsed = parseElasticacheArn(arn);
  if (parsed === undefined)
    throw fault(
      "InvalidARNFault",
      `${arn} is not a valid ElastiCache ARN (arn:aws:elasticache:<region>:<account>:<kind>:<name>).`,
    );
  const kind = taggable[parsed.kind];
  if (kind === undefined)
    throw fault("InvalidARNFault", `Tagging ${parsed.kind} resources is not supported by the local cloud.`);
  if (kind.records(cloud.state)[parsed.name]?.arn !== arn) throw kind.missing(parsed.name);
  return arn;
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
