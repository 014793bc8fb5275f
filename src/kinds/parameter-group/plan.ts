// The parameter group's next action (pure): create it, set the parameters whose value differs
// (at most 20 per ModifyCacheParameterGroup, as AWS allows), reset those this object set and the
// spec no longer names (ResetCacheParameterGroup), or nothing.
import type { Decision } from "../../runtime/kind.ts";
import type { ObservedParameterGroup } from "./observe.ts";
import type { ParameterGroupSpec } from "./schema.ts";

/** AWS's limit of parameters per ModifyCacheParameterGroup / ResetCacheParameterGroup call. */
export const PARAMETERS_PER_CALL = 20;

export type ParameterGroupAction =
  | { type: "create" }
  | { type: "modify"; parameters: { name: string; value: string }[] }
  | { type: "reset"; names: string[] }
  | { type: "delete" };

/** The parameters whose value in AWS differs from the spec's (sorted by name). */
export function changedParameters(
  wanted: Record<string, string>,
  observed: Record<string, string>,
): { name: string; value: string }[] {
  return Object.keys(wanted)
    .sort()
    .filter((name) => observed[name] !== wanted[name])
    .map((name) => ({ name, value: wanted[name] as string }));
}

/** Parameters this object set that the spec no longer names and that are still set in AWS. */
export function removedParameters(
  wanted: Record<string, string>,
  observed: Record<string, string>,
  applied: string[],
): string[] {
  return [...new Set(applied)].filter((n) => !(n in wanted) && n in observed).sort();
}

export function planParameterGroup(
  spec: ParameterGroupSpec,
  observed: ObservedParameterGroup | undefined,
  applied: string[],
): Decision<ParameterGroupAction> {
  const what = `parameter group ${spec.parameterGroupName}`;
  if (observed === undefined)
    return { type: "act", action: { type: "create" }, reason: "Creating", message: `creating ${what}` };
  if (observed.family !== spec.family)
    return {
      type: "invalid",
      reason: "FamilyMismatch",
      message: `${what} exists in AWS with family ${observed.family}, not ${spec.family}: a family cannot change; set spec.family to ${observed.family} or choose another parameterGroupName`,
    };
  const wanted = spec.parameters ?? {};
  const changed = changedParameters(wanted, observed.parameters);
  if (changed.length > 0) {
    const batch = changed.slice(0, PARAMETERS_PER_CALL);
    return {
      type: "act",
      action: { type: "modify", parameters: batch },
      reason: "Modifying",
      message: `${what}: setting ${batch.map((p) => `${p.name}=${p.value}`).join(", ")}`,
    };
  }
  const removed = removedParameters(wanted, observed.parameters, applied);
  if (removed.length > 0) {
    const names = removed.slice(0, PARAMETERS_PER_CALL);
    return {
      type: "act",
      action: { type: "reset", names },
      reason: "Resetting",
      message: `${what}: resetting ${names.join(", ")} to the family default`,
    };
  }
  return { type: "ready", message: readyMessage(what, spec, observed) };
}

function readyMessage(what: string, spec: ParameterGroupSpec, observed: ObservedParameterGroup): string {
  const notes: string[] = [];
  const pending = observed.caches.filter((c) => c.parameterApplyStatus === "pending-reboot");
  if (pending.length > 0)
    notes.push(
      `${pending.map((c) => c.cacheClusterID).join(", ")} must reboot for its requires-reboot parameters to take effect`,
    );
  if (observed.description !== spec.description)
    notes.push(`its description in AWS is "${observed.description}" (AWS cannot change it)`);
  const base = `${what} has the wanted parameters`;
  return notes.length === 0 ? base : `${base}; ${notes.join("; ")}`;
}

/** The names this object has set after `action` (what a later removal from the spec resets). */
export function appliedAfter(
  action: ParameterGroupAction,
  spec: ParameterGroupSpec,
  applied: string[],
): string[] {
  const names = new Set(applied);
  if (action.type === "create" || action.type === "modify")
    for (const n of Object.keys(spec.parameters ?? {})) names.add(n);
  if (action.type === "reset") for (const n of action.names) names.delete(n);
  return [...names].sort();
}
