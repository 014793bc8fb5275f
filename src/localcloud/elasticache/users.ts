// CreateUser, ModifyUser, DeleteUser and DescribeUsers (ElastiCache RBAC). A user is the definition
// of an engine ACL user; it reaches engines through the user groups attached to replication groups.
// Passwords are hashed on arrival and never kept, logged or returned (only their count is).
import { createHash } from "node:crypto";
import type { Handler, RequestContext } from "../context.ts";
import { adminUserName } from "../engines/admin-user.ts";
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { Tag, UserRecord } from "../state/records.ts";
import { validAccessString } from "./access-string.ts";
import { elasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { paginate } from "./pagination.ts";
import { pushUserGroups } from "./rbac-sync.ts";
import { checkTagLimit } from "./shared-rules.ts";
import { validIdentifier } from "./validation.ts";

export const defaultUserId = "default";

/** The user AWS creates in every account and region: `default`, no password, full access. */
export function ensureDefaultUser(cloud: Cloud, ctx: RequestContext): void {
  if (cloud.state.users[defaultUserId]) return;
  const accountId = ctx.principal?.accountId ?? "000000000000";
  cloud.state.users[defaultUserId] = {
    id: defaultUserId,
    name: "default",
    arn: elasticacheArn(ctx.region, accountId, "user", defaultUserId),
    region: ctx.region,
    accountId,
    engine: "redis",
    status: "active",
    accessString: "on ~* +@all",
    authType: "no-password",
    passwordHashes: [],
  };
}

export function getUser(cloud: Cloud, id: unknown): UserRecord {
  const user = cloud.state.users[String(id ?? "").toLowerCase()];
  if (user === undefined) throw fault("UserNotFoundFault", `User ${String(id)} not found.`);
  return user;
}

export function userGroupIdsOf(cloud: Cloud, userId: string): string[] {
  return Object.values(cloud.state.userGroups)
    .filter((g) => g.userIds.includes(userId))
    .map((g) => g.id)
    .sort();
}

export function renderUser(cloud: Cloud, u: UserRecord): Record<string, unknown> {
  return {
    UserId: u.id,
    UserName: u.name,
    Status: u.status,
    Engine: u.engine,
    MinimumEngineVersion: u.engine === "valkey" ? "7.2" : "6.0",
    AccessString: u.accessString,
    UserGroupIds: userGroupIdsOf(cloud, u.id),
    Authentication: {
      Type: u.authType,
      ...(u.authType === "password" ? { PasswordCount: u.passwordHashes.length } : {}),
    },
    ARN: u.arn,
  };
}

export function validEngine(value: unknown): "redis" | "valkey" {
  const engine = String(value ?? "").toLowerCase();
  if (engine !== "redis" && engine !== "valkey")
    throw invalidParameter(`Engine '${String(value ?? "")}' is invalid: use redis or valkey.`);
  return engine;
}

function validUserName(value: unknown): string {
  const name = String(value ?? "");
  if (name.length < 1 || /[\s\0]/.test(name))
    throw invalidParameter("UserName must be 1 or more characters without spaces (it is the engine login).");
  if (name === adminUserName)
    throw invalidParameter(`UserName ${adminUserName} is reserved by the local cloud; choose another.`);
  return name;
}

/** Passwords: one or two, 16 to 128 printable ASCII characters without spaces, '/', '"' or '@'. */
function passwordHashes(value: unknown): string[] {
  const passwords = (value as unknown[] | undefined) ?? [];
  if (passwords.length < 1 || passwords.length > 2)
    throw invalidParameter("Passwords must hold one or two passwords (two allow rotating without downtime).");
  for (const p of passwords) {
    const s = String(p);
    if (s.length < 16 || s.length > 128 || !/^[\x21-\x7e]+$/.test(s) || /[/"@]/.test(s)) {
      throw invalidParameter(
        "Invalid password in Passwords: each must be 16 to 128 printable ASCII characters without spaces, '/', '\"' or '@'.",
      );
    }
  }
  return [...new Set(passwords.map((p) => createHash("sha256").update(String(p)).digest("hex")))];
}

/**
 * How the user authenticates after this request, from AuthenticationMode, NoPasswordRequired and
 * Passwords as AWS combines them. `current` is the user's state before a ModifyUser.
 */
function authentication(
  input: RequestContext["input"],
  current?: Pick<UserRecord, "authType" | "passwordHashes">,
): Pick<UserRecord, "authType" | "passwordHashes"> {
  const mode = input.AuthenticationMode as { Type?: string; Passwords?: string[] } | undefined;
  const noPassword = input.NoPasswordRequired as boolean | undefined;
  let passwords = input.Passwords as string[] | undefined;
  if (mode?.Type !== undefined) {
    if (mode.Type === "iam") {
      throw invalidParameter(
        "AuthenticationMode Type iam is not supported by the local cloud (it cannot check IAM auth tokens); use password.",
      );
    }
    if (mode.Type === "no-password-required") {
      if (mode.Passwords?.length || passwords?.length)
        throw invalidCombination(
          "Passwords must not be given with AuthenticationMode Type no-password-required.",
        );
      return { authType: "no-password", passwordHashes: [] };
    }
    if (mode.Type !== "password")
      throw invalidParameter(
        `AuthenticationMode Type '${mode.Type}' is invalid: use password or no-password-required.`,
      );
    if (mode.Passwords?.length && passwords?.length)
      throw invalidCombination("Give the passwords either in Passwords or in AuthenticationMode, not both.");
    passwords = mode.Passwords?.length ? mode.Passwords : passwords;
    return { authType: "password", passwordHashes: passwordHashes(passwords) };
  }
  if (noPassword === true) {
    if (passwords?.length)
      throw invalidCombination("Passwords must not be given with NoPasswordRequired=true.");
    return { authType: "no-password", passwordHashes: [] };
  }
  if (passwords?.length) return { authType: "password", passwordHashes: passwordHashes(passwords) };
  if (current && noPassword === undefined) return current;
  throw invalidParameter(
    "No password was provided. If you want to create/update the user without password, please use the NoPasswordRequired flag.",
  );
}

function create(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  ensureDefaultUser(cloud, ctx);
  const input = ctx.input;
  const id = validIdentifier(input.UserId, "UserId", 40);
  if (cloud.state.users[id]) throw fault("UserAlreadyExistsFault", `User ${id} already exists.`);
  const name = validUserName(input.UserName);
  // User names are unique except `default`, which every user group needs its own choice of.
  if (name !== "default" && Object.values(cloud.state.users).some((u) => u.name === name))
    throw fault("DuplicateUserNameFault", `A user with the user name ${name} already exists.`);
  const engine = validEngine(input.Engine);
  validAccessString(input.AccessString);
  const auth = authentication(input);
  if (engine === "valkey" && auth.authType === "no-password")
    throw invalidCombination("Valkey users must authenticate: give Passwords instead of NoPasswordRequired.");
  const tags = (input.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  const accountId = ctx.principal?.accountId ?? "000000000000";
  const user: UserRecord = {
    id,
    name,
    arn: elasticacheArn(ctx.region, accountId, "user", id),
    region: ctx.region,
    accountId,
    engine,
    status: "active",
    accessString: String(input.AccessString).trim(),
    ...auth,
  };
  cloud.state.users[id] = user;
  if (tags.length > 0) cloud.state.tags[user.arn] = tags;
  cloud.event("user", id, "User created");
  cloud.save();
  return renderUser(cloud, user);
}

function requireActive(user: UserRecord): void {
  if (user.status !== "active")
    throw fault("InvalidUserStateFault", `User ${user.id} is not active (it is ${user.status}).`);
}

function modify(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  ensureDefaultUser(cloud, ctx);
  const input = ctx.input;
  const user = getUser(cloud, input.UserId);
  if (user.id === defaultUserId)
    throw invalidParameter("The default user cannot be modified; create a user named default instead.");
  requireActive(user);
  if (input.AccessString !== undefined && input.AppendAccessString !== undefined)
    throw invalidCombination("Give AccessString or AppendAccessString, not both.");
  let accessString = user.accessString;
  if (input.AccessString !== undefined) {
    validAccessString(input.AccessString);
    accessString = String(input.AccessString).trim();
  }
  if (input.AppendAccessString !== undefined) {
    validAccessString(input.AppendAccessString, "AppendAccessString");
    accessString = `${accessString} ${String(input.AppendAccessString).trim()}`;
  }
  const touchesAuth =
    input.Passwords !== undefined ||
    input.NoPasswordRequired !== undefined ||
    input.AuthenticationMode !== undefined;
  const auth = touchesAuth ? authentication(input, user) : user;
  const engine = input.Engine !== undefined ? validEngine(input.Engine) : user.engine;
  if (engine === "valkey" && auth.authType === "no-password")
    throw invalidCombination("Valkey users must authenticate: give Passwords instead of NoPasswordRequired.");
  user.accessString = accessString;
  user.authType = auth.authType;
  user.passwordHashes = auth.passwordHashes;
  user.engine = engine;
  const groups = userGroupIdsOf(cloud, user.id);
  user.status = "modifying";
  cloud.save();
  const rendered = renderUser(cloud, user);
  cloud.background(
    `modifying user ${user.id}`,
    async () => {
      await pushUserGroups(cloud, groups);
      await cloud.pace();
      user.status = "active";
      cloud.event("user", user.id, "User modified");
    },
    (message) => {
      user.status = "active";
      cloud.event("user", user.id, `Failed to modify user: ${message}`);
    },
  );
  return rendered;
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  ensureDefaultUser(cloud, ctx);
  const user = getUser(cloud, ctx.input.UserId);
  if (user.id === defaultUserId) throw invalidParameter("The default user cannot be deleted.");
  requireActive(user);
  const groups = userGroupIdsOf(cloud, user.id);
  if (user.name === "default" && groups.length > 0) {
    throw fault(
      "DefaultUserAssociatedToUserGroupFault",
      `User ${user.id} is the default user of user group(s) ${groups.join(", ")}; replace it there first (ModifyUserGroup).`,
    );
  }
  user.status = "deleting";
  cloud.save();
  const rendered = renderUser(cloud, user);
  cloud.background(
    `deleting user ${user.id}`,
    async () => {
      for (const g of groups) {
        const group = cloud.state.userGroups[g];
        if (group) group.userIds = group.userIds.filter((u) => u !== user.id);
      }
      await pushUserGroups(cloud, groups);
      await cloud.pace();
      delete cloud.state.users[user.id];
      delete cloud.state.tags[user.arn];
      cloud.event("user", user.id, "User deleted");
    },
    (message) => {
      user.status = "active";
      cloud.event("user", user.id, `Failed to delete user: ${message}`);
    },
  );
  return rendered;
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  ensureDefaultUser(cloud, ctx);
  const input = ctx.input;
  let users = Object.values(cloud.state.users).sort((a, b) => a.id.localeCompare(b.id));
  if (input.UserId !== undefined) users = [getUser(cloud, input.UserId)];
  if (input.Engine !== undefined) {
    const engine = validEngine(input.Engine);
    users = users.filter((u) => u.engine === engine);
  }
  for (const f of (input.Filters as { Name?: string; Values?: string[] }[] | undefined) ?? []) {
    if (f.Name !== "user-id") throw invalidParameter(`Filter name '${f.Name}' is invalid: use user-id.`);
    const values = (f.Values ?? []).map((v) => v.toLowerCase());
    users = users.filter((u) => values.includes(u.id));
  }
  const page = paginate(users, input);
  return {
    Users: page.items.map((u) => renderUser(cloud, u)),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

export function userHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    CreateUser: async (ctx) => create(cloud, ctx),
    ModifyUser: async (ctx) => modify(cloud, ctx),
    DeleteUser: async (ctx) => remove(cloud, ctx),
    DescribeUsers: async (ctx) => describe(cloud, ctx),
  };
}
