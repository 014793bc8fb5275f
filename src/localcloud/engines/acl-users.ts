// The customers' ACL users on a Redis/Valkey node (ElastiCache RBAC): the users of the user groups
// attached to the node's replication group or serverless cache. A user named `default` among them
// replaces the engine's default user; without any (no RBAC) the default user is the AUTH-token user.
// Rules carry passwords as `#<sha256>` only, so neither the config file nor node.json holds a password.
import { defaultUserRules, quoteConfigArg } from "./redis-config.ts";
import { type RespConnection, RespReplyError } from "./resp.ts";

export interface AclUser {
  /** The engine login name (ElastiCache's UserName). */
  name: string;
  /** ACL rules after `reset`: on/off, key/channel patterns, commands, and `#<sha256>` or `nopass`. */
  rules: string[];
}

/** `user` lines of redis.conf: the RBAC users, or the AUTH-token default user when there are none. */
export function aclUserConfigLines(users: readonly AclUser[] | undefined, passwordRules: string[]): string[] {
  if (users === undefined || users.length === 0)
    return [`user default ${defaultUserRules(passwordRules).join(" ")}`];
  return users.map((u) => `user ${quoteConfigArg(u.name)} ${u.rules.map(quoteConfigArg).join(" ")}`);
}

function check(reply: unknown, what: string): void {
  if (reply instanceof RespReplyError) throw new Error(`${what} failed: ${reply.message}`);
}

/**
 * Makes a running node's ACL users exactly `users` (plus the host's own user, never touched):
 * users are reset and redefined, users no longer wanted are deleted (the engine disconnects their
 * clients), and without RBAC users the default user goes back to the AUTH-token rules.
 */
export async function applyAclUsers(
  connection: RespConnection,
  users: readonly AclUser[] | undefined,
  passwordRules: string[],
  adminUser: string,
): Promise<void> {
  const wanted =
    users && users.length > 0 ? users : [{ name: "default", rules: defaultUserRules(passwordRules) }];
  for (const u of wanted) {
    check(await connection.send(["ACL", "SETUSER", u.name, "reset", ...u.rules]), `ACL SETUSER ${u.name}`);
  }
  const existing = await connection.command(["ACL", "USERS"]);
  if (!Array.isArray(existing)) throw new Error(`ACL USERS answered ${JSON.stringify(existing)}`);
  const names = new Set(wanted.map((u) => u.name));
  for (const name of existing) {
    if (typeof name !== "string" || name === adminUser || name === "default" || names.has(name)) continue;
    check(await connection.send(["ACL", "DELUSER", name]), `ACL DELUSER ${name}`);
  }
}
