// The user planner: create, modes, access string, and the two-step password rotation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { keyedFingerprint } from "../../planner/token-fingerprint.ts";
import type { PlanInput } from "../../runtime/kind.ts";
import { userKind } from "./index.ts";
import { type ObservedUser, planUser, sentFingerprints, type UserAction } from "./plan.ts";
import type { UserSpec } from "./schema.ts";

const fp = keyedFingerprint(Buffer.alloc(32, 7));
const OLD = "old-password-0123456789";
const NEW = "new-password-0123456789";

const spec = (extra: Partial<UserSpec> = {}): UserSpec => ({
  providerRef: { name: "p" },
  deletionPolicy: "Delete",
  userID: "app",
  userName: "app",
  engine: "redis",
  accessString: "on ~app:* +get +set",
  authenticationMode: "password",
  passwordSecretRefs: [{ name: "app-password", key: "password" }],
  passwordRotationGraceSeconds: 60,
  ...extra,
});

const observed = (extra: Partial<ObservedUser> = {}): ObservedUser => ({
  arn: "arn:aws:elasticache:us-east-1:000000000000:user:app",
  tags: {},
  userName: "app",
  engine: "redis",
  status: "active",
  accessString: "on ~app:* +get +set",
  authenticationType: "password",
  passwordCount: 1,
  userGroupIDs: [],
  ...extra,
});

function input(over: Partial<PlanInput<UserSpec, ObservedUser>> = {}): PlanInput<UserSpec, ObservedUser> {
  return {
    spec: spec(),
    observed: observed(),
    owner: { namespace: "ns", name: "app", uid: "uid-1" },
    tags: {},
    secrets: [NEW],
    previousSecrets: [undefined],
    fingerprint: fp,
    resolved: [],
    status: { passwordFingerprints: [fp(NEW)], appliedAccessString: "on ~app:* +get +set" },
    ...over,
  };
}

function action(i: PlanInput<UserSpec, ObservedUser>): UserAction {
  const d = planUser(i);
  assert.equal(d.type, "act", JSON.stringify(d));
  return (d as { action: UserAction }).action;
}

test("in sync: ready", () => {
  assert.equal(planUser(input()).type, "ready");
});

test("create sends the Secret's password and remembers only its fingerprint", () => {
  const i = input({ observed: undefined, status: {} });
  const a = action(i);
  assert.deepEqual(a, {
    type: "create",
    authentication: { type: "password", passwords: [{ from: "current", index: 0 }] },
  });
  const sent = sentFingerprints(a.type === "create" ? a.authentication : undefined, i);
  assert.deepEqual(sent, [fp(NEW)]);
  assert.ok(!JSON.stringify(sent).includes(NEW));
});

test("a changed Secret rotates: [old, new] first, then [new] once AWS applied it", () => {
  const first = input({
    secrets: [NEW],
    previousSecrets: [OLD],
    status: { passwordFingerprints: [fp(OLD)], appliedAccessString: spec().accessString },
  });
  const a = action(first);
  assert.deepEqual(a, {
    type: "modify",
    authentication: {
      type: "password",
      passwords: [
        { from: "previous", index: 0 },
        { from: "current", index: 0 },
      ],
    },
  });
  assert.match((planUser(first) as { message: string }).message, /next to the previous one/);
  const both = a.type === "modify" ? sentFingerprints(a.authentication, first) : undefined;
  assert.deepEqual(both, [fp(OLD), fp(NEW)]);

  // AWS still modifying: wait.
  assert.equal(planUser({ ...first, observed: observed({ status: "modifying" }) }).type, "wait");

  // Applied: both set; the old one is removed.
  const second = input({
    previousSecrets: [OLD],
    observed: observed({ passwordCount: 2 }),
    status: { passwordFingerprints: both, appliedAccessString: spec().accessString },
  });
  const b = action(second);
  assert.deepEqual(b, {
    type: "modify",
    authentication: { type: "password", passwords: [{ from: "current", index: 0 }] },
  });
  assert.match((planUser(second) as { message: string }).message, /removing the previous password/);
});

test("a Secret changed again mid-rotation keeps the newest previous value, not the oldest", () => {
  const NEWER = "newer-password-012345678";
  const a = action(
    input({
      secrets: [NEWER],
      previousSecrets: [NEW],
      observed: observed({ passwordCount: 2 }),
      status: { passwordFingerprints: [fp(OLD), fp(NEW)] },
    }),
  );
  assert.ok(a.type === "modify" && a.authentication?.type === "password");
  assert.deepEqual(a.authentication.passwords, [
    { from: "previous", index: 0 },
    { from: "current", index: 0 },
  ]);
});

test("the previous password unknown (operator restarted after the change): the new one alone", () => {
  const i = input({ previousSecrets: [undefined], status: { passwordFingerprints: [fp(OLD)] } });
  const a = action(i);
  assert.ok(a.type === "modify" && a.authentication?.type === "password");
  assert.deepEqual(a.authentication.passwords, [{ from: "current", index: 0 }]);
  assert.match((planUser(i) as { message: string }).message, /not known to this operator process/);
});

test("two Secret refs are set as given (the user runs the overlap)", () => {
  const a = action(
    input({
      spec: spec({
        passwordSecretRefs: [
          { name: "a", key: "p" },
          { name: "b", key: "p" },
        ],
      }),
      secrets: [OLD, NEW],
      previousSecrets: [undefined, undefined],
      status: { passwordFingerprints: [fp(OLD)] },
    }),
  );
  assert.ok(a.type === "modify" && a.authentication?.type === "password");
  assert.equal(a.authentication.passwords.length, 2);
});

