// Application Auto Scaling's engine in the local cloud: once a metric period it samples every
// engine (metric-store.ts), then for each scalable target
//   1. completes the scaling it started once the group is available again (the activity's result;
//      the cooldown starts then, and the policies' alarms start afresh on the new capacity),
//   2. runs the scheduled actions that are due (new min/max),
//   3. brings capacity into [min, max],
//   4. evaluates the target-tracking policies on the predefined metric (target-tracking.ts),
// and scales through the very handlers ModifyReplicationGroupShardConfiguration and
// Increase/DecreaseReplicaCount answer, so resharding moves real slots and keys.
import type { Handler } from "../context.ts";
import type { Cloud } from "../elasticache/cloud.ts";
import { scalingHandlers } from "../elasticache/scaling.ts";
import type { ReplicationGroupRecord } from "../state/records.ts";
import { inScope, type Scope } from "../state/scope.ts";
import { recordActivity } from "./activities.ts";
import { currentCapacity } from "./capacity.ts";
import type { Datapoint } from "./engine-metrics.ts";
import { MetricStore } from "./metric-store.ts";
import type { ScalableTargetRecord, ScalingPolicyRecord } from "./records.ts";
import { dueBetween, parseSchedule } from "./schedule.ts";
import { groupIdOf } from "./store.ts";
import { evaluateTracking, lowDatapoints } from "./target-tracking.ts";

const shardsDimension = "elasticache:replication-group:NodeGroups";

/** The predefined metric's value for a group, from this period's datapoints of its nodes. */
function predefinedMetric(
  metrics: MetricStore,
  scope: Scope,
  rg: ReplicationGroupRecord,
  metricType: string,
  at: number,
): number | undefined {
  const primaries = rg.nodeGroups.map((g) => g.primary);
  const replicas = rg.nodeGroups.flatMap((g) => g.members.filter((m) => m !== g.primary));
  const average = (points: Datapoint[] | undefined, pick: (p: Datapoint) => number) =>
    points && points.length > 0 ? points.reduce((sum, p) => sum + pick(p), 0) / points.length : undefined;
  switch (metricType) {
    case "ElastiCachePrimaryEngineCPUUtilization":
      return average(metrics.latest(scope, primaries, at), (p) => p.values.EngineCPUUtilization);
    case "ElastiCacheReplicaEngineCPUUtilization":
      return average(metrics.latest(scope, replicas, at), (p) => p.values.EngineCPUUtilization);
    default:
      // Memory counted for eviction; without data tiering the "capacity" metric is the same.
      return average(
        metrics.latest(scope, primaries, at),
        (p) => p.values.DatabaseMemoryUsageCountedForEvictPercentage,
      );
  }
}

export class AutoScaler {
  readonly metrics = new MetricStore();
  readonly #cloud: Cloud;
  readonly #periodMs: number;
  readonly #handlers: Record<string, Handler>;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;

  constructor(cloud: Cloud, periodMs: number) {
    this.#cloud = cloud;
    this.#periodMs = periodMs;
    this.#handlers = scalingHandlers(cloud);
  }

