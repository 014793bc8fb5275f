// ElastiCacheUser and ElastiCacheUserGroup end to end, on the real control plane and the local
// cloud's real engines: a password user (from a Secret) and a no-password default user in a user
// group (one member by ElastiCacheUser reference, one by user ID), attached through userGroupIDs to
// a TLS replication group, reached with redis-cli over TLS: the access string's keys and commands
// are enforced (NOPERM outside them). A changed Secret rotates the password with both passwords
// working for passwordRotationGraceSeconds, sampled every few tens of milliseconds: at no sample
// does neither work. The
// deletion of a user still in a group, and of a group still used by a cluster, is held (InUse);
// each deletion policy is carried out in AWS; no password shows up in the log, Events or status.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { DescribeUserGroupsCommand, DescribeUsersCommand } from "@aws-sdk/client-elasticache";
import { userInvalidRows } from "../../../src/kinds/user/invalid-cases.ts";
import { userGroupInvalidRows } from "../../../src/kinds/user-group/invalid-cases.ts";
import { type Endpoint, redisAuth } from "../../support/endpoints.ts";
import {
  familyObject,
  OWNER_TAG,
  RETAINED_TAG,
  unlessNotFound,
  waitObjCondition,
  waitObjGone,
  waitObjReady,
} from "../../support/family.ts";
import { kubectl, kubectlOk } from "../../support/kubectl.ts";
import { awsReplicationGroup, awsTags } from "../../support/localcloud.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  CLUSTERS,
  clusterObject,
  createSecret,
  eventsFor,
  getObj,
  type OperatorEnv,
  startOperatorEnv,
  waitClusterReady,
  waitGone,
} from "../../support/operator-env.ts";
import { secretLeaks } from "../../support/secret-leaks.ts";
import { waitFor } from "../../support/wait.ts";

const USERS = "elasticacheuser";
const GROUPS = "elasticacheusergroup";

// Test-only passwords (AWS's rule: 16 to 128 printable characters).
const OLD = "app-password-old-5c1f9e2a77";
const NEW = "app-password-new-8d03b6e4c1";
const OTHER = "keeper-password-31aa04bd9e";

let env: OperatorEnv;
let primary: Endpoint;
/** The objects' statuses as seen along the way (checked for passwords at the end). */
const statusTexts: string[] = [];

async function recordStatuses(): Promise<void> {
  statusTexts.push(
    await kubectlOk(["get", `${USERS},${GROUPS},${CLUSTERS}`, "-n", env.namespace, "-o", "json"]),
  );
}

before(async () => {
  env = await startOperatorEnv({
    providers: [{ name: "localstack" }],
    secrets: { "app-password": { password: OLD }, "keeper-password": { password: OTHER } },
  });
});

after(async () => {
  await env?.stop();
});

async function awsUser(id: string) {
  return unlessNotFound("UserNotFoundFault", async () => {
    return (await env.cloud.aws.send(new DescribeUsersCommand({ UserId: id }))).Users?.[0];
  });
}

async function awsUserGroup(id: string) {
  return unlessNotFound("UserGroupNotFoundFault", async () => {
    return (await env.cloud.aws.send(new DescribeUserGroupsCommand({ UserGroupId: id }))).UserGroups?.[0];
  });
}

function user(name: string, spec: Record<string, unknown> = {}) {
  return familyObject("ElastiCacheUser", name, {
    userID: name,
    userName: name,
    engine: "redis",
    accessString: "on ~app:* +get +set",
    ...spec,
  });
}

function userGroup(name: string, spec: Record<string, unknown>) {
  return familyObject("ElastiCacheUserGroup", name, { userGroupID: name, engine: "redis", ...spec });
}

/** redis-cli over TLS with the local cloud's CA, as `login` (password in REDISCLI_AUTH, never argv). */
function cli(login: { user: string; password?: string } | undefined, args: string[]): string {
  const r = spawnSync(
    "redis-cli",
    [
      "-h",
      primary.address,
      "-p",
      String(primary.port),
      "--tls",
      "--cacert",
      env.cloud.caFile,
      ...(login ? ["--user", login.user] : []),
      "--no-auth-warning",
      ...args,
    ],
    {
      encoding: "utf8",
      timeout: 15_000,
      env: { ...process.env, ...(login?.password ? { REDISCLI_AUTH: login.password } : {}) },
    },
  );
  if (r.error) throw new Error(`redis-cli could not run: ${r.error.message}`);
  return `${r.stdout}${r.stderr}`.trim();
}

