// What Application Auto Scaling remembers per account and region (persisted with the rest of the
// scope's state): scalable targets, their policies and scheduled actions, the scaling activities,
// and the target-tracking alarms' datapoints. Times are ISO strings.

export type ScalableDimension =
  | "elasticache:replication-group:NodeGroups"
  | "elasticache:replication-group:Replicas";

export interface ScalableTargetRecord {
  arn: string;
  /** `replication-group/<id>` */
  resourceId: string;
  dimension: ScalableDimension;
  min: number;
  max: number;
  roleArn: string;
  createTime: string;
  suspended: { dynamicScalingIn: boolean; dynamicScalingOut: boolean; scheduledScaling: boolean };
  /** The last scale-out / scale-in this service made, for the cooldowns. */
  lastScaleOut?: { at: string; to: number };
  lastScaleIn?: { at: string };
  /** The scaling this service started and waits to complete (the group is modifying). */
  pending?: { activityId: string; direction: "out" | "in"; from: number; to: number };
}

export interface TargetTrackingConfig {
  targetValue: number;
  metricType: string;
  scaleOutCooldown?: number;
  scaleInCooldown?: number;
  disableScaleIn: boolean;
}

export interface ScalingPolicyRecord {
  arn: string;
  name: string;
  resourceId: string;
  dimension: ScalableDimension;
  config: TargetTrackingConfig;
  createTime: string;
  /** The two alarms target tracking creates (names as AWS gives them). */
  alarmHigh: string;
  alarmLow: string;
  /** The metric's values at the last evaluation periods, newest last (the alarms' datapoints). */
  datapoints: number[];
}

export interface ScheduledActionRecord {
  arn: string;
  name: string;
  resourceId: string;
  dimension: ScalableDimension;
  schedule: string;
  timezone?: string;
  startTime?: string;
  endTime?: string;
  min?: number;
  max?: number;
  createTime: string;
  /** When it last ran (rate and cron run again; at runs once). */
  lastRun?: string;
}

export interface ScalingActivityRecord {
  id: string;
  resourceId: string;
  dimension: ScalableDimension;
  description: string;
  cause: string;
  startTime: string;
  endTime?: string;
  statusCode: "Pending" | "InProgress" | "Successful" | "Overridden" | "Unfulfilled" | "Failed";
  statusMessage?: string;
}

export interface AutoScalingState {
  /** Keyed `<resourceId>|<dimension>`. */
  targets: Record<string, ScalableTargetRecord>;
  /** Keyed `<resourceId>|<dimension>|<name>`. */
  policies: Record<string, ScalingPolicyRecord>;
  /** Keyed `<resourceId>|<dimension>|<name>`. */
  scheduledActions: Record<string, ScheduledActionRecord>;
  /** Newest last; the oldest are dropped past a bound. */
  activities: ScalingActivityRecord[];
}

export function emptyAutoScalingState(): AutoScalingState {
  return { targets: {}, policies: {}, scheduledActions: {}, activities: [] };
}

export const targetKey = (resourceId: string, dimension: string) => `${resourceId}|${dimension}`;
export const memberKey = (resourceId: string, dimension: string, name: string) =>
  `${resourceId}|${dimension}|${name}`;