  /** Local-cloud time per AWS time: cooldowns and alarm periods shrink by it. */
  get timeFactor(): number {
    return this.#periodMs / 60_000;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#tick ??= this.tick().finally(() => {
        this.#tick = undefined;
      });
    }, this.#periodMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#tick;
  }

  async tick(now = Date.now()): Promise<void> {
    for (const scope of this.#cloud.scopes()) {
      try {
        await inScope(scope, () => this.#tickScope(scope, now));
      } catch (e) {
        this.#cloud.log(
          `local cloud: auto scaling in ${scope.accountId}/${scope.region} failed: ${(e as Error).message}`,
        );
      }
    }
  }

  async #tickScope(scope: Scope, now: number): Promise<void> {
    await this.metrics.sampleScope(this.#cloud, scope, now);
    const state = this.#cloud.state.autoScaling;
    if (state === undefined) return;
    for (const target of Object.values(state.targets)) {
      const rg = this.#cloud.state.replicationGroups[groupIdOf(target.resourceId)];
      if (rg === undefined) continue;
      const policies = Object.values(state.policies).filter(
        (p) => p.resourceId === target.resourceId && p.dimension === target.dimension,
      );
      if (target.pending) {
        if (rg.status === "available") this.#complete(target, rg, policies, now);
        continue;
      }
      if (rg.status !== "available") continue;
      this.#runSchedules(target, now);
      const current = currentCapacity(rg, target.dimension);
      if (current < target.min || current > target.max) {
        const bound = current < target.min ? target.min : target.max;
        await this.#scale(
          target,
          rg,
          current,
          bound,
          `${current < target.min ? "minimum" : "maximum"} capacity was set to ${bound}`,
        );
        continue;
      }
      for (const p of policies) {
        const value = predefinedMetric(this.metrics, scope, rg, p.config.metricType, now);
        if (value === undefined) continue;
        p.datapoints.push(Math.round(value * 1000) / 1000);
        if (p.datapoints.length > lowDatapoints) p.datapoints.shift();
      }
      const decision = evaluateTracking({
        current,
        min: target.min,
        max: target.max,
        policies,
        now,
        timeFactor: this.timeFactor,
        ...(target.lastScaleOut ? { lastScaleOut: target.lastScaleOut } : {}),
        ...(target.lastScaleIn ? { lastScaleIn: target.lastScaleIn } : {}),
        scaleOutSuspended: target.suspended.dynamicScalingOut,
        scaleInSuspended: target.suspended.dynamicScalingIn,
      });
      if (decision === undefined) continue;
      const policy = policies.find((p) => p.name === decision.policy) as ScalingPolicyRecord;
      const alarm = decision.alarm === "AlarmHigh" ? policy.alarmHigh : policy.alarmLow;
      await this.#scale(
        target,
        rg,
        current,
        decision.desired,
        `monitor alarm ${alarm} in state ALARM triggered policy ${policy.name} (${policy.config.metricType} ${decision.metric.toFixed(1)} against target ${policy.config.targetValue})`,
      );
    }
  }

  #runSchedules(target: ScalableTargetRecord, now: number): void {
    if (target.suspended.scheduledScaling) return;
    const actions = Object.values(this.#cloud.state.autoScaling?.scheduledActions ?? {}).filter(
      (a) => a.resourceId === target.resourceId && a.dimension === target.dimension,
    );
    for (const a of actions) {
      const schedule = parseSchedule(a.schedule);
      if (typeof schedule === "string") continue;
      if ((a.startTime && Date.parse(a.startTime) > now) || (a.endTime && Date.parse(a.endTime) < now))
        continue;
      if (!dueBetween(schedule, new Date(a.lastRun ?? a.createTime), new Date(now), a.timezone)) continue;
      a.lastRun = new Date(now).toISOString();
      if (a.min !== undefined) target.min = a.min;
      if (a.max !== undefined) target.max = a.max;
      if (target.min > target.max) target.max = target.min;
      recordActivity(this.#cloud, {
        resourceId: target.resourceId,
        dimension: target.dimension,
        description: `Setting min capacity to ${target.min} and max capacity to ${target.max}`,
        cause: `scheduled action name ${a.name} was triggered`,
        startTime: a.lastRun,
        endTime: a.lastRun,
        statusCode: "Successful",
        statusMessage: `Successfully set min capacity to ${target.min} and max capacity to ${target.max}`,
      });
    }
  }

  async #scale(
    target: ScalableTargetRecord,
    rg: ReplicationGroupRecord,
    from: number,
    to: number,
    cause: string,
  ) {
    const shards = target.dimension === shardsDimension;
    const activity = recordActivity(this.#cloud, {
      resourceId: target.resourceId,
      dimension: target.dimension,
      description: shards
        ? `Setting node group count to ${to}.`
        : `Setting replicas per node group to ${to}.`,
      cause,
      statusCode: "InProgress",
    });
    this.#cloud.log(`local cloud: auto scaling ${rg.id} ${target.dimension} ${from} -> ${to}: ${cause}`);
    const ctx = (action: string, input: Record<string, unknown>) => ({
      action,
      input: { ReplicationGroupId: rg.id, ApplyImmediately: true, ...input } as never,
      principal: undefined,
      region: rg.region,
      now: new Date(),
    });
    try {
      if (shards) {
        const ids = rg.nodeGroups.map((g) => g.id).sort();
        await (this.#handlers.ModifyReplicationGroupShardConfiguration as Handler)(
          ctx("ModifyReplicationGroupShardConfiguration", {
            NodeGroupCount: to,
            ...(to < from ? { NodeGroupsToRemove: ids.slice(to) } : {}),
          }),
        );
      } else {
        const action = to > from ? "IncreaseReplicaCount" : "DecreaseReplicaCount";
        await (this.#handlers[action] as Handler)(ctx(action, { NewReplicaCount: to }));
      }
      target.pending = { activityId: activity.id, direction: to > from ? "out" : "in", from, to };
    } catch (e) {
      activity.statusCode = "Failed";
      activity.statusMessage = `Failed to set ${shards ? "node group count" : "replicas per node group"} to ${to}: ${(e as Error).message}`;
      activity.endTime = new Date().toISOString();
    }
    this.#cloud.save();
  }

  #complete(
    target: ScalableTargetRecord,
    rg: ReplicationGroupRecord,
    policies: ScalingPolicyRecord[],
    now: number,
  ) {
    const pending = target.pending;
    if (pending === undefined) return;
    const activity = this.#cloud.state.autoScaling?.activities.find((a) => a.id === pending.activityId);
    const reached = currentCapacity(rg, target.dimension);
    const at = new Date(now).toISOString();
    if (activity) {
      activity.endTime = at;
      activity.statusCode = reached === pending.to ? "Successful" : "Failed";
      activity.statusMessage =
        reached === pending.to
          ? `Successfully set ${target.dimension === shardsDimension ? "node group count" : "replicas per node group"} to ${reached}.`
          : `Capacity is ${reached}, not ${pending.to}: the change did not complete (see DescribeEvents)`;
    }
    if (pending.direction === "out") target.lastScaleOut = { at, to: pending.to };
    else target.lastScaleIn = { at };
    delete target.pending;
    // The metric now averages other nodes: the alarms start over on the new capacity.
    for (const p of policies) p.datapoints = [];
    this.#cloud.save();
  }
}