test("no-password and iam modes; switching modes", () => {
  const noPass = spec({ authenticationMode: "no-password", passwordSecretRefs: undefined });
  assert.deepEqual(action(input({ spec: noPass, secrets: [], observed: undefined })), {
    type: "create",
    authentication: { type: "no-password" },
  });
  assert.equal(
    planUser(input({ spec: noPass, secrets: [], observed: observed({ authenticationType: "no-password" }) }))
      .type,
    "ready",
  );
  const iam = spec({ authenticationMode: "iam", passwordSecretRefs: undefined });
  assert.deepEqual(action(input({ spec: iam, secrets: [] })), {
    type: "modify",
    authentication: { type: "iam" },
  });
  // From no-password to password: the Secret's password.
  const a = action(input({ observed: observed({ authenticationType: "no-password", passwordCount: 0 }) }));
  assert.ok(a.type === "modify" && a.authentication?.type === "password");
});

test("the access string is modified when it differs, but not again once this object set it", () => {
  const changed = spec({ accessString: "on ~app:* +get" });
  assert.deepEqual(action(input({ spec: changed })), { type: "modify", accessString: "on ~app:* +get" });
  // AWS may render it its own way: what this object set last is in sync.
  assert.equal(
    planUser(
      input({
        spec: changed,
        observed: observed({ accessString: "on ~app:* resetchannels -@all +get" }),
        status: { passwordFingerprints: [fp(NEW)], appliedAccessString: "on ~app:* +get" },
      }),
    ).type,
    "ready",
  );
  // Whitespace alone is no difference.
  assert.equal(planUser(input({ spec: spec({ accessString: " on  ~app:* +get +set " }) })).type, "ready");
});

test("an adopted user (no fingerprints in status) gets the Secret's password", () => {
  const a = action(input({ status: {} }));
  assert.ok(a.type === "modify" && a.authentication?.type === "password");
});

test("a password AWS would refuse is reported without its value", () => {
  const d = planUser(input({ secrets: ["short"] }));
  assert.equal(d.type, "invalid");
  assert.match((d as { message: string }).message, /app-password key password .*16 to 128/);
  assert.ok(!(d as { message: string }).message.includes("short"));
});

test("without the fingerprint key a password user cannot be planned", () => {
  const d = planUser(input({ fingerprint: undefined }));
  assert.equal(d.type, "invalid");
});

test("a user of another userName in AWS is refused", () => {
  assert.equal(planUser(input({ observed: observed({ userName: "other" }) })).type, "invalid");
});

test("a rotation keeps both passwords for passwordRotationGraceSeconds from when the pair was sent", () => {
  const started = Date.parse("2026-12-04T12:00:00Z");
  const pair = input({
    previousSecrets: [OLD],
    observed: observed({ passwordCount: 2 }),
    status: {
      passwordFingerprints: [fp(OLD), fp(NEW)],
      appliedAccessString: spec().accessString,
      passwordRotationStartedAt: new Date(started).toISOString(),
    },
  });
  const held = planUser({ ...pair, now: started + 20_000 });
  assert.equal(held.type, "wait", JSON.stringify(held));
  assert.equal((held as { afterMs?: number }).afterMs, 40_000, "looks again when the grace ends");
  assert.match((held as { message: string }).message, /removed in 40 s .*passwordRotationGraceSeconds 60/);
  // Over: the previous one goes.
  const b = action({ ...pair, now: started + 60_000 });
  assert.deepEqual(b, {
    type: "modify",
    authentication: { type: "password", passwords: [{ from: "current", index: 0 }] },
  });
  // Grace 0: at once.
  assert.equal(
    planUser({ ...pair, spec: spec({ passwordRotationGraceSeconds: 0 }), now: started }).type,
    "act",
  );
  // An access string change is not held by the grace (the passwords stay as they are).
  const both = action({ ...pair, spec: spec({ accessString: "on ~app:* +get" }), now: started + 1_000 });
  assert.deepEqual(both, { type: "modify", accessString: "on ~app:* +get" });
});

test("the grace starts when the pair is sent and ends with the next authentication sent", () => {
  const now = Date.parse("2026-12-04T12:00:00Z");
  const i = { ...input({ previousSecrets: [OLD] }), now };
  const pair = userKind.remember?.(
    {
      type: "modify",
      authentication: {
        type: "password",
        passwords: [
          { from: "previous", index: 0 },
          { from: "current", index: 0 },
        ],
      },
    },
    i,
  );
  assert.equal(pair?.passwordRotationStartedAt, "2026-12-04T12:00:00.000Z");
  assert.deepEqual(pair?.passwordFingerprints, [fp(OLD), fp(NEW)]);
  const single = userKind.remember?.(
    { type: "modify", authentication: { type: "password", passwords: [{ from: "current", index: 0 }] } },
    i,
  );
  assert.ok(
    single && "passwordRotationStartedAt" in single && single.passwordRotationStartedAt === undefined,
  );
  // An access string change alone leaves the rotation's memory as it is.
  assert.ok(
    !("passwordRotationStartedAt" in (userKind.remember?.({ type: "modify", accessString: "on" }, i) ?? {})),
  );
});
