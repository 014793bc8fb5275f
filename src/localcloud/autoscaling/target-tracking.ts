// Target tracking as Application Auto Scaling evaluates it, pure and table-tested:
// - AlarmHigh fires when the last 3 datapoints are all above the target; AlarmLow when the last 15
//   are all below 90 % of it (the alarms AWS creates for a target-tracking policy).
// - Desired capacity = ceil(current × metric / target) kept within [min, max]; a scale-out adds at
//   least one. A scale-in happens only when that capacity is below the current one, so a group
//   whose metric would cross the target again with one node less stays as it is.
// - Any policy can scale out; scale in only when every policy that may scale in wants to, and none
//   wants out. The largest desired capacity wins.
// - ScaleOutCooldown: after a scale-out completes, another scale-out only when it asks for more than
//   that one set. ScaleInCooldown: no scale-in until it has passed since the last scale-in
//   completed; a scale-out is never blocked by it. Cooldowns are seconds, scaled by `timeFactor`.
import type { TargetTrackingConfig } from "./records.ts";

export const highDatapoints = 3;
export const lowDatapoints = 15;
export const lowThresholdRatio = 0.9;

export interface PolicyInput {
  name: string;
  config: TargetTrackingConfig;
  /** Newest last. */
  datapoints: number[];
}

export interface TrackingInput {
  current: number;
  min: number;
  max: number;
  policies: PolicyInput[];
  now: number;
  /** Local-cloud time / AWS time (metric period / 60 s): cooldowns are multiplied by it. */
  timeFactor: number;
  lastScaleOut?: { at: string; to: number };
  lastScaleIn?: { at: string };
  scaleOutSuspended?: boolean;
  scaleInSuspended?: boolean;
}

export interface TrackingDecision {
  direction: "out" | "in";
  desired: number;
  policy: string;
  alarm: "AlarmHigh" | "AlarmLow";
  metric: number;
}

function desiredFor(current: number, metric: number, target: number): number {
  return Math.ceil((current * metric) / target - 1e-9);
}

const latest = (p: PolicyInput) => p.datapoints[p.datapoints.length - 1] as number;

function inHighAlarm(p: PolicyInput): boolean {
  const last = p.datapoints.slice(-highDatapoints);
  return last.length === highDatapoints && last.every((v) => v > p.config.targetValue);
}

function inLowAlarm(p: PolicyInput): boolean {
  const last = p.datapoints.slice(-lowDatapoints);
  return last.length === lowDatapoints && last.every((v) => v < p.config.targetValue * lowThresholdRatio);
}

function within(since: string | undefined, seconds: number | undefined, input: TrackingInput): boolean {
  if (since === undefined || !seconds) return false;
  return input.now - Date.parse(since) < seconds * 1000 * input.timeFactor;
}

export function evaluateTracking(input: TrackingInput): TrackingDecision | undefined {
  const { current, min, max } = input;
  let out: TrackingDecision | undefined;
  if (!input.scaleOutSuspended) {
    for (const p of input.policies.filter(inHighAlarm)) {
      const desired = Math.min(
        max,
        Math.max(current + 1, desiredFor(current, latest(p), p.config.targetValue)),
      );
      if (desired <= current) continue;
      if (
        within(input.lastScaleOut?.at, p.config.scaleOutCooldown, input) &&
        desired <= (input.lastScaleOut?.to ?? 0)
      )
        continue;
      if (out === undefined || desired > out.desired)
        out = { direction: "out", desired, policy: p.name, alarm: "AlarmHigh", metric: latest(p) };
    }
  }
  if (out) return out;
  if (input.scaleInSuspended || input.policies.some(inHighAlarm)) return undefined;
  const mayScaleIn = input.policies.filter((p) => !p.config.disableScaleIn);
  if (mayScaleIn.length === 0 || !mayScaleIn.every(inLowAlarm)) return undefined;
  let chosen: TrackingDecision | undefined;
  for (const p of mayScaleIn) {
    if (within(input.lastScaleIn?.at, p.config.scaleInCooldown, input)) return undefined;
    const desired = Math.max(min, desiredFor(current, latest(p), p.config.targetValue));
    if (chosen === undefined || desired > chosen.desired)
      chosen = { direction: "in", desired, policy: p.name, alarm: "AlarmLow", metric: latest(p) };
  }
  return chosen && chosen.desired < current ? chosen : undefined;
}
