// CreateUserGroup, ModifyUserGroup, DeleteUserGroup and DescribeUserGroups (ElastiCache RBAC).
// A user group is the set of ACL users of the caches it is attached to; it must hold exactly one user
// named `default`, which replaces the engine's default user.
import type { Handler, RequestContext } from "../context.ts";
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { Tag, UserGroupRecord } from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { paginate } from "./pagination.ts";
import { groupsUsingUserGroup, pushUserGroups, serverlessUsingUserGroup } from "./rbac-sync.ts";
import { checkTagLimit } from "./shared-rules.ts";
import { ensureDefaultUser, getUser, validEngine } from "./users.ts";
import { validIdentifier } from "./validation.ts";

export function getUserGroup(cloud: Cloud, id: unknown): UserGroupRecord {
  const group = cloud.state.userGroups[String(id ?? "").toLowerCase()];
  if (group === undefined) throw fault("UserGroupNotFoundFault", `User group ${String(id)} not found.`);
  return group;
}

export function requireUserGroupActive(group: UserGroupRecord): void {
  if (group.status !== "active")
    throw fault(
      "InvalidUserGroupStateFault",
      `User group ${group.id} is not active (it is ${group.status}).`,
    );
}

export function renderUserGroup(cloud: Cloud, g: UserGroupRecord): Record<string, unknown> {
  return {
    UserGroupId: g.id,
    Status: g.status,
    Engine: g.engine,
    UserIds: g.userIds,
    MinimumEngineVersion: g.engine === "valkey" ? "7.2" : "6.0",
    ...(g.pending
      ? { PendingChanges: { UserIdsToRemove: g.pending.remove, UserIdsToAdd: g.pending.add } }
      : {}),
    ReplicationGroups: groupsUsingUserGroup(cloud, g.id).map((rg) => rg.id),
    ServerlessCaches: serverlessUsingUserGroup(cloud, g.id).map((c) => c.name),
    ARN: g.arn,
  };
}

/** AWS's membership rules: users exist, one `default`-named user, no two users with one name, engines fit. */
function checkMembers(cloud: Cloud, engine: "redis" | "valkey", userIds: string[]): void {
  const names = new Map<string, string>();
  for (const id of userIds) {
    const user = getUser(cloud, id);
    if (user.status === "deleting") throw fault("UserNotFoundFault", `User ${id} is being deleted.`);
    const other = names.get(user.name);
    if (other !== undefined)
      throw fault(
        "DuplicateUserNameFault",
        `Users ${other} and ${user.id} both have the user name ${user.name}.`,
      );
    names.set(user.name, user.id);
    if (engine === "redis" && user.engine !== "redis")
      throw invalidParameter(
        `User ${user.id} has engine ${user.engine}; a redis user group takes redis users only.`,
      );
    if (engine === "valkey" && user.authType === "no-password")
      throw invalidParameter(
        `User ${user.id} has no password; a valkey user group takes users that authenticate.`,
      );
  }
  if (!names.has("default"))
    throw fault("DefaultUserRequired", "User group needs to contain a user with the user name default.");
}

function userIdList(value: unknown): string[] {
  return [...new Set(((value as string[] | undefined) ?? []).map((id) => id.toLowerCase()))];
}

