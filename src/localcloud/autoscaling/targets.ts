// RegisterScalableTarget, DeregisterScalableTarget, DescribeScalableTargets for ElastiCache
// replication groups (cluster mode enabled, Redis/Valkey), as Application Auto Scaling checks them.
import type { Handler, RequestContext } from "../context.ts";
import type { Cloud } from "../elasticache/cloud.ts";
import { requireAlarmPermissions, requireServiceLinkedRole } from "./caller-permissions.ts";
import { capacityLimits } from "./capacity.ts";
import type { ScalableTargetRecord } from "./records.ts";
import { targetKey } from "./records.ts";
import {
  autoScalingState,
  findGroup,
  page,
  requireDimension,
  requireNamespace,
  requireTarget,
  scalableTargetArn,
  serviceLinkedRoleArn,
  validation,
} from "./store.ts";

function register(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  requireNamespace(input);
  const dimension = requireDimension(input.ScalableDimension);
  const resourceId = String(input.ResourceId);
  const rg = findGroup(cloud, resourceId);
  if (rg === undefined) {
    throw validation(`Unable to find replication group ${resourceId.slice("replication-group/".length)}`);
  }
  if (!rg.clusterMode) {
    throw validation(
      `Replication group ${rg.id} has cluster mode disabled; ElastiCache auto scaling needs cluster mode enabled`,
    );
  }
  const state = autoScalingState(cloud);
  const key = targetKey(resourceId, dimension);
  const existing = state.targets[key];
  const min = (input.MinCapacity as number | undefined) ?? existing?.min;
  const max = (input.MaxCapacity as number | undefined) ?? existing?.max;
  if (min === undefined || max === undefined) {
    throw validation("MinCapacity and MaxCapacity are required to register a new scalable target");
  }
  const limits = capacityLimits(dimension);
  if (min < limits.min || max > limits.max) {
    throw validation(
      `The capacity range of ${dimension} must be within ${limits.min} and ${limits.max}, got ${min} to ${max}`,
    );
  }
  if (min > max) throw validation(`MinCapacity ${min} must not be greater than MaxCapacity ${max}`);
  // AWS creates the service-linked role with the account's first scalable target.
  const firstInAccount = Object.keys(state.targets).length === 0;
  if (existing === undefined && firstInAccount) requireServiceLinkedRole(ctx, serviceLinkedRoleArn());
  const suspended = input.SuspendedState as Record<string, boolean> | undefined;
  const target: ScalableTargetRecord = {
    arn: existing?.arn ?? scalableTargetArn(),
    resourceId,
    dimension,
    min,
    max,
    roleArn: existing?.roleArn ?? serviceLinkedRoleArn(),
    createTime: existing?.createTime ?? ctx.now.toISOString(),
    suspended: {
      dynamicScalingIn: suspended?.DynamicScalingInSuspended ?? existing?.suspended.dynamicScalingIn ?? false,
      dynamicScalingOut:
        suspended?.DynamicScalingOutSuspended ?? existing?.suspended.dynamicScalingOut ?? false,
      scheduledScaling: suspended?.ScheduledScalingSuspended ?? existing?.suspended.scheduledScaling ?? false,
    },
    ...(existing?.lastScaleOut ? { lastScaleOut: existing.lastScaleOut } : {}),
    ...(existing?.lastScaleIn ? { lastScaleIn: existing.lastScaleIn } : {}),
  };
  state.targets[key] = target;
  cloud.save();
  return { ScalableTargetARN: target.arn };
}

function deregister(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  requireNamespace(ctx.input);
  const dimension = requireDimension(ctx.input.ScalableDimension);
  const resourceId = String(ctx.input.ResourceId);
  requireTarget(cloud, resourceId, dimension);
  const prefix = `${targetKey(resourceId, dimension)}|`;
  // Its policies' alarms go with it.
  if (Object.keys(autoScalingState(cloud).policies).some((k) => k.startsWith(prefix)))
    requireAlarmPermissions(ctx, ["cloudwatch:DeleteAlarms"]);
  removeTarget(cloud, resourceId, dimension);
  return {};
}

/** Deregistering a target deletes its policies and scheduled actions too, as on AWS. */
export function removeTarget(cloud: Cloud, resourceId: string, dimension: string): void {
  const state = autoScalingState(cloud);
  const prefix = `${targetKey(resourceId, dimension)}|`;
  delete state.targets[targetKey(resourceId, dimension)];
  for (const key of Object.keys(state.policies)) if (key.startsWith(prefix)) delete state.policies[key];
  for (const key of Object.keys(state.scheduledActions))
    if (key.startsWith(prefix)) delete state.scheduledActions[key];
  cloud.save();
}

export function renderTarget(t: ScalableTargetRecord): Record<string, unknown> {
  return {
    ServiceNamespace: "elasticache",
    ResourceId: t.resourceId,
    ScalableDimension: t.dimension,
    MinCapacity: t.min,
    MaxCapacity: t.max,
    RoleARN: t.roleArn,
    CreationTime: t.createTime,
    SuspendedState: {
      DynamicScalingInSuspended: t.suspended.dynamicScalingIn,
      DynamicScalingOutSuspended: t.suspended.dynamicScalingOut,
      ScheduledScalingSuspended: t.suspended.scheduledScaling,
    },
    ScalableTargetARN: t.arn,
  };
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  requireNamespace(ctx.input);
  const ids = ctx.input.ResourceIds as string[] | undefined;
  const dimension = ctx.input.ScalableDimension;
  const all = Object.values(autoScalingState(cloud).targets).filter(
    (t) =>
      (ids === undefined || ids.includes(t.resourceId)) &&
      (dimension === undefined || t.dimension === dimension),
  );
  const { items, NextToken } = page(all, ctx.input);
  return { ScalableTargets: items.map(renderTarget), ...(NextToken ? { NextToken } : {}) };
}

export function targetHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    RegisterScalableTarget: async (ctx) => register(cloud, ctx),
    DeregisterScalableTarget: async (ctx) => deregister(cloud, ctx),
    DescribeScalableTargets: async (ctx) => describe(cloud, ctx),
  };
}
