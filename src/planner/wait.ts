import type { Action } from "./model.ts";
import type { PlanInput, PlanResult } from "./plan-types.ts";

/** Waiting on AWS: look again after the interval the requeue policy chose (input.pollSeconds). */
export function waiting(input: PlanInput, reason: string, message: string): PlanResult {
  const action: Action = { type: "wait", seconds: input.pollSeconds, reason };
  return { action, reason, message, terminal: false, ready: false, memory: input.memory };
}
