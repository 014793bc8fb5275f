// What spec.autoScaling asks of Application Auto Scaling, and the calls that make AWS match it.
// Pure: the reconcile step observes, this decides, the AWS layer calls. The operator touches only
// what it registered: policies and scheduled actions named `infra-operator-...`, and targets of the
// dimensions it recorded in status.autoScaling; others' policies and targets are left alone.
import type { AutoScalingSpec } from "../api/auto-scaling.ts";

export type Dimension = "shards" | "replicas";
export const dimensions: Dimension[] = ["shards", "replicas"];

export const scalableDimensionOf: Record<Dimension, string> = {
  shards: "elasticache:replication-group:NodeGroups",
  replicas: "elasticache:replication-group:Replicas",
};

export const MANAGED_PREFIX = "infra-operator-";

export interface TargetState {
  dimension: Dimension;
  min: number;
  max: number;
}

export interface PolicyState {
  dimension: Dimension;
  name: string;
  targetValue: number;
  metricType: string;
  scaleOutCooldown?: number;
  scaleInCooldown?: number;
  disableScaleIn: boolean;
}

export interface ScheduledActionState {
  dimension: Dimension;
  name: string;
  schedule: string;
  timezone?: string;
  min?: number;
  max?: number;
}

export interface AutoScalingState {
  targets: TargetState[];
  policies: PolicyState[];
  scheduledActions: ScheduledActionState[];
}

export type AutoScalingCall =
  | { type: "registerTarget"; target: TargetState }
  | { type: "putPolicy"; policy: PolicyState }
  | { type: "putScheduledAction"; action: ScheduledActionState }
  | { type: "deleteScheduledAction"; dimension: Dimension; name: string }
  | { type: "deletePolicy"; dimension: Dimension; name: string }
  | { type: "deregisterTarget"; dimension: Dimension };

const metricOf = (dimension: Dimension, target: { targetMemoryPercent?: number | undefined }) =>
  dimension === "replicas"
    ? "ElastiCacheReplicaEngineCPUUtilization"
    : target.targetMemoryPercent !== undefined
      ? "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage"
      : "ElastiCachePrimaryEngineCPUUtilization";

export function policyName(dimension: Dimension): string {
  return `${MANAGED_PREFIX}${dimension}`;
}

export function desiredAutoScaling(spec: AutoScalingSpec | undefined): AutoScalingState {
  const state: AutoScalingState = { targets: [], policies: [], scheduledActions: [] };
  if (spec === undefined) return state;
  for (const dimension of dimensions) {
    const d = spec[dimension];
    if (d === undefined) continue;
    state.targets.push({ dimension, min: d.min, max: d.max });
    state.policies.push({
      dimension,
      name: policyName(dimension),
      targetValue: (d.targetMemoryPercent ?? d.targetCPUPercent) as number,
      metricType: metricOf(dimension, d),
      ...(d.scaleOutCooldownSeconds !== undefined ? { scaleOutCooldown: d.scaleOutCooldownSeconds } : {}),
      ...(d.scaleInCooldownSeconds !== undefined ? { scaleInCooldown: d.scaleInCooldownSeconds } : {}),
      disableScaleIn: d.disableScaleIn === true,
    });
  }
  for (const a of spec.scheduledActions ?? []) {
    state.scheduledActions.push({
      dimension: a.dimension,
      name: `${MANAGED_PREFIX}${a.name}`,
      schedule: a.schedule,
      ...(a.timezone !== undefined ? { timezone: a.timezone } : {}),
      ...(a.min !== undefined ? { min: a.min } : {}),
      ...(a.max !== undefined ? { max: a.max } : {}),
    });
  }
  return state;
}

const same = (a: object, b: object) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
function sorted(o: object): object {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The calls that make AWS (`observed`) match `desired`. `registered`: the dimensions the operator
 * registered before (only those are deregistered when the spec drops them).
 */
export function autoScalingCalls(
  desired: AutoScalingState,
  observed: AutoScalingState,
  registered: Dimension[],
): AutoScalingCall[] {
  const calls: AutoScalingCall[] = [];
  const wanted = new Set(desired.targets.map((t) => t.dimension));
  for (const t of desired.targets) {
    const o = observed.targets.find((x) => x.dimension === t.dimension);
    if (o === undefined || !same(o, t)) calls.push({ type: "registerTarget", target: t });
  }
  for (const p of desired.policies) {
    const o = observed.policies.find((x) => x.dimension === p.dimension && x.name === p.name);
    if (o === undefined || !same(o, p)) calls.push({ type: "putPolicy", policy: p });
  }
  for (const a of desired.scheduledActions) {
    const o = observed.scheduledActions.find((x) => x.dimension === a.dimension && x.name === a.name);
    if (o === undefined || !same(o, a)) calls.push({ type: "putScheduledAction", action: a });
  }
  const managed = (name: string) => name.startsWith(MANAGED_PREFIX);
  for (const a of observed.scheduledActions) {
    if (!managed(a.name) || !wanted.has(a.dimension)) continue;
    if (!desired.scheduledActions.some((x) => x.dimension === a.dimension && x.name === a.name))
      calls.push({ type: "deleteScheduledAction", dimension: a.dimension, name: a.name });
  }
  for (const p of observed.policies) {
    if (!managed(p.name) || !wanted.has(p.dimension)) continue;
    if (!desired.policies.some((x) => x.dimension === p.dimension && x.name === p.name))
      calls.push({ type: "deletePolicy", dimension: p.dimension, name: p.name });
  }
  // Deregistering a target removes its policies and scheduled actions with it.
  for (const t of observed.targets) {
    if (!wanted.has(t.dimension) && registered.includes(t.dimension))
      calls.push({ type: "deregisterTarget", dimension: t.dimension });
  }
  return calls;
}

const metricLabel: Record<string, string> = {
  ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage: "memory",
  ElastiCachePrimaryEngineCPUUtilization: "primary engine CPU",
  ElastiCacheReplicaEngineCPUUtilization: "replica engine CPU",
};

/** One line per call, as plan and Events show them. */
export function describeCall(call: AutoScalingCall): string {
  switch (call.type) {
    case "registerTarget":
      return `register ${call.target.dimension} ${call.target.min}-${call.target.max} with Application Auto Scaling`;
    case "putPolicy":
      return `track ${metricLabel[call.policy.metricType] ?? call.policy.metricType} at ${call.policy.targetValue}% for ${call.policy.dimension}${call.policy.disableScaleIn ? " (scale-out only)" : ""}`;
    case "putScheduledAction":
      return `schedule ${call.action.name.slice(MANAGED_PREFIX.length)} (${call.action.schedule}) for ${call.action.dimension}`;
    case "deleteScheduledAction":
      return `remove scheduled action ${call.name.slice(MANAGED_PREFIX.length)} of ${call.dimension}`;
    case "deletePolicy":
      return `remove policy ${call.name} of ${call.dimension}`;
    case "deregisterTarget":
      return `deregister ${call.dimension} from Application Auto Scaling (the spec's count applies again)`;
  }
}
