import { nameProblem, namespaceProblem } from "../api/object-names.ts";
import { UserError } from "../standalone/user-error.ts";

// Flags shared by the standalone commands (apply, plan, get, describe, delete).
export const stateDirOption = { "state-dir": { type: "string" as const } };

/** `--wait=false` / `--wait=true` / `--wait`: parseArgs has no boolean with a value, so read it here. */
export function takeWaitFlag(argv: string[]): { wait: boolean; rest: string[] } {
  let wait = true;
  const rest: string[] = [];
  for (const arg of argv) {
    const m = /^--wait(?:=(true|false))?$/.exec(arg);
    if (m) wait = m[1] !== "false";
    else if (arg === "--no-wait") wait = false;
    else rest.push(arg);
  }
  return { wait, rest };
}

/**
 * "NAME" or "NAMESPACE/NAME" (namespace "default" when not given); a UserError when either is not
 * a name Kubernetes would accept.
 */
export function splitName(arg: string, defaultNamespace = "default"): { namespace: string; name: string } {
  const i = arg.indexOf("/");
  const namespace = i >= 0 ? arg.slice(0, i) : defaultNamespace;
  const name = i >= 0 ? arg.slice(i + 1) : arg;
  const rule = namespaceProblem(namespace) ?? nameProblem(name);
  if (rule !== undefined) throw new UserError(`${JSON.stringify(arg)}: ${rule.replace(/^metadata\./, "")}`);
  return { namespace, name };
}
