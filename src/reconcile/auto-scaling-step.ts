// The Application Auto Scaling part of a reconcile step of a cluster-mode cache: make the scalable
// targets, policies and scheduled actions match spec.autoScaling (fully compared when the spec
// changed, and at each drift check), report each new scaling activity as an Event, and show the
// current counts, the ranges and the last activity in status.autoScaling. On deletion of the cache
// (Delete, Snapshot) the targets it registered are deregistered first.
import type { AutoScalingStatus } from "../api/auto-scaling.ts";
import type { ElastiCacheClusterSpec } from "../api/elasticache-cluster.ts";
import type { AutoScalingGateway, ScalingActivity } from "../aws/auto-scaling-gateway.ts";
import {
  autoScalingCalls,
  type Dimension,
  describeCall,
  desiredAutoScaling,
  dimensions,
} from "../planner/auto-scaling.ts";
import { sha256 } from "../planner/hash.ts";
import type { ObservedCache } from "../planner/model.ts";
import type { StepEvent } from "./cluster-step.ts";

export interface AutoScalingStepInput {
  spec: ElastiCacheClusterSpec;
  previous: AutoScalingStatus | undefined;
  observed: ObservedCache;
  gateway: AutoScalingGateway;
  /** Compare everything with AWS even when the spec did not change (drift check, force-sync). */
  fullCheck: boolean;
}

export interface AutoScalingStepResult {
  status: AutoScalingStatus | undefined;
  events: StepEvent[];
}

/** Activities read per step: enough to report every one since the last step. */
const activityPage = 10;

const registeredIn = (status: AutoScalingStatus | undefined): Dimension[] =>
  dimensions.filter((d) => status?.[d] !== undefined);

/** Whether this cache has anything for Application Auto Scaling to do now. */
export function autoScalingInvolved(spec: ElastiCacheClusterSpec, previous: AutoScalingStatus | undefined) {
  return spec.autoScaling !== undefined || registeredIn(previous).length > 0;
}

function currentCount(observed: ObservedCache, dimension: Dimension): number {
  if (dimension === "shards") return observed.shards.length;
  return Math.min(...observed.shards.map((s) => Math.max(0, s.nodes.length - 1)));
}

export async function autoScalingStep(input: AutoScalingStepInput): Promise<AutoScalingStepResult> {
  const { spec, previous, observed, gateway } = input;
  const events: StepEvent[] = [];
  const desired = desiredAutoScaling(spec.autoScaling);
  const hash = sha256(JSON.stringify(desired)).slice(0, 16);
  if (hash !== previous?.appliedHash || input.fullCheck) {
    const current = await gateway.observe(observed.id);
    const calls = autoScalingCalls(desired, current, registeredIn(previous));
    for (const call of calls) await gateway.execute(observed.id, call);
    if (calls.length > 0) {
      events.push({
        type: "Normal",
        reason: "AutoScalingUpdated",
        message: `Application Auto Scaling: ${calls.map(describeCall).join("; ")}`,
      });
    }
  }
  if (desired.targets.length === 0) return { status: undefined, events };

  const status: AutoScalingStatus = { appliedHash: hash };
  for (const t of desired.targets) {
    status[t.dimension] = { current: currentCount(observed, t.dimension), min: t.min, max: t.max };
  }
  const activities = await gateway.activities(observed.id, activityPage);
  events.push(...activityEvents(activities, previous?.lastActivity));
  const latest = activities[0];
  if (latest) {
    status.lastActivity = {
      id: latest.id,
      dimension: latest.dimension,
      description: latest.description,
      ...(latest.cause !== undefined ? { cause: latest.cause } : {}),
      status: latest.status,
      startTime: latest.startTime,
    };
  } else if (previous?.lastActivity) status.lastActivity = previous.lastActivity;
  return { status, events };
}

/** One Event per activity newer than the last one reported, and one when that one finished. */
function activityEvents(
  activities: ScalingActivity[],
  last: AutoScalingStatus["lastActivity"] | undefined,
): StepEvent[] {
  const known = last ? activities.findIndex((a) => a.id === last.id) : -1;
  const fresh = (
    known >= 0 ? activities.slice(0, known) : last ? activities : activities.slice(0, 1)
  ).reverse();
  const finished =
    known >= 0 && activities[known]?.status !== last?.status ? [activities[known] as ScalingActivity] : [];
  return [...finished, ...fresh].map((a) => ({
    type: a.status === "Failed" ? "Warning" : "Normal",
    reason: a.status === "Failed" ? "AutoScalingFailed" : "AutoScaling",
    message: `${a.dimension}: ${a.description} ${a.status}${a.statusMessage && a.status === "Failed" ? ` (${a.statusMessage})` : ""}${a.cause ? `; cause: ${a.cause}` : ""}`,
  }));
}

/** Before the cache is deleted: deregister what the operator registered (policies go with them). */
export async function deregisterAll(
  gateway: AutoScalingGateway,
  groupId: string,
  previous: AutoScalingStatus | undefined,
): Promise<StepEvent[]> {
  const registered = registeredIn(previous);
  for (const dimension of registered) await gateway.execute(groupId, { type: "deregisterTarget", dimension });
  return registered.length === 0
    ? []
    : [
        {
          type: "Normal",
          reason: "AutoScalingUpdated",
          message: `Application Auto Scaling: deregistered ${registered.join(" and ")} before deleting ${groupId}`,
        },
      ];
}
