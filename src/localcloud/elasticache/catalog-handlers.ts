// DescribeCacheEngineVersions and DescribeEvents.
import type { Handler, RequestContext } from "../context.ts";
import { invalidParameter } from "../protocol/errors.ts";
import { engineVersions } from "./catalog.ts";
import type { Cloud } from "./cloud.ts";
import { paginate } from "./pagination.ts";

function engineVersionsHandler(ctx: RequestContext): Record<string, unknown> {
  const i = ctx.input;
  let all = engineVersions;
  if (i.Engine !== undefined) all = all.filter((v) => v.engine === i.Engine);
  if (i.EngineVersion !== undefined)
    all = all.filter(
      (v) => v.version === i.EngineVersion || v.version.startsWith(`${String(i.EngineVersion)}.`),
    );
  if (i.CacheParameterGroupFamily !== undefined)
    all = all.filter((v) => v.family === i.CacheParameterGroupFamily);
  if (i.DefaultOnly === true) all = all.filter((v) => v.isDefault);
  const page = paginate(all, i);
  return {
    CacheEngineVersions: page.items.map((v) => ({
      Engine: v.engine,
      EngineVersion: v.version,
      CacheParameterGroupFamily: v.family,
      CacheEngineDescription:
        v.engine === "memcached" ? "memcached" : v.engine === "valkey" ? "Valkey" : "Redis",
      CacheEngineVersionDescription: v.description,
    })),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

const sourceTypes = [
  "cache-cluster",
  "cache-parameter-group",
  "cache-security-group",
  "cache-subnet-group",
  "replication-group",
  "serverless-cache",
  "serverless-cache-snapshot",
  "user",
  "user-group",
];

function eventsHandler(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const i = ctx.input;
  if (i.SourceType !== undefined && !sourceTypes.includes(String(i.SourceType))) {
    throw invalidParameter(`SourceType must be one of ${sourceTypes.join(", ")}.`);
  }
  if (i.SourceIdentifier !== undefined && i.SourceType === undefined) {
    throw invalidParameter("SourceType is required when SourceIdentifier is given.");
  }
  const end = (i.EndTime as Date | undefined) ?? ctx.now;
  const duration = i.Duration as number | undefined;
  if (duration !== undefined && (duration < 1 || duration > 20160))
    throw invalidParameter("Duration must be between 1 and 20160 minutes.");
  const start = (i.StartTime as Date | undefined) ?? new Date(end.getTime() - (duration ?? 60) * 60_000);
  const events = cloud.state.events
    .filter((e) => {
      const t = Date.parse(e.date);
      return t >= start.getTime() && t <= end.getTime() + 1000;
    })
    .filter((e) => i.SourceType === undefined || e.sourceType === i.SourceType)
    .filter(
      (e) =>
        i.SourceIdentifier === undefined || e.sourceIdentifier === String(i.SourceIdentifier).toLowerCase(),
    )
    .reverse();
  const page = paginate(events, i);
  return {
    Events: page.items.map((e) => ({
      SourceIdentifier: e.sourceIdentifier,
      SourceType: e.sourceType,
      Message: e.message,
      Date: e.date,
    })),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

export function catalogHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    DescribeCacheEngineVersions: async (ctx) => engineVersionsHandler(ctx),
    DescribeEvents: async (ctx) => eventsHandler(cloud, ctx),
  };
}
