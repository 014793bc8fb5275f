// PutScalingPolicy, DeleteScalingPolicy, DescribeScalingPolicies: target tracking on ElastiCache's
// predefined metrics (step scaling and customized metrics are refused by name).
import type { Handler, RequestContext } from "../context.ts";
import type { Cloud } from "../elasticache/cloud.ts";
import { requireAlarmPermissions } from "./caller-permissions.ts";
import { memberKey, type ScalableDimension, type ScalingPolicyRecord } from "./records.ts";
import {
  alarmArn,
  autoScalingState,
  notFound,
  page,
  policyArn,
  requireDimension,
  requireNamespace,
  requireTarget,
  validation,
} from "./store.ts";

/** The predefined metrics each dimension can track (AWS's ElastiCache auto scaling). */
export const metricsFor: Record<ScalableDimension, string[]> = {
  "elasticache:replication-group:NodeGroups": [
    "ElastiCachePrimaryEngineCPUUtilization",
    "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage",
    "ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage",
  ],
  "elasticache:replication-group:Replicas": [
    "ElastiCacheReplicaEngineCPUUtilization",
    "ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage",
  ],
};

function put(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  requireNamespace(input);
  const dimension = requireDimension(input.ScalableDimension);
  const resourceId = String(input.ResourceId);
  const name = String(input.PolicyName);
  requireTarget(cloud, resourceId, dimension);
  const type = String(input.PolicyType ?? "StepScaling");
  if (type !== "TargetTrackingScaling") {
    throw validation(
      `PolicyType ${type} is not supported by the local cloud for ElastiCache: use TargetTrackingScaling`,
    );
  }
  const tt = input.TargetTrackingScalingPolicyConfiguration as Record<string, unknown> | undefined;
  if (tt === undefined) {
    throw validation(
      "TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy",
    );
  }
  if (tt.CustomizedMetricSpecification !== undefined) {
    throw validation(
      "CustomizedMetricSpecification is not supported by the local cloud: use a PredefinedMetricSpecification",
    );
  }
  const metric = (tt.PredefinedMetricSpecification as Record<string, unknown> | undefined)
    ?.PredefinedMetricType;
  if (metric === undefined) throw validation("PredefinedMetricSpecification is required");
  if (!metricsFor[dimension].includes(String(metric))) {
    throw validation(
      `PredefinedMetricType ${String(metric)} cannot be used with ${dimension}: use ${metricsFor[dimension].join(", ")}`,
    );
  }
  const targetValue = tt.TargetValue as number;
  if (!(targetValue > 0 && targetValue <= 100)) {
    throw validation(`TargetValue ${targetValue} must be a percentage above 0 and at most 100`);
  }
  for (const field of ["ScaleOutCooldown", "ScaleInCooldown"]) {
    const v = tt[field] as number | undefined;
    if (v !== undefined && (v < 0 || v > 31_536_000))
      throw validation(`${field} must be between 0 and 31536000 seconds, got ${v}`);
  }
  // Target tracking creates (and replaces) its alarms in the caller's name.
  requireAlarmPermissions(ctx, [
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:DeleteAlarms",
  ]);
  const state = autoScalingState(cloud);
  const key = memberKey(resourceId, dimension, name);
  const existing = state.policies[key];
  const uuid = existing?.alarmHigh.split("-AlarmHigh-")[1] ?? crypto.randomUUID();
  const policy: ScalingPolicyRecord = {
    arn: existing?.arn ?? policyArn(resourceId, name),
    name,
    resourceId,
    dimension,
    config: {
      targetValue,
      metricType: String(metric),
      ...(tt.ScaleOutCooldown !== undefined ? { scaleOutCooldown: tt.ScaleOutCooldown as number } : {}),
      ...(tt.ScaleInCooldown !== undefined ? { scaleInCooldown: tt.ScaleInCooldown as number } : {}),
      disableScaleIn: tt.DisableScaleIn === true,
    },
    createTime: existing?.createTime ?? ctx.now.toISOString(),
    alarmHigh: `TargetTracking-${resourceId}-AlarmHigh-${uuid}`,
    alarmLow: `TargetTracking-${resourceId}-AlarmLow-${uuid}`,
    // A changed policy starts its alarms afresh, as AWS recreates them.
    datapoints: [],
  };
  state.policies[key] = policy;
  cloud.save();
  return { PolicyARN: policy.arn, Alarms: alarmsOf(policy) };
}

function alarmsOf(p: ScalingPolicyRecord) {
  const alarms = [p.alarmHigh, ...(p.config.disableScaleIn ? [] : [p.alarmLow])];
  return alarms.map((name) => ({ AlarmName: name, AlarmARN: alarmArn(name) }));
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  requireNamespace(ctx.input);
  const dimension = requireDimension(ctx.input.ScalableDimension);
  const resourceId = String(ctx.input.ResourceId);
  const name = String(ctx.input.PolicyName);
  const state = autoScalingState(cloud);
  const key = memberKey(resourceId, dimension, name);
  if (state.policies[key] === undefined) {
    throw notFound(
      `No scaling policy found for service namespace: elasticache, resource ID: ${resourceId}, scalable dimension: ${dimension}, policy name: ${name}`,
    );
  }
  requireAlarmPermissions(ctx, ["cloudwatch:DeleteAlarms"]);
  delete state.policies[key];
  cloud.save();
  return {};
}

export function renderPolicy(p: ScalingPolicyRecord): Record<string, unknown> {
  return {
    PolicyARN: p.arn,
    PolicyName: p.name,
    ServiceNamespace: "elasticache",
    ResourceId: p.resourceId,
    ScalableDimension: p.dimension,
    PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: p.config.targetValue,
      PredefinedMetricSpecification: { PredefinedMetricType: p.config.metricType },
      ...(p.config.scaleOutCooldown !== undefined ? { ScaleOutCooldown: p.config.scaleOutCooldown } : {}),
      ...(p.config.scaleInCooldown !== undefined ? { ScaleInCooldown: p.config.scaleInCooldown } : {}),
      DisableScaleIn: p.config.disableScaleIn,
    },
    Alarms: alarmsOf(p),
    CreationTime: p.createTime,
  };
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  requireNamespace(ctx.input);
  const names = ctx.input.PolicyNames as string[] | undefined;
  const { ResourceId: resourceId, ScalableDimension: dimension } = ctx.input;
  const all = Object.values(autoScalingState(cloud).policies).filter(
    (p) =>
      (names === undefined || names.includes(p.name)) &&
      (resourceId === undefined || p.resourceId === resourceId) &&
      (dimension === undefined || p.dimension === dimension),
  );
  const { items, NextToken } = page(all, ctx.input);
  return { ScalingPolicies: items.map(renderPolicy), ...(NextToken ? { NextToken } : {}) };
}

export function policyHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    PutScalingPolicy: async (ctx) => put(cloud, ctx),
    DeleteScalingPolicy: async (ctx) => remove(cloud, ctx),
    DescribeScalingPolicies: async (ctx) => describe(cloud, ctx),
  };
}
