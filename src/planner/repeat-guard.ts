// A change AWS accepts but never reflects (a no-op modify, a value AWS normalises differently)
// must not be sent again every second forever. The same change is retried with a growing pause,
// then reported and left alone until a force-sync or the periodic resync after the window.
import { sha256 } from "./hash.ts";
import { isMutating } from "./model.ts";
import type { PlanInput, PlanResult } from "./plan-types.ts";

/** A repeat counts only within this window; later, the same change is a new one (fresh drift). */
const WINDOW_MS = 15 * 60_000;
/** Sends of one change before giving up (the first plus two retries). */
const MAX_ATTEMPTS = 3;
const BASE_PAUSE_MS = 5_000;

export function guardRepeats(input: PlanInput, result: PlanResult): PlanResult {
  if (!isMutating(result.action) || result.action.type === "create") return result;
  const key = sha256(JSON.stringify(result.action)).slice(0, 16);
  const now = input.now.getTime();
  const last = input.memory.lastChange;
  const repeat = last !== undefined && last.key === key && now - new Date(last.at).getTime() < WINDOW_MS;
  if (!repeat) {
    return {
      ...result,
      memory: { ...result.memory, lastChange: { key, at: input.now.toISOString(), attempts: 1 } },
    };
  }
  if (last.attempts >= MAX_ATTEMPTS) {
    return {
      action: { type: "none" },
      reason: "ChangeNotApplied",
      message: `AWS accepted this change ${last.attempts} times but still reports the old value (${result.message}); not sending it again until a force-sync or the next resync after ${WINDOW_MS / 60_000} minutes: check the cache's events in AWS`,
      terminal: true,
      ready: false,
      memory: input.memory,
    };
  }
  const due = new Date(last.at).getTime() + BASE_PAUSE_MS * 2 ** last.attempts;
  if (now < due) {
    const seconds = Math.ceil((due - now) / 1000);
    return {
      action: { type: "wait", seconds, reason: "RetryingChange" },
      reason: "Modifying",
      message: `AWS does not show the last change yet (${result.message}); sending it again in ${seconds}s`,
      terminal: false,
      ready: false,
      memory: input.memory,
    };
  }
  return {
    ...result,
    memory: {
      ...result.memory,
      lastChange: { key, at: input.now.toISOString(), attempts: last.attempts + 1 },
    },
  };
}