const authOk = async (password: string) =>
  (await redisAuth(primary, "app", password, { caFile: env.cloud.caFile })) === "+OK";

test("a password user and a no-password default user in a user group admit redis-cli over TLS as the access strings say", async () => {
  const ns = env.namespace;
  // The group's default user (AWS requires one): no password, read-only on public:* keys.
  await applyObject(
    ns,
    user("app-default", {
      userName: "default",
      accessString: "on ~public:* +get",
      authenticationMode: "no-password",
    }),
  );
  await applyObject(
    ns,
    user("app", {
      passwordSecretRefs: [{ name: "app-password", key: "password" }],
      // A short grace for the rotation test (the default is 60 s).
      passwordRotationGraceSeconds: 6,
    }),
  );
  // One member by user ID (an object of that userID is waited for), one by ElastiCacheUser object.
  await applyObject(ns, userGroup("app-users", { userIDs: ["app-default"], userRefs: [{ name: "app" }] }));
  await applyObject(
    ns,
    clusterObject("rbac", {
      clusterID: "rbac",
      engine: "redis",
      engineVersion: "7.0",
      nodeType: "cache.t3.micro",
      replicationGroupDescription: "users e2e",
      replicasPerNodeGroup: 1,
      transitEncryptionEnabled: true,
      userGroupIDs: ["app-users"],
    }),
  );
  const ready = await waitClusterReady(ns, "rbac", 240_000);
  const e = ready.status?.primaryEndpoint;
  assert.ok(e, "the cluster's primary endpoint");
  primary = e;
  assert.deepEqual((await awsReplicationGroup(env.cloud.aws, "rbac"))?.UserGroupIds, ["app-users"]);

  const app = await waitObjReady(ns, USERS, "app");
  assert.equal(app.status?.authenticationType, "password");
  assert.equal(app.status?.passwordCount, 1);
  assert.match(String((app.status?.passwordFingerprints as string[])?.[0]), /^hmac-sha256:/);
  const group = await waitFor(
    "the user group Ready and used by rbac",
    () => getObj(ns, GROUPS, "app-users"),
    (o) => o.status?.ready === true && ((o.status?.replicationGroups as string[]) ?? []).includes("rbac"),
    120_000,
  );
  assert.deepEqual(group.status?.userIDs, ["app", "app-default"]);
  const inAws = await awsUser("app");
  assert.equal(inAws?.AccessString, "on ~app:* +get +set");
  assert.deepEqual(inAws?.UserGroupIds, ["app-users"]);
  assert.deepEqual(inAws?.Authentication, { Type: "password", PasswordCount: 1 });
  assert.equal((await awsTags(env.cloud.aws, inAws?.ARN ?? ""))[OWNER_TAG], `${ns}/app`);
  assert.equal((await awsUserGroup("app-users"))?.Status, "active");

  const login = { user: "app", password: OLD };
  assert.equal(cli(login, ["SET", "app:x", "hello"]), "OK");
  assert.equal(cli(login, ["GET", "app:x"]), "hello");
  // Keys outside ~app:* and commands outside +get +set are refused.
  assert.match(cli(login, ["GET", "other"]), /NOPERM/);
  assert.match(cli(login, ["DEL", "app:x"]), /NOPERM/);
  assert.match(cli({ user: "app", password: "wrong-password-0123456789" }, ["GET", "app:x"]), /WRONGPASS/);
  // The default user: no password, GET on public:* only.
  assert.match(cli(undefined, ["GET", "public:x"]), /^$|nil/);
  assert.match(cli(undefined, ["GET", "app:x"]), /NOPERM/);
  assert.match(cli(undefined, ["SET", "public:x", "1"]), /NOPERM/);
  await recordStatuses();
});

