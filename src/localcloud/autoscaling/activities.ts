// Scaling activities: what the scaler did (or tried) and why; DescribeScalingActivities lists them
// newest first, as AWS does.
import { randomUUID } from "node:crypto";
import type { Handler, RequestContext } from "../context.ts";
import type { Cloud } from "../elasticache/cloud.ts";
import type { ScalableDimension, ScalingActivityRecord } from "./records.ts";
import { autoScalingState, page, requireNamespace } from "./store.ts";

/** Activities kept per scope; AWS keeps six weeks of them. */
const keptActivities = 500;

export function recordActivity(
  cloud: Cloud,
  activity: Omit<ScalingActivityRecord, "id" | "startTime"> & { startTime?: string },
): ScalingActivityRecord {
  const state = autoScalingState(cloud);
  const record: ScalingActivityRecord = {
    id: randomUUID(),
    startTime: activity.startTime ?? new Date().toISOString(),
    ...activity,
  };
  state.activities.push(record);
  if (state.activities.length > keptActivities)
    state.activities.splice(0, state.activities.length - keptActivities);
  cloud.save();
  return record;
}

function render(a: ScalingActivityRecord): Record<string, unknown> {
  return {
    ActivityId: a.id,
    ServiceNamespace: "elasticache",
    ResourceId: a.resourceId,
    ScalableDimension: a.dimension,
    Description: a.description,
    Cause: a.cause,
    StartTime: a.startTime,
    ...(a.endTime !== undefined ? { EndTime: a.endTime } : {}),
    StatusCode: a.statusCode,
    ...(a.statusMessage !== undefined ? { StatusMessage: a.statusMessage } : {}),
  };
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  requireNamespace(ctx.input);
  const resourceId = ctx.input.ResourceId;
  const dimension = ctx.input.ScalableDimension as ScalableDimension | undefined;
  const all = autoScalingState(cloud)
    .activities.filter(
      (a) =>
        (resourceId === undefined || a.resourceId === resourceId) &&
        (dimension === undefined || a.dimension === dimension),
    )
    .reverse();
  const { items, NextToken } = page(all, ctx.input);
  return { ScalingActivities: items.map(render), ...(NextToken ? { NextToken } : {}) };
}

export function activityHandlers(cloud: Cloud): Record<string, Handler> {
  return { DescribeScalingActivities: async (ctx: RequestContext) => describe(cloud, ctx) };
}
