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

/** "NAME" or "NAMESPACE/NAME" (namespace "default" when not given). */
export function splitName(arg: string, namespace = "default"): { namespace: string; name: string } {
  const i = arg.indexOf("/");
  return i > 0 ? { namespace: arg.slice(0, i), name: arg.slice(i + 1) } : { namespace, name: arg };
}
