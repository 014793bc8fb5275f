// ElastiCache RBAC access strings ("on ~app:* -@all +get +set"): Redis ACL rules with AWS's limits.
// Passwords come from the API (Passwords, NoPasswordRequired), so rules that set or clear them are
// refused, and so is `reset`; the engine itself then checks command and category names.
import { invalidParameter } from "../protocol/errors.ts";
import { aclCommandNames } from "./acl-commands.ts";

/** Rules AWS does not accept in an access string, with the reason given back to the caller. */
const refused: [RegExp, string][] = [
  [/^(>|<|#|!)/, "passwords are set with Passwords, not in the access string"],
  [/^(nopass|resetpass)$/i, "use NoPasswordRequired or Passwords instead"],
  [/^reset$/i, "reset would remove the passwords ElastiCache manages"],
];

/** Recognised rule shapes; anything else is a typo worth reporting before it reaches an engine. */
const known =
  /^(on|off|allkeys|resetkeys|allchannels|resetchannels|allcommands|nocommands|clearselectors|(%R?W?)?~\S*|&\S*|[+-]@?[\w|-]+|\(.*\))$/i;

/** The command categories of Redis 6+/Valkey (`ACL CAT`), plus `all`. */
const categories = new Set(
  "all keyspace read write set sortedset list hash string bitmap hyperloglog geo stream pubsub admin fast slow blocking dangerous connection transaction scripting".split(
    " ",
  ),
);

/** Splits an access string into rules; a selector "(...)" is one rule even with spaces inside. */
export function accessRules(accessString: string): string[] {
  const rules: string[] = [];
  let current = "";
  let depth = 0;
  for (const ch of accessString) {
    if (ch === "(") depth++;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if (/\s/.test(ch) && depth === 0) {
      if (current) rules.push(current);
      current = "";
    } else current += ch;
  }
  if (current) rules.push(current);
  return rules;
}

/** Checks an access string; returns its rules. Without `on` the user is off, as on AWS. */
export function validAccessString(value: unknown, parameter = "AccessString"): string[] {
  const text = String(value ?? "").trim();
  if (text === "") throw invalidParameter(`${parameter} must not be empty (e.g. "on ~* +@all").`);
  const rules = accessRules(text);
  for (const rule of rules) {
    for (const [pattern, why] of refused) {
      if (pattern.test(rule))
        throw invalidParameter(`${parameter} must not contain '${maskPassword(rule)}': ${why}.`);
    }
    if (!known.test(rule)) {
      throw invalidParameter(
        `${parameter} has an unknown rule '${rule}': use on/off, ~keys, &channels, +command, -command, +@category or -@category.`,
      );
    }
    const command = /^[+-]([^@][^|]*)/.exec(rule)?.[1];
    if (command !== undefined && !aclCommandNames.has(command.toLowerCase())) {
      throw invalidParameter(`${parameter} names an unknown command '${command}' in '${rule}'.`);
    }
    const category = /^[+-]@(.*)$/.exec(rule)?.[1];
    if (category !== undefined && !categories.has(category.toLowerCase())) {
      throw invalidParameter(
        `${parameter} names an unknown command category '@${category}': use one of @${[...categories].join(", @")}.`,
      );
    }
  }
  return rules;
}

/** A rule that looks like a password is not echoed back in an error. */
function maskPassword(rule: string): string {
  return /^[><#!]/.test(rule) ? `${rule[0]}...` : rule;
}
