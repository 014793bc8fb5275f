// Tag sync: add what differs, remove only keys infra-operator applied itself (never another
// writer's). Tags are read from AWS only when the wanted set changed since last applied, or when
// the driver read them anyway (periodic drift check).
import { hashTags } from "./hash.ts";
import type { ObservedCache } from "./model.ts";
import { inSync, type PlanInput, type PlanResult } from "./plan-types.ts";

export function tagChanges(
  input: PlanInput,
  observed: ObservedCache,
  tags: Record<string, string>,
): PlanResult | undefined {
  const hash = hashTags(tags);
  const { memory } = input;
  if (observed.tags === undefined) {
    if (memory.appliedTagsHash === hash) return undefined;
    return {
      action: { type: "readTags", arn: observed.arn },
      reason: "Modifying",
      message: "reading tags to apply the new tag set",
      terminal: false,
      ready: false,
      memory,
    };
  }
  const current = observed.tags;
  const add = Object.fromEntries(Object.entries(tags).filter(([k, v]) => current[k] !== v));
  if (Object.keys(add).length > 0) {
    return {
      action: { type: "addTags", arn: observed.arn, tags: add },
      reason: "Modifying",
      message: `tagging: ${Object.keys(add).sort().join(", ")}`,
      terminal: false,
      ready: false,
      memory: { ...memory, appliedTagKeys: union(memory.appliedTagKeys, Object.keys(add)) },
    };
  }
  const remove = (memory.appliedTagKeys ?? []).filter((k) => !(k in tags) && k in current).sort();
  if (remove.length > 0) {
    return {
      action: { type: "removeTags", arn: observed.arn, keys: remove },
      reason: "Modifying",
      message: `removing tags: ${remove.join(", ")}`,
      terminal: false,
      ready: false,
      memory: { ...memory, appliedTagKeys: Object.keys(tags).sort() },
    };
  }
  if (memory.appliedTagsHash === hash && sameKeys(memory.appliedTagKeys, tags)) return undefined;
  // In sync: remember it, so the next reconciles need not read tags again.
  return inSync({ ...memory, appliedTagKeys: Object.keys(tags).sort(), appliedTagsHash: hash });
}

function union(a: string[] | undefined, b: string[]): string[] {
  return [...new Set([...(a ?? []), ...b])].sort();
}

function sameKeys(keys: string[] | undefined, tags: Record<string, string>): boolean {
  return (keys ?? []).join() === Object.keys(tags).sort().join();
}
