// What to do next with an ElastiCache user group (pure): create it with its members, add and
// remove members in one ModifyUserGroup, change its engine, or nothing.
import type { Decision, ManagedObserved, PlanInput, Reference } from "../../runtime/kind.ts";
import type { UserGroupSpec } from "./schema.ts";

export interface ObservedUserGroup extends ManagedObserved {
  status: string;
  engine: string;
  userIDs: string[];
  pendingAdd: string[];
  pendingRemove: string[];
  replicationGroups: string[];
  serverlessCaches: string[];
  minimumEngineVersion?: string;
}

export type UserGroupAction =
  | { type: "create"; userIDs: string[] }
  | { type: "modify"; add: string[]; remove: string[]; engine?: string }
  | { type: "delete" };

/** AWS's own default user: in every account, never an object of ours (userID "default" is refused). */
export const AWS_DEFAULT_USER = "default";

/** The users the group names: by user ID (waited for if an object has that userID) and by object. */
export function userGroupReferences(spec: UserGroupSpec): Reference[] {
  const byID: Reference[] = (spec.userIDs ?? []).flatMap((id, i) =>
    id === AWS_DEFAULT_USER
      ? []
      : [{ kind: "ElastiCacheUser", name: id, awsName: id, field: `spec.userIDs[${i}]` }],
  );
  const byRef: Reference[] = (spec.userRefs ?? []).map((r, i) => ({
    kind: "ElastiCacheUser",
    name: r.name,
    field: `spec.userRefs[${i}]`,
  }));
  return [...byID, ...byRef];
}

/** The member user IDs: AWS's default user if named, and the resolved references. */
export function wantedMembers(spec: UserGroupSpec, resolved: string[]): string[] {
  const ids = (spec.userIDs ?? []).includes(AWS_DEFAULT_USER) ? [AWS_DEFAULT_USER, ...resolved] : resolved;
  return [...new Set(ids.map((id) => id.toLowerCase()))].sort();
}

export function planUserGroup(input: PlanInput<UserGroupSpec, ObservedUserGroup>): Decision<UserGroupAction> {
  const { spec, observed } = input;
  const what = `user group ${spec.userGroupID}`;
  const wanted = wantedMembers(spec, input.resolved);
  if (observed === undefined)
    return {
      type: "act",
      action: { type: "create", userIDs: wanted },
      reason: "Creating",
      message: `creating ${what} with ${wanted.join(", ")}`,
    };
  if (observed.status !== "active")
    return {
      type: "wait",
      reason: observed.status === "creating" ? "Creating" : "Modifying",
      message: `AWS reports ${what} as ${observed.status}; waiting for active`,
    };
  const add = wanted.filter((id) => !observed.userIDs.includes(id));
  const remove = observed.userIDs.filter((id) => !wanted.includes(id));
  const engine = observed.engine !== spec.engine ? spec.engine : undefined;
  if (add.length === 0 && remove.length === 0 && engine === undefined)
    return { type: "ready", message: `${what} is active with ${wanted.join(", ")}` };
  const changes = [
    ...(add.length > 0 ? [`adding ${add.join(", ")}`] : []),
    ...(remove.length > 0 ? [`removing ${remove.join(", ")}`] : []),
    ...(engine !== undefined ? [`engine ${observed.engine} -> ${engine}`] : []),
  ];
  return {
    type: "act",
    action: { type: "modify", add, remove, ...(engine !== undefined ? { engine } : {}) },
    reason: "Modifying",
    message: `${what}: ${changes.join(", ")}`,
  };
}
