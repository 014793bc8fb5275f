import type { Action } from "./model.ts";
import type { PlanInput, PlanResult } from "./plan-types.ts";

// Adaptive polling while AWS works: quick at first (the local cloud and small changes finish in
// seconds), slower as a transition drags on, so long creates cost few API calls.

export function pollSeconds(now: Date, since: Date | undefined): number {
  const elapsed = since === undefined ? 0 : (now.getTime() - since.getTime()) / 1000;
  if (elapsed < 10) return 1;
  if (elapsed < 60) return 5;
  if (elapsed < 600) return 15;
  return 30;
}

/** Waiting on AWS: poll again after an adaptive interval. */
export function waiting(input: PlanInput, reason: string, message: string): PlanResult {
  const action: Action = { type: "wait", seconds: pollSeconds(input.now, input.waitingSince), reason };
  return { action, reason, message, terminal: false, ready: false, memory: input.memory };
}
