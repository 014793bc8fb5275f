// What to do next with an ElastiCache user (pure): create it, bring its access string and
// authentication to the spec, or nothing. Passwords are compared by keyed fingerprint with what
// this object last set (status.passwordFingerprints); a changed Secret rotates in two steps,
// [old, new] then [new], so a client holding either password is never locked out mid-rotation.
import type { TokenFingerprint } from "../../planner/token-fingerprint.ts";
import type { Decision, ManagedObserved, PlanInput } from "../../runtime/kind.ts";
import type { UserSpec } from "./schema.ts";

export interface ObservedUser extends ManagedObserved {
  userName: string;
  engine: string;
  status: string;
  accessString: string;
  authenticationType: string;
  passwordCount: number;
  userGroupIDs: string[];
  minimumEngineVersion?: string;
}

/** A password to send: the current value of secret input `index`, or its previous value. */
export interface PasswordSource {
  from: "current" | "previous";
  index: number;
}

export type Authentication =
  | { type: "password"; passwords: PasswordSource[] }
  | { type: "no-password" }
  | { type: "iam" };

export type UserAction =
  | { type: "create"; authentication: Authentication }
  | { type: "modify"; accessString?: string; engine?: string; authentication?: Authentication }
  | { type: "delete" };

/** What the user's status remembers of what this object set. */
export interface UserMemory {
  passwordFingerprints?: string[];
  appliedAccessString?: string;
  /** When the previous password was sent next to the new one (ISO time): the grace runs from here. */
  passwordRotationStartedAt?: string;
}

