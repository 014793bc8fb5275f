// Access to the running scope's Application Auto Scaling state, the checks every operation shares
// (namespace, resource id, dimension) and its answers' ARNs.
import { randomUUID } from "node:crypto";
import type { Cloud } from "../elasticache/cloud.ts";
import { AwsError } from "../protocol/errors.ts";
import type { QueryObject } from "../protocol/query-input.ts";
import type { ReplicationGroupRecord } from "../state/records.ts";
import { currentScope } from "../state/scope.ts";
import {
  type AutoScalingState,
  emptyAutoScalingState,
  type ScalableDimension,
  type ScalableTargetRecord,
  targetKey,
} from "./records.ts";

export const dimensions: ScalableDimension[] = [
  "elasticache:replication-group:NodeGroups",
  "elasticache:replication-group:Replicas",
];

export function validation(message: string): AwsError {
  return new AwsError("ValidationException", message, 400);
}

export function notFound(message: string): AwsError {
  return new AwsError("ObjectNotFoundException", message, 400);
}

export function autoScalingState(cloud: Cloud): AutoScalingState {
  cloud.state.autoScaling ??= emptyAutoScalingState();
  return cloud.state.autoScaling;
}

/** The local cloud scales ElastiCache replication groups only; other namespaces are refused by name. */
export function requireNamespace(input: QueryObject): void {
  const namespace = String(input.ServiceNamespace);
  if (namespace !== "elasticache") {
    throw validation(
      `The local cloud's Application Auto Scaling serves ServiceNamespace elasticache only, not ${namespace}`,
    );
  }
}

export function requireDimension(value: unknown): ScalableDimension {
  const dimension = String(value) as ScalableDimension;
  if (!dimensions.includes(dimension)) {
    throw validation(
      `Unsupported scalable dimension ${dimension} for ElastiCache in the local cloud: use ${dimensions.join(" or ")}`,
    );
  }
  return dimension;
}

/** The replication group id of `replication-group/<id>`. */
export function groupIdOf(resourceId: string): string {
  const m = /^replication-group\/([A-Za-z][A-Za-z0-9-]*)$/.exec(resourceId);
  if (m === null) {
    throw validation(
      `Unsupported resource ID ${resourceId}: ElastiCache scalable targets are named replication-group/<replication group id>`,
    );
  }
  return (m[1] as string).toLowerCase();
}

export function findGroup(cloud: Cloud, resourceId: string): ReplicationGroupRecord | undefined {
  return cloud.state.replicationGroups[groupIdOf(resourceId)];
}

export function requireTarget(
  cloud: Cloud,
  resourceId: string,
  dimension: ScalableDimension,
): ScalableTargetRecord {
  const target = autoScalingState(cloud).targets[targetKey(resourceId, dimension)];
  if (target === undefined) {
    throw notFound(
      `No scalable target registered for service namespace: elasticache, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
    );
  }
  return target;
}

/** The role Application Auto Scaling acts with on ElastiCache (AWS creates it on first use). */
export function serviceLinkedRoleArn(): string {
  return `arn:aws:iam::${currentScope().accountId}:role/aws-service-role/elasticache.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG`;
}

export function scalableTargetArn(): string {
  const { accountId, region } = currentScope();
  return `arn:aws:application-autoscaling:${region}:${accountId}:scalable-target/${randomUUID().replaceAll("-", "").slice(0, 26)}`;
}

export function policyArn(resourceId: string, name: string): string {
  const { accountId, region } = currentScope();
  return `arn:aws:autoscaling:${region}:${accountId}:scalingPolicy:${randomUUID()}:resource/elasticache/${resourceId}:policyName/${name}`;
}

export function scheduledActionArn(resourceId: string, name: string): string {
  const { accountId, region } = currentScope();
  return `arn:aws:autoscaling:${region}:${accountId}:scheduledAction:${randomUUID()}:resource/elasticache/${resourceId}:scheduledActionName/${name}`;
}

export function alarmArn(name: string): string {
  const { accountId, region } = currentScope();
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
}

/** MaxResults (1-50, default 50) and an opaque NextToken, as Application Auto Scaling pages. */
export function page<T>(all: T[], input: QueryObject): { items: T[]; NextToken?: string } {
  const max = (input.MaxResults as number | undefined) ?? 50;
  if (max < 1 || max > 50) throw validation(`MaxResults must be between 1 and 50, got ${max}`);
  let start = 0;
  if (input.NextToken !== undefined) {
    const m = /^offset:(\d+)$/.exec(Buffer.from(String(input.NextToken), "base64url").toString("utf8"));
    if (m === null) throw new AwsError("InvalidNextTokenException", "Invalid NextToken", 400);
    start = Number(m[1]);
  }
  const next = start + max;
  return {
    items: all.slice(start, next),
    ...(next < all.length ? { NextToken: Buffer.from(`offset:${next}`).toString("base64url") } : {}),
  };
}