test("a changed Secret rotates the password: old and new both work for the grace, never neither", async () => {
  const ns = env.namespace;
  assert.ok(primary, "the first test made the cluster");
  const samples: { at: number; old: boolean; new: boolean }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const [o, n] = await Promise.all([authOk(OLD), authOk(NEW)]);
      samples.push({ at: Date.now(), old: o, new: n });
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  try {
    await createSecret(ns, "app-password", { password: NEW });
    // The grace: AWS holds both, the object says so and waits before removing the old one.
    const holding = await waitObjCondition(
      ns,
      USERS,
      "app",
      "Ready",
      (c) => c.reason === "RotatingPassword",
      120_000,
    );
    assert.match(JSON.stringify(holding.status?.conditions), /passwordRotationGraceSeconds 6/);
    assert.equal(holding.status?.passwordCount, 2);
    assert.ok(holding.status?.passwordRotationStartedAt, "the rotation's start in status");
    await waitFor(
      "the old password refused and the new one accepted",
      async () => samples.at(-1),
      (s) => s?.new === true && !s.old,
      120_000,
      100,
    );
    // A few more samples after the end state, to see it hold.
    const seen = samples.length;
    await waitFor(
      "more samples",
      async () => samples.length,
      (n) => n >= seen + 5,
      30_000,
      50,
    );
  } finally {
    sampling = false;
    await sampler;
  }
  const neither = samples.filter((s) => !s.old && !s.new);
  assert.equal(neither.length, 0, `${neither.length} of ${samples.length} samples admitted neither password`);
  const both = samples.filter((s) => s.old && s.new);
  // With a 6 s grace, sampled every ~25 ms: far more than a couple of dual samples.
  assert.ok(
    both.length >= 2,
    `the dual-password state was seen in ${both.length} of ${samples.length} samples`,
  );
  const firstNew = samples.findIndex((s) => s.new);
  assert.ok(
    samples.slice(firstNew).every((s) => s.new),
    "the new password was refused again after it had been accepted",
  );
  const window = (both.at(-1)?.at ?? 0) - (both[0]?.at ?? 0);
  console.log(
    `# rotation: ${samples.length} samples, ${both.length} with both passwords over ${window} ms (first to last dual sample)`,
  );

  const rotated = await waitObjReady(ns, USERS, "app");
  await recordStatuses();
  assert.equal(rotated.status?.passwordCount, 1);
  assert.equal((rotated.status?.passwordFingerprints as string[] | undefined)?.length, 1);
  assert.equal(rotated.status?.passwordRotationStartedAt, undefined, "the rotation is over");
  const events = await eventsFor(ns, "app");
  assert.ok(
    events.some((e) => /adding the new password next to the previous one/.test(e.message)),
    JSON.stringify(events),
  );
  assert.ok(
    events.some((e) => /removing the previous password/.test(e.message)),
    JSON.stringify(events),
  );
  assert.equal(cli({ user: "app", password: NEW }, ["GET", "app:x"]), "hello");
  assert.match(cli({ user: "app", password: OLD }, ["GET", "app:x"]), /WRONGPASS/);
});

test("deleting a user still in a group, or a group still used by a cluster, is held until free", async () => {
  const ns = env.namespace;
  await kubectlOk(["delete", USERS, "app", "-n", ns, "--wait=false"]);
  const userHeld = await waitObjCondition(ns, USERS, "app", "Ready", (c) => c.reason === "InUse");
  assert.match(JSON.stringify(userHeld.status?.conditions), /ElastiCacheUserGroup app-users/);
  await kubectlOk(["delete", GROUPS, "app-users", "-n", ns, "--wait=false"]);
  const groupHeld = await waitObjCondition(ns, GROUPS, "app-users", "Ready", (c) => c.reason === "InUse");
  assert.match(JSON.stringify(groupHeld.status?.conditions), /ElastiCacheCluster rbac/);
  assert.ok(await awsUser("app"), "the user stays in AWS while the group holds it");
  assert.ok(await awsUserGroup("app-users"), "the group stays in AWS while the cluster uses it");
  // Still working while held.
  assert.equal(cli({ user: "app", password: NEW }, ["GET", "app:x"]), "hello");

  await kubectlOk(["delete", CLUSTERS, "rbac", "-n", ns, "--wait=false"]);
  await waitGone(ns, "rbac", 240_000);
  await waitObjGone(ns, GROUPS, "app-users", 120_000);
  await waitObjGone(ns, USERS, "app", 120_000);
  await waitFor(
    "user app gone from AWS",
    () => awsUser("app"),
    (u) => u === undefined,
    60_000,
  );
  assert.equal(await awsUserGroup("app-users"), undefined);
  await kubectlOk(["delete", USERS, "app-default", "-n", ns]);
  await waitFor(
    "user app-default gone from AWS",
    () => awsUser("app-default"),
    (u) => u === undefined,
    60_000,
  );
});

