// ElastiCacheUserGroup on the runtime: describe, create, modify members (UserIdsToAdd/UserIdsToRemove)
// and engine, delete. Its members are users by ID or ElastiCacheUser objects (references).
import {
  CreateUserGroupCommand,
  DeleteUserGroupCommand,
  DescribeUserGroupsCommand,
  ModifyUserGroupCommand,
  type UserGroup,
} from "@aws-sdk/client-elasticache";
import { tagList } from "../../runtime/elasticache-api.ts";
import type { ManagedKind } from "../../runtime/kind.ts";
import { parseSpecWith } from "../../runtime/parse-spec.ts";
import { type ObservedUserGroup, planUserGroup, type UserGroupAction, userGroupReferences } from "./plan.ts";
import { type UserGroupSpec, userGroupDefinition, userGroupSpec } from "./schema.ts";

const sorted = (list: string[] | undefined) => [...(list ?? [])].sort();

export const userGroupKind: ManagedKind<UserGroupSpec, ObservedUserGroup, UserGroupAction> = {
  definition: userGroupDefinition,
  parseSpec: parseSpecWith(userGroupSpec, "ElastiCacheUserGroup"),
  awsName: (spec) => spec.userGroupID,
  describe: (spec) => `user group ${spec.userGroupID}`,
  references: userGroupReferences,

  async observe(api, spec) {
    const out = await api.find<{ UserGroups?: UserGroup[] }>(
      new DescribeUserGroupsCommand({ UserGroupId: spec.userGroupID }),
    );
    const group = out?.UserGroups?.find((g) => g.UserGroupId === spec.userGroupID);
    if (group?.ARN === undefined) return undefined;
    const status = (group.Status ?? "").toLowerCase();
    return {
      arn: group.ARN,
      tags: await api.tags(group.ARN),
      busy: status === "creating" || status === "modifying",
      deleting: status === "deleting",
      status,
      engine: (group.Engine ?? "").toLowerCase(),
      userIDs: sorted(group.UserIds),
      pendingAdd: sorted(group.PendingChanges?.UserIdsToAdd),
      pendingRemove: sorted(group.PendingChanges?.UserIdsToRemove),
      replicationGroups: sorted(group.ReplicationGroups),
      serverlessCaches: sorted(group.ServerlessCaches),
      minimumEngineVersion: group.MinimumEngineVersion,
    };
  },

  plan: planUserGroup,

  deleteAction: () => ({ type: "delete" }),

  async act(api, action, { spec, tags }) {
    const id = spec.userGroupID;
    if (action.type === "create")
      await api.send(
        new CreateUserGroupCommand({
          UserGroupId: id,
          Engine: spec.engine,
          UserIds: action.userIDs,
          Tags: tagList(tags),
        }),
      );
    else if (action.type === "modify")
      await api.send(
        new ModifyUserGroupCommand({
          UserGroupId: id,
          UserIdsToAdd: action.add.length > 0 ? action.add : undefined,
          UserIdsToRemove: action.remove.length > 0 ? action.remove : undefined,
          Engine: action.engine,
        }),
      );
    else await api.send(new DeleteUserGroupCommand({ UserGroupId: id }));
  },

  status(observed) {
    if (observed === undefined) return {};
    const pending = observed.pendingAdd.length > 0 || observed.pendingRemove.length > 0;
    return {
      userGroupStatus: observed.status,
      engine: observed.engine,
      userIDs: observed.userIDs,
      pendingChanges: pending
        ? { userIDsToAdd: observed.pendingAdd, userIDsToRemove: observed.pendingRemove }
        : undefined,
      replicationGroups: observed.replicationGroups,
      serverlessCaches: observed.serverlessCaches,
      minimumEngineVersion: observed.minimumEngineVersion,
    };
  },
};
