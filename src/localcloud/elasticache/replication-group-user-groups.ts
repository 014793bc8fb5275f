// UserGroupIds on CreateReplicationGroup and UserGroupIdsToAdd/UserGroupIdsToRemove/RemoveUserGroups
// on ModifyReplicationGroup, with AWS's rules: Redis 6+ (or Valkey), encryption in transit, no AUTH
// token at the same time (migrating uses AuthTokenUpdateStrategy DELETE or SET alongside), and one
// user group per replication group.
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { QueryObject } from "../protocol/query-input.ts";
import type { ReplicationGroupRecord } from "../state/records.ts";
import type { Cloud } from "./cloud.ts";
import { getUserGroup, requireUserGroupActive } from "./user-groups.ts";

interface GroupSettings {
  engine: "redis" | "valkey";
  engineVersion: string;
  transitEncryption: boolean;
}

function ids(value: unknown): string[] {
  return [...new Set(((value as string[] | undefined) ?? []).map((id) => id.toLowerCase()))];
}

/** Checks that `userGroupIds` may be attached to a group with these settings and `authTokens`. */
function checkAttachable(
  cloud: Cloud,
  rg: GroupSettings,
  userGroupIds: string[],
  authTokens: string[],
): void {
  if (userGroupIds.length === 0) return;
  if (userGroupIds.length > 1)
    throw invalidParameter("A replication group takes at most one user group; give a single user group id.");
  if (rg.engine === "redis" && Number(rg.engineVersion.split(".")[0]) < 6)
    throw invalidParameter("User groups (RBAC) need Redis 6.0 or later; use EngineVersion 6.2 or later.");
  if (!rg.transitEncryption) {
    throw invalidCombination(
      "User group based access control requires encryption-in-transit to be enabled on the replication group.",
    );
  }
  if (authTokens.length > 0) {
    throw invalidCombination(
      "A replication group uses either an AUTH token or user groups: give AuthTokenUpdateStrategy=DELETE to move from the AUTH token to the user group.",
    );
  }
  for (const id of userGroupIds) {
    const group = getUserGroup(cloud, id);
    requireUserGroupActive(group);
    if (rg.engine === "redis" && group.engine !== "redis")
      throw invalidParameter(
        `User group ${group.id} has engine ${group.engine}; a Redis replication group takes redis user groups.`,
      );
  }
}

/** UserGroupIds on create, checked; empty when none. */
export function userGroupsOnCreate(
  cloud: Cloud,
  rg: GroupSettings,
  input: QueryObject,
  authTokens: string[],
): string[] {
  const userGroupIds = ids(input.UserGroupIds);
  checkAttachable(cloud, rg, userGroupIds, authTokens);
  return userGroupIds;
}

/** The user groups after a ModifyReplicationGroup, or undefined when the request leaves them alone. */
export function userGroupsOnModify(
  cloud: Cloud,
  rg: ReplicationGroupRecord,
  input: QueryObject,
  authTokensAfter: string[],
): { next: string[]; add: string[]; remove: string[] } | undefined {
  const current = rg.userGroupIds ?? [];
  const add = ids(input.UserGroupIdsToAdd);
  let remove = ids(input.UserGroupIdsToRemove);
  if (input.RemoveUserGroups === true) {
    if (add.length > 0)
      throw invalidCombination("RemoveUserGroups cannot be combined with UserGroupIdsToAdd.");
    remove = [...current];
  }
  if (add.length === 0 && remove.length === 0) {
    // Setting an AUTH token on a group that keeps its user group mixes the two.
    if (current.length > 0 && authTokensAfter.length > 0)
      checkAttachable(cloud, rg, current, authTokensAfter);
    return undefined;
  }
  for (const id of remove) {
    if (!current.includes(id)) throw invalidParameter(`User group ${id} is not associated with ${rg.id}.`);
  }
  const both = add.filter((id) => remove.includes(id));
  if (both.length > 0) throw invalidCombination(`User group ${both[0]} cannot be both added and removed.`);
  const next = [
    ...current.filter((id) => !remove.includes(id)),
    ...add.filter((id) => !current.includes(id)),
  ];
  checkAttachable(cloud, rg, next, authTokensAfter);
  return { next, add, remove };
}