test("deletion policies of users and user groups: Delete removes, Retain marks, Orphan untags", async () => {
  const ns = env.namespace;
  for (const policy of ["Retain", "Orphan"]) {
    const name = `keep-${policy.toLowerCase()}`;
    await applyObject(
      ns,
      user(name, {
        deletionPolicy: policy,
        passwordSecretRefs: [{ name: "keeper-password", key: "password" }],
      }),
    );
    await applyObject(ns, userGroup(`${name}-group`, { deletionPolicy: policy, userIDs: ["default", name] }));
    const u = await waitObjReady(ns, USERS, name);
    const g = await waitObjReady(ns, GROUPS, `${name}-group`, 120_000);
    // The group first (the user's deletion is held while the group names it).
    await kubectlOk(["delete", GROUPS, `${name}-group`, "-n", ns]);
    await kubectlOk(["delete", USERS, name, "-n", ns]);
    const leftUser = await awsUser(name);
    const leftGroup = await awsUserGroup(`${name}-group`);
    assert.ok(leftUser, `${policy}: the user stays in AWS`);
    assert.ok(leftGroup, `${policy}: the user group stays in AWS`);
    assert.deepEqual(leftGroup?.UserIds?.slice().sort(), ["default", name]);
    const userTags = await awsTags(env.cloud.aws, leftUser?.ARN ?? "");
    const groupTags = await awsTags(env.cloud.aws, leftGroup?.ARN ?? "");
    if (policy === "Retain") {
      assert.equal(userTags[RETAINED_TAG], u.metadata.uid);
      assert.equal(groupTags[RETAINED_TAG], g.metadata.uid);
    } else {
      assert.equal(userTags[OWNER_TAG], undefined);
      assert.equal(groupTags[OWNER_TAG], undefined);
    }
  }
  // The retained ones are taken over by new objects of their names; Delete then removes them.
  await applyObject(
    ns,
    user("keep-retain", { passwordSecretRefs: [{ name: "keeper-password", key: "password" }] }),
  );
  await applyObject(ns, userGroup("keep-retain-group", { userIDs: ["default", "keep-retain"] }));
  await waitObjReady(ns, USERS, "keep-retain");
  await waitObjReady(ns, GROUPS, "keep-retain-group", 120_000);
  await kubectlOk(["delete", GROUPS, "keep-retain-group", "-n", ns]);
  await waitFor(
    "user group keep-retain-group gone from AWS",
    () => awsUserGroup("keep-retain-group"),
    (x) => x === undefined,
    60_000,
  );
  await kubectlOk(["delete", USERS, "keep-retain", "-n", ns]);
  await waitFor(
    "user keep-retain gone from AWS",
    () => awsUser("keep-retain"),
    (x) => x === undefined,
    60_000,
  );
  // The orphaned ones are foreign now: a new object of the name is refused.
  await applyObject(
    ns,
    user("keep-orphan", { passwordSecretRefs: [{ name: "keeper-password", key: "password" }] }),
  );
  const refused = await waitObjCondition(ns, USERS, "keep-orphan", "Synced", (c) => c.reason === "NotOwned");
  assert.match(JSON.stringify(refused.status?.conditions), /adopt/);
  await kubectlOk(["delete", USERS, "keep-orphan", "-n", ns]);
  assert.ok(await awsUser("keep-orphan"), "a refused object does not delete what it does not own");
});

test("invalid input is refused by the API server with the field named; no password leaked", async () => {
  const ns = env.namespace;
  for (const [caseName, manifest, field, message] of [...userInvalidRows, ...userGroupInvalidRows]) {
    const out = await kubectl(["apply", "-n", ns, "-f", "-"], {
      input: JSON.stringify({ ...manifest, metadata: { ...(manifest.metadata as object), namespace: ns } }),
    });
    assert.notEqual(out.code, 0, `${caseName}: accepted`);
    assert.ok(out.stderr.includes(field), `${caseName}: ${out.stderr}`);
    assert.ok(out.stderr.includes(message), `${caseName}: ${out.stderr}`);
  }
  await assertNoSecretsLeaked(env, [OLD, NEW, OTHER]);
  await recordStatuses();
  const places = statusTexts.map((text, i): [string, string] => [`statuses #${i + 1}`, text]);
  assert.deepEqual(secretLeaks(places, [OLD, NEW, OTHER]), []);
});
