// PutScheduledAction, DeleteScheduledAction, DescribeScheduledActions. The scaler runs them when
// their schedule is due (see scaler.ts).
import type { Handler, RequestContext } from "../context.ts";
import type { Cloud } from "../elasticache/cloud.ts";
import { memberKey, type ScheduledActionRecord } from "./records.ts";
import { parseSchedule } from "./schedule.ts";
import {
  autoScalingState,
  notFound,
  page,
  requireDimension,
  requireNamespace,
  requireTarget,
  scheduledActionArn,
  validation,
} from "./store.ts";

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function put(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  requireNamespace(input);
  const dimension = requireDimension(input.ScalableDimension);
  const resourceId = String(input.ResourceId);
  const name = String(input.ScheduledActionName);
  requireTarget(cloud, resourceId, dimension);
  const state = autoScalingState(cloud);
  const key = memberKey(resourceId, dimension, name);
  const existing = state.scheduledActions[key];
  const schedule = input.Schedule !== undefined ? String(input.Schedule) : existing?.schedule;
  if (schedule === undefined) throw validation("Schedule is required to create a scheduled action");
  const parsed = parseSchedule(schedule);
  if (typeof parsed === "string") throw validation(parsed);
  const timezone = input.Timezone !== undefined ? String(input.Timezone) : existing?.timezone;
  if (timezone !== undefined && !validTimezone(timezone))
    throw validation(`Timezone ${timezone} is not an IANA time zone such as Europe/Berlin`);
  const action = input.ScalableTargetAction as { MinCapacity?: number; MaxCapacity?: number } | undefined;
  const min = action?.MinCapacity ?? existing?.min;
  const max = action?.MaxCapacity ?? existing?.max;
  if (min === undefined && max === undefined)
    throw validation("ScalableTargetAction needs MinCapacity, MaxCapacity or both");
  if (min !== undefined && max !== undefined && min > max)
    throw validation(`MinCapacity ${min} must not be greater than MaxCapacity ${max}`);
  const time = (v: unknown) => (v instanceof Date ? v.toISOString() : undefined);
  const record: ScheduledActionRecord = {
    arn: existing?.arn ?? scheduledActionArn(resourceId, name),
    name,
    resourceId,
    dimension,
    schedule,
    ...(timezone !== undefined ? { timezone } : {}),
    ...((time(input.StartTime) ?? existing?.startTime)
      ? { startTime: time(input.StartTime) ?? existing?.startTime }
      : {}),
    ...((time(input.EndTime) ?? existing?.endTime)
      ? { endTime: time(input.EndTime) ?? existing?.endTime }
      : {}),
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    createTime: existing?.createTime ?? ctx.now.toISOString(),
    ...(existing?.lastRun && existing.schedule === schedule ? { lastRun: existing.lastRun } : {}),
  };
  state.scheduledActions[key] = record;
  cloud.save();
  return {};
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  requireNamespace(ctx.input);
  const dimension = requireDimension(ctx.input.ScalableDimension);
  const resourceId = String(ctx.input.ResourceId);
  const name = String(ctx.input.ScheduledActionName);
  const state = autoScalingState(cloud);
  const key = memberKey(resourceId, dimension, name);
  if (state.scheduledActions[key] === undefined) {
    throw notFound(
      `No scheduled action found for service namespace: elasticache, resource ID: ${resourceId}, scalable dimension: ${dimension}, scheduled action name: ${name}`,
    );
  }
  delete state.scheduledActions[key];
  cloud.save();
  return {};
}

function render(a: ScheduledActionRecord): Record<string, unknown> {
  return {
    ScheduledActionName: a.name,
    ScheduledActionARN: a.arn,
    ServiceNamespace: "elasticache",
    Schedule: a.schedule,
    ...(a.timezone !== undefined ? { Timezone: a.timezone } : {}),
    ResourceId: a.resourceId,
    ScalableDimension: a.dimension,
    ...(a.startTime !== undefined ? { StartTime: a.startTime } : {}),
    ...(a.endTime !== undefined ? { EndTime: a.endTime } : {}),
    ScalableTargetAction: {
      ...(a.min !== undefined ? { MinCapacity: a.min } : {}),
      ...(a.max !== undefined ? { MaxCapacity: a.max } : {}),
    },
    CreationTime: a.createTime,
  };
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  requireNamespace(ctx.input);
  const names = ctx.input.ScheduledActionNames as string[] | undefined;
  const { ResourceId: resourceId, ScalableDimension: dimension } = ctx.input;
  const all = Object.values(autoScalingState(cloud).scheduledActions).filter(
    (a) =>
      (names === undefined || names.includes(a.name)) &&
      (resourceId === undefined || a.resourceId === resourceId) &&
      (dimension === undefined || a.dimension === dimension),
  );
  const { items, NextToken } = page(all, ctx.input);
  return { ScheduledActions: items.map(render), ...(NextToken ? { NextToken } : {}) };
}

export function scheduledActionHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    PutScheduledAction: async (ctx) => put(cloud, ctx),
    DeleteScheduledAction: async (ctx) => remove(cloud, ctx),
    DescribeScheduledActions: async (ctx) => describe(cloud, ctx),
  };
}
