// Kubernetes-style status conditions (Ready, Synced, ...). `setCondition` keeps
// `lastTransitionTime` when the status did not flip, so writing the same condition again leaves
// the status deep-equal and `writeStatus` sends nothing.

export type ConditionStatus = "True" | "False" | "Unknown";

export interface Condition {
  type: string;
  status: ConditionStatus;
  /** CamelCase, e.g. "Available", "SecretNotFound". */
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export type ConditionInput = Omit<Condition, "lastTransitionTime">;

/** Returns a new list with `input` set; other types keep their place, a new type is appended. */
export function setCondition(
  conditions: ReadonlyArray<Condition> | undefined,
  input: ConditionInput,
  now: number,
) {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === input.type);
  const previous = i >= 0 ? list[i] : undefined;
  const lastTransitionTime =
    previous !== undefined && previous.status === input.status
      ? previous.lastTransitionTime
      : new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
  const next: Condition = { ...input, lastTransitionTime };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

export function findCondition(
  conditions: ReadonlyArray<Condition> | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
