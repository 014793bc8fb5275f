// Every pending difference between the spec and AWS, for `plan`: the planner itself returns only
// the next step, so this asks each of its checks separately (the same code, so plan and apply
// can never disagree about what differs).
import { CHANGE_CHECKS } from "./changes.ts";
import { desiredTags } from "./desired.ts";
import type { Action } from "./model.ts";
import { plan } from "./plan.ts";
import type { PlanInput, PlanResult } from "./plan-types.ts";
import { tagChanges } from "./tags.ts";

export type ChangeKind = "create" | "modify" | "tags" | "refused" | "wait" | "adopt";

export interface PendingChange {
  kind: ChangeKind;
  /** Spec fields the change concerns (empty for create). */
  fields: string[];
  /** What would be done, in the planner's words. */
  message: string;
}

/** An empty list means AWS matches the spec: apply would make no call that changes anything. */
export function describeChanges(input: PlanInput): PendingChange[] {
  const next = plan(input);
  const { observed } = input;
  if (next.action.type === "create") return [{ kind: "create", fields: [], message: next.message }];
  if (observed === undefined) return [];
  if (input.memory.topology === undefined) {
    // Not recorded as ours: the planner decides whether it may be adopted.
    return [{ kind: next.terminal ? "refused" : "adopt", fields: [], message: next.message }];
  }
  if (next.terminal && next.action.type === "none" && changesOf(input).length === 0) {
    return [{ kind: "refused", fields: [], message: next.message }];
  }
  const changes: PendingChange[] = [];
  if (observed.status !== "available") {
    changes.push({
      kind: "wait",
      fields: [],
      message: `AWS reports ${observed.id} as ${observed.status}; changes start once it is available`,
    });
  }
  changes.push(...changesOf(input));
  changes.push(...tagDifferences(input));
  return changes;
}

function changesOf(input: PlanInput): PendingChange[] {
  const observed = input.observed;
  if (observed === undefined) return [];
  const found: PendingChange[] = [];
  for (const check of CHANGE_CHECKS) {
    const result = check(input, observed);
    if (result !== undefined) found.push(toChange(result));
  }
  return found;
}

function toChange(result: PlanResult): PendingChange {
  if (result.terminal) return { kind: "refused", fields: [], message: result.message };
  if (result.action.type === "wait") return { kind: "wait", fields: [], message: result.message };
  return { kind: "modify", fields: fieldsOf(result.action), message: result.message };
}

function fieldsOf(action: Action): string[] {
  switch (action.type) {
    case "modify":
      return action.fields;
    case "increaseReplicaCount":
    case "decreaseReplicaCount":
      return ["replicasPerNodeGroup"];
    case "reshard":
      return ["numNodeGroups"];
    default:
      return [];
  }
}

/** Tags to add and to remove (both, where the planner does one per step). */
function tagDifferences(input: PlanInput): PendingChange[] {
  const observed = input.observed;
  if (observed === undefined) return [];
  const tags = desiredTags(input.spec, input.defaultTags, input.owner);
  const first = tagChanges(input, observed, tags);
  if (first === undefined || first.action.type === "none") return [];
  if (first.action.type === "readTags") {
    return [
      { kind: "tags", fields: ["tags"], message: "the tag set changed; tags would be read and synced" },
    ];
  }
  const out: PendingChange[] = [{ kind: "tags", fields: ["tags"], message: first.message }];
  if (first.action.type === "addTags" && observed.tags !== undefined) {
    // What the second step would do once the additions are in.
    const after = { ...observed, tags: { ...observed.tags, ...first.action.tags } };
    const second = tagChanges({ ...input, memory: first.memory }, after, tags);
    if (second?.action.type === "removeTags") {
      out.push({ kind: "tags", fields: ["tags"], message: second.message });
    }
  }
  return out;
}