function create(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  ensureDefaultUser(cloud, ctx);
  const input = ctx.input;
  const id = validIdentifier(input.UserGroupId, "UserGroupId", 40);
  if (cloud.state.userGroups[id])
    throw fault("UserGroupAlreadyExistsFault", `User group ${id} already exists.`);
  const engine = validEngine(input.Engine);
  const userIds = userIdList(input.UserIds);
  checkMembers(cloud, engine, userIds);
  const tags = (input.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  const accountId = ctx.principal?.accountId ?? "000000000000";
  const group: UserGroupRecord = {
    id,
    arn: elasticacheArn(ctx.region, accountId, "usergroup", id),
    region: ctx.region,
    accountId,
    engine,
    status: "creating",
    userIds,
  };
  cloud.state.userGroups[id] = group;
  if (tags.length > 0) cloud.state.tags[group.arn] = tags;
  cloud.save();
  const rendered = renderUserGroup(cloud, group);
  cloud.background(
    `creating user group ${id}`,
    async () => {
      await cloud.pace();
      group.status = "active";
      cloud.event("user-group", id, "User group created");
    },
    () => {
      group.status = "active";
    },
  );
  return rendered;
}

function modify(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  ensureDefaultUser(cloud, ctx);
  const input = ctx.input;
  const group = getUserGroup(cloud, input.UserGroupId);
  requireUserGroupActive(group);
  const add = userIdList(input.UserIdsToAdd);
  const remove = userIdList(input.UserIdsToRemove);
  const both = add.filter((u) => remove.includes(u));
  if (both.length > 0)
    throw invalidCombination(`User ${both[0]} cannot be both added and removed in one request.`);
  for (const u of remove) {
    if (!group.userIds.includes(u)) throw invalidParameter(`User ${u} is not in user group ${group.id}.`);
  }
  const engine = input.Engine !== undefined ? validEngine(input.Engine) : group.engine;
  const next = [
    ...group.userIds.filter((u) => !remove.includes(u)),
    ...add.filter((u) => !group.userIds.includes(u)),
  ];
  checkMembers(cloud, engine, next);
  if (add.length === 0 && remove.length === 0 && engine === group.engine)
    return renderUserGroup(cloud, group);
  group.userIds = next;
  group.engine = engine;
  group.status = "modifying";
  group.pending = { add, remove };
  cloud.save();
  const rendered = renderUserGroup(cloud, group);
  // Active again once the engines have the new users; the definition has changed even if a push failed.
  const settle = () => {
    group.status = "active";
    delete group.pending;
  };
  cloud.background(
    `modifying user group ${group.id}`,
    async () => {
      await pushUserGroups(cloud, [group.id]);
      await cloud.pace();
      settle();
      cloud.event("user-group", group.id, "User group modified");
    },
    (message) => {
      settle();
      cloud.event("user-group", group.id, `Failed to modify user group: ${message}`);
    },
  );
  return rendered;
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const group = getUserGroup(cloud, ctx.input.UserGroupId);
  requireUserGroupActive(group);
  const users = groupsUsingUserGroup(cloud, group.id);
  if (users.length > 0) {
    throw fault(
      "InvalidUserGroupStateFault",
      `User group ${group.id} is associated with replication group(s) ${users.map((rg) => rg.id).join(", ")}; remove it there first (UserGroupIdsToRemove).`,
    );
  }
  const caches = serverlessUsingUserGroup(cloud, group.id);
  if (caches.length > 0) {
    throw fault(
      "InvalidUserGroupStateFault",
      `User group ${group.id} is associated with serverless cache(s) ${caches.map((c) => c.name).join(", ")}; remove it there first (ModifyServerlessCache RemoveUserGroup).`,
    );
  }
  group.status = "deleting";
  cloud.save();
  const rendered = renderUserGroup(cloud, group);
  cloud.background(
    `deleting user group ${group.id}`,
    async () => {
      await cloud.pace();
      delete cloud.state.userGroups[group.id];
      delete cloud.state.tags[group.arn];
      cloud.event("user-group", group.id, "User group deleted");
    },
    () => {
      group.status = "active";
    },
  );
  return rendered;
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const groups =
    input.UserGroupId !== undefined
      ? [getUserGroup(cloud, input.UserGroupId)]
      : Object.values(cloud.state.userGroups).sort((a, b) => a.id.localeCompare(b.id));
  const page = paginate(groups, input);
  return {
    UserGroups: page.items.map((g) => renderUserGroup(cloud, g)),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

export function userGroupHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    CreateUserGroup: async (ctx) => create(cloud, ctx),
    ModifyUserGroup: async (ctx) => modify(cloud, ctx),
    DeleteUserGroup: async (ctx) => remove(cloud, ctx),
    DescribeUserGroups: async (ctx) => describe(cloud, ctx),
  };
}