/** AWS's password rule (CreateUser, ModifyUser). */
export function passwordProblem(value: string): string | undefined {
  if (value.length < 16 || value.length > 128) return "must be 16 to 128 characters long";
  if (!/^[\x21-\x7e]+$/.test(value)) return "must be printable ASCII without spaces";
  if (/[/"@]/.test(value)) return "must not contain '/', '\"' or '@'";
  return undefined;
}

const normal = (accessString: string) => accessString.trim().split(/\s+/).join(" ");

type Input = PlanInput<UserSpec, ObservedUser>;

export function planUser(input: Input): Decision<UserAction> {
  const { spec, observed } = input;
  const what = `user ${spec.userID}`;
  const checked = checkPasswords(input);
  if (checked !== undefined) return checked;
  if (observed === undefined) {
    return {
      type: "act",
      action: { type: "create", authentication: wantedAuthentication(input, []).auth },
      reason: "Creating",
      message: `creating ${what} (${spec.authenticationMode})`,
    };
  }
  if (observed.status !== "active")
    return {
      type: "wait",
      reason: observed.status === "creating" ? "Creating" : "Modifying",
      message: `AWS reports ${what} as ${observed.status}; waiting for active`,
    };
  if (observed.userName !== spec.userName)
    return {
      type: "invalid",
      reason: "ImmutableFieldChanged",
      message: `${what} has userName ${observed.userName} in AWS; userName cannot change: set userName back, or create a new ElastiCacheUser with another userID`,
    };

  const modify: Extract<UserAction, { type: "modify" }> = { type: "modify" };
  const changes: string[] = [];
  const memory = input.status as UserMemory;
  if (
    normal(observed.accessString) !== normal(spec.accessString) &&
    memory.appliedAccessString !== spec.accessString
  ) {
    modify.accessString = spec.accessString;
    changes.push("access string");
  }
  if (observed.engine !== spec.engine) {
    modify.engine = spec.engine;
    changes.push(`engine ${observed.engine} -> ${spec.engine}`);
  }
  const auth = authenticationChange(input, observed, memory);
  if (auth !== undefined && "auth" in auth) {
    modify.authentication = auth.auth;
    changes.push(auth.message);
  }
  if (changes.length > 0)
    return { type: "act", action: modify, reason: "Modifying", message: `${what}: ${changes.join(", ")}` };
  if (auth !== undefined && "holdMs" in auth)
    return {
      type: "wait",
      reason: "RotatingPassword",
      message: `${what}: ${auth.message}`,
      afterMs: auth.holdMs,
    };
  return { type: "ready", message: `${what} is active as the spec asks` };
}

/** How long the previous password still stays next to the new one (0: its grace is over). */
function graceLeftMs(input: Input, memory: UserMemory): number {
  const started = Date.parse(memory.passwordRotationStartedAt ?? "");
  if (Number.isNaN(started) || input.now === undefined) return 0;
  return Math.max(0, started + input.spec.passwordRotationGraceSeconds * 1000 - input.now);
}

/** A password that AWS would refuse, or no fingerprint key: say so (never the value). */
function checkPasswords(input: Input): Decision<UserAction> | undefined {
  if (input.spec.authenticationMode !== "password") return undefined;
  const refs = input.spec.passwordSecretRefs ?? [];
  for (const [i, ref] of refs.entries()) {
    const problem = passwordProblem(input.secrets[i] ?? "");
    if (problem !== undefined)
      return {
        type: "invalid",
        reason: "InvalidPassword",
        message: `the password in Secret ${ref.name} key ${ref.key} (spec.passwordSecretRefs[${i}]) ${problem} (AWS rule): change the Secret`,
      };
  }
  if (input.fingerprint === undefined)
    return {
      type: "invalid",
      reason: "FingerprintKeyUnavailable",
      message:
        "passwords need the operator's fingerprint key to be remembered without being stored; none is configured here",
    };
  return undefined;
}

/** What the spec asks for, keeping old passwords `keep` (fingerprints) whose values are known. */
function wantedAuthentication(input: Input, keep: string[]): { auth: Authentication; kept: number } {
  const mode = input.spec.authenticationMode;
  if (mode === "no-password") return { auth: { type: "no-password" }, kept: 0 };
  if (mode === "iam") return { auth: { type: "iam" }, kept: 0 };
  const fp = input.fingerprint as TokenFingerprint;
  const current: PasswordSource[] = input.secrets.map((_, index) => ({ from: "current", index }));
  const previous: PasswordSource[] = [];
  const known = new Set(input.secrets.map(fp));
  for (const [index, value] of (input.previousSecrets ?? []).entries()) {
    if (value === undefined || previous.length + current.length >= 2) continue;
    const f = fp(value);
    if (keep.includes(f) && !known.has(f)) {
      previous.push({ from: "previous", index });
      known.add(f);
    }
  }
  return { auth: { type: "password", passwords: [...previous, ...current] }, kept: previous.length };
}

function authenticationChange(
  input: Input,
  observed: ObservedUser,
  memory: UserMemory,
): { auth: Authentication; message: string } | { holdMs: number; message: string } | undefined {
  const mode = input.spec.authenticationMode;
  if (mode !== "password") {
    if (observed.authenticationType === mode) return undefined;
    return { auth: wantedAuthentication(input, []).auth, message: `authentication -> ${mode}` };
  }
  if (observed.authenticationType !== "password")
    return {
      auth: wantedAuthentication(input, []).auth,
      message: `authentication ${observed.authenticationType} -> password`,
    };
  const fp = input.fingerprint as TokenFingerprint;
  const wanted = [...new Set(input.secrets.map(fp))];
  const applied = memory.passwordFingerprints;
  if (applied === undefined)
    return {
      auth: wantedAuthentication(input, []).auth,
      message: "setting the passwords of the Secrets (what AWS holds was not set by this object)",
    };
  const same = wanted.length === applied.length && wanted.every((f) => applied.includes(f));
  if (same && observed.passwordCount === applied.length) return undefined;
  const added = wanted.filter((f) => !applied.includes(f));
  const left = graceLeftMs(input, memory);
  if (added.length === 0 && !same && left > 0)
    return {
      holdMs: left,
      message: `password rotation: both passwords work; the previous one is removed in ${Math.ceil(left / 1000)} s (spec.passwordRotationGraceSeconds ${input.spec.passwordRotationGraceSeconds}): switch clients to the new one`,
    };
  if (added.length === 0)
    return {
      auth: wantedAuthentication(input, []).auth,
      message: same
        ? "setting the passwords of the Secrets again (AWS holds another number of passwords)"
        : "password rotation: removing the previous password",
    };
  const { auth, kept } = wantedAuthentication(input, applied);
  if (kept > 0)
    return { auth, message: "password rotation: adding the new password next to the previous one" };
  return {
    auth,
    message:
      wanted.length === 2
        ? "setting the two passwords of the Secrets"
        : "setting the new password (the previous one is not known to this operator process, e.g. the Secret changed while it was not running: it is refused from now on)",
  };
}

/** The fingerprints of the passwords an action sends (what status remembers). */
export function sentFingerprints(
  auth: Authentication | undefined,
  input: Pick<Input, "secrets" | "previousSecrets" | "fingerprint">,
): string[] | undefined {
  if (auth === undefined) return undefined;
  if (auth.type !== "password") return [];
  const fp = input.fingerprint as TokenFingerprint;
  return [...new Set(passwordValues(auth, input).map(fp))];
}

/** The password values of an authentication, from the Secrets' current and previous values. */
export function passwordValues(
  auth: Extract<Authentication, { type: "password" }>,
  input: Pick<Input, "secrets" | "previousSecrets">,
): string[] {
  return [
    ...new Set(
      auth.passwords.map((s) =>
        s.from === "current" ? (input.secrets[s.index] ?? "") : (input.previousSecrets?.[s.index] ?? ""),
      ),
    ),
  ];
}
