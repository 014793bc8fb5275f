// ElastiCacheServerlessCache end to end, on the real control plane and the local cloud's real
// engines: a Redis serverless cache naming a user group object waits for it, becomes Ready with its
// endpoints, writes its connection Secret (owned by it), and answers redis-cli --tls PING at the
// Secret's host and port; a modify (description, usage limits) reaches AWS and the engine; the user
// group's deletion is held while the cache uses it; removing the user group reaches AWS; each
// deletion policy is carried out; a Secret of someone else under the connection Secret's name stops
// everything before AWS (and the cache goes on once it is gone); the API server refuses the kind's
// invalid input and changes to its immutable fields.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { DeleteServerlessCacheCommand, DescribeServerlessCachesCommand } from "@aws-sdk/client-elasticache";
import { serverlessCacheInvalidRows } from "../../../src/kinds/serverless-cache/invalid-cases.ts";
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
import { awsTags } from "../../support/localcloud.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  getObj,
  type OperatorEnv,
  startOperatorEnv,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

const RESOURCE = "elasticacheserverlesscache";
const USER_GROUPS = "elasticacheusergroup";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({ providers: [{ name: "localstack" }], operator: { resyncPeriod: "5s" } });
});

after(async () => {
  await env?.stop();
});

async function awsCache(name: string) {
  return unlessNotFound("ServerlessCacheNotFoundFault", async () => {
    const out = await env.cloud.aws.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: name }));
    return out.ServerlessCaches?.[0];
  });
}

async function awsCacheGone(name: string): Promise<void> {
  await waitFor(
    `${name} gone from AWS`,
    () => awsCache(name),
    (c) => c === undefined,
    120_000,
  );
}

function cache(name: string, spec: Record<string, unknown> = {}) {
  return familyObject("ElastiCacheServerlessCache", name, {
    serverlessCacheName: name,
    engine: "redis",
    ...spec,
  });
}

async function patch(resource: string, name: string, body: unknown) {
  return kubectl(["patch", resource, name, "-n", env.namespace, "--type=merge", "-p", JSON.stringify(body)]);
}

interface StoredSecret {
  metadata: {
    uid: string;
    resourceVersion: string;
    ownerReferences?: { uid: string; controller?: boolean }[];
  };
  data?: Record<string, string>;
}

async function findSecret(name: string): Promise<StoredSecret | undefined> {
  const r = await kubectl(["get", "secret", name, "-n", env.namespace, "-o", "json"]);
  return r.code === 0 ? (JSON.parse(r.stdout) as StoredSecret) : undefined;
}

const decoded = (s: StoredSecret | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(s?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));

/** redis-cli over TLS with the local cloud's CA, as a client given the connection Secret would run it. */
function redisCliTls(host: string, port: string, args: string[]): string {
  const r = spawnSync("redis-cli", ["-h", host, "-p", port, "--tls", "--cacert", env.cloud.caFile, ...args], {
    encoding: "utf8",
    timeout: 15_000,
  });
  return `${r.stdout}${r.stderr}`.trim();
}

test("a Redis serverless cache waits for its user group, is Ready with endpoints and a connection Secret that redis-cli --tls reaches; modifies reach AWS", async () => {
  const ns = env.namespace;
  await applyObject(
    ns,
    familyObject("ElastiCacheUserGroup", "sls-users", {
      userGroupID: "sls-users",
      engine: "redis",
      userIDs: ["default"],
    }),
  );
  await applyObject(ns, cache("sessions", { userGroupID: "sls-users", description: "session store" }));
  const ready = await waitObjReady(ns, RESOURCE, "sessions", 240_000);
  const uid = ready.metadata.uid;
  const endpoint = ready.status?.endpoint as { address: string; port: number };
  const reader = ready.status?.readerEndpoint as { address: string; port: number };
  assert.ok(endpoint?.address && endpoint.port, JSON.stringify(ready.status));
  assert.ok(reader?.port && reader.port !== endpoint.port, "a reader endpoint of its own");
  assert.equal(ready.status?.serverlessCacheStatus, "available");
  assert.equal(ready.status?.userGroupID, "sls-users");
  assert.equal((await getObj(ns, USER_GROUPS, "sls-users")).status?.ready, true, "the group is Ready first");

  const inAws = await awsCache("sessions");
  assert.equal(inAws?.UserGroupId, "sls-users");
  assert.equal(inAws?.Description, "session store");
  assert.equal((await awsTags(env.cloud.aws, inAws?.ARN ?? ""))[OWNER_TAG], `${ns}/sessions`);

  const secret = await waitFor(
    "the connection Secret",
    () => findSecret("sessions-connection"),
    (s) => s !== undefined,
    60_000,
  );
  const controller = secret?.metadata.ownerReferences?.find((r) => r.controller === true);
  assert.equal(controller?.uid, uid, "the Secret is owned by the serverless cache");
  const data = decoded(secret);
  assert.equal(data.host, endpoint.address);
  assert.equal(data.port, String(endpoint.port));
  assert.equal(data.tls, "true");
  assert.equal(data.engine, "redis");
  assert.equal(data.readerPort, String(reader.port));
  assert.equal(data.url, `rediss://${endpoint.address}:${endpoint.port}`);
  assert.equal(redisCliTls(data.host ?? "", data.port ?? "", ["PING"]), "PONG");
  assert.equal(redisCliTls(data.readerHost ?? "", data.readerPort ?? "", ["PING"]), "PONG");

  // Description and usage limits: one ModifyServerlessCache; the engine's memory follows the limit.
  const patched = await patch(RESOURCE, "sessions", {
    spec: {
      description: "sessions, bounded",
      cacheUsageLimits: { dataStorage: { maximum: 2 }, ecpuPerSecond: { maximum: 5000 } },
    },
  });
  assert.equal(patched.code, 0, patched.stderr);
  const modified = await waitFor(
    "the modify in AWS",
    () => awsCache("sessions"),
    (c) =>
      c?.Status === "available" &&
      c.Description === "sessions, bounded" &&
      c.CacheUsageLimits?.DataStorage?.Maximum === 2,
    120_000,
  );
  assert.deepEqual(modified?.CacheUsageLimits, {
    DataStorage: { Maximum: 2, Unit: "GB" },
    ECPUPerSecond: { Maximum: 5000 },
  });
  assert.equal(
    redisCliTls(data.host ?? "", data.port ?? "", ["CONFIG", "GET", "maxmemory"]),
    `maxmemory\n${2 * 1024 * 1024 * 1024}`,
  );
  const again = await waitFor(
    "Ready with the new limits",
    () => getObj(ns, RESOURCE, "sessions"),
    (o) =>
      o.status?.ready === true &&
      (o.status?.cacheUsageLimits as { dataStorage?: { maximum?: number } })?.dataStorage?.maximum === 2,
    120_000,
  );
  assert.equal(again.status?.description, "sessions, bounded");

  // The user group cannot go while the cache uses it (the cache, naming a group being deleted,
  // waits for it: the spec must stop naming it, as below).
  await kubectlOk(["delete", USER_GROUPS, "sls-users", "-n", ns, "--wait=false"]);
  const held = await waitObjCondition(ns, USER_GROUPS, "sls-users", "Ready", (c) => c.reason === "InUse");
  assert.match(JSON.stringify(held.status?.conditions), /ElastiCacheServerlessCache sessions/);

  // Removing the user group this object set reaches AWS; then the group's deletion goes on.
  assert.equal((await patch(RESOURCE, "sessions", { spec: { userGroupID: null } })).code, 0);
  await waitFor(
    "the user group removed in AWS",
    () => awsCache("sessions"),
    (c) => c?.Status === "available" && c.UserGroupId === undefined,
    120_000,
  );
  await waitObjGone(ns, USER_GROUPS, "sls-users", 120_000);

  await kubectlOk(["delete", RESOURCE, "sessions", "-n", ns, "--wait=false"]);
  await waitObjGone(ns, RESOURCE, "sessions", 180_000);
  await awsCacheGone("sessions");
  await assertNoSecretsLeaked(env);
});

test("deletion policies: Retain marks the cache, Orphan untags it; a new object takes the retained one over", async () => {
  const ns = env.namespace;
  for (const policy of ["Retain", "Orphan"]) {
    const name = `keep-${policy.toLowerCase()}`;
    await applyObject(ns, cache(name, { engine: "memcached", deletionPolicy: policy }));
    const ready = await waitObjReady(ns, RESOURCE, name, 240_000);
    await kubectlOk(["delete", RESOURCE, name, "-n", ns]);
    // What the garbage collector does on a real cluster (the test control plane runs none): the
    // connection Secret goes with its owner, so a new object of the name can write its own.
    await kubectlOk(["delete", "secret", `${name}-connection`, "-n", ns, "--ignore-not-found"]);
    const left = await awsCache(name);
    assert.ok(left, `${policy}: the cache stays in AWS`);
    assert.equal(left?.Status, "available");
    const tags = await awsTags(env.cloud.aws, left?.ARN ?? "");
    if (policy === "Retain") assert.equal(tags[RETAINED_TAG], ready.metadata.uid);
    else assert.equal(tags[OWNER_TAG], undefined);
  }
  await applyObject(ns, cache("keep-retain", { engine: "memcached" }));
  await waitObjReady(ns, RESOURCE, "keep-retain", 120_000);
  await applyObject(ns, cache("keep-orphan", { engine: "memcached" }));
  const refused = await waitObjCondition(
    ns,
    RESOURCE,
    "keep-orphan",
    "Synced",
    (c) => c.reason === "NotOwned",
  );
  assert.match(JSON.stringify(refused.status?.conditions), /adopt/);
  await kubectlOk(["delete", RESOURCE, "keep-orphan", "-n", ns]);
  assert.ok(await awsCache("keep-orphan"), "a refused object does not delete what it does not own");
  await kubectlOk(["delete", RESOURCE, "keep-retain", "-n", ns, "--wait=false"]);
  await waitObjGone(ns, RESOURCE, "keep-retain", 180_000);
  await awsCacheGone("keep-retain");
  await env.cloud.aws.send(new DeleteServerlessCacheCommand({ ServerlessCacheName: "keep-orphan" }));
  await awsCacheGone("keep-orphan");
});

test("another's Secret under the connection Secret's name: SecretConflict, nothing made in AWS, the Secret untouched; once it is gone the cache is made", async () => {
  const ns = env.namespace;
  await applyObject(ns, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "team-cache" },
    type: "Opaque",
    stringData: { host: "their-cache.example.com" },
  });
  const before = await findSecret("team-cache");
  await applyObject(ns, cache("borrower", { engine: "memcached", connectionSecret: { name: "team-cache" } }));
  const refused = await waitObjCondition(
    ns,
    RESOURCE,
    "borrower",
    "Synced",
    (c) => c.reason === "SecretConflict",
  );
  const message = JSON.stringify(refused.status?.conditions);
  assert.match(message, new RegExp(`Secret ${ns}/team-cache`));
  assert.match(message, /spec\.connectionSecret\.name/);
  assert.match(message, /this serverless cache's/);
  const events = JSON.parse(
    await kubectlOk([
      "get",
      "events",
      "-n",
      ns,
      "--field-selector",
      "involvedObject.name=borrower",
      "-o",
      "json",
    ]),
  ) as { items: { reason: string; type: string }[] };
  assert.ok(
    events.items.some((e) => e.reason === "SecretConflict" && e.type === "Warning"),
    JSON.stringify(events.items),
  );
  await new Promise((r) => setTimeout(r, 6000)); // more than a resync
  assert.equal(await awsCache("borrower"), undefined, "nothing may be created in AWS");
  const after = await findSecret("team-cache");
  assert.equal(after?.metadata.resourceVersion, before?.metadata.resourceVersion, "the Secret was changed");
  assert.equal(after?.metadata.ownerReferences, undefined);

  await kubectlOk(["delete", "secret", "team-cache", "-n", ns]);
  const ready = await waitObjReady(ns, RESOURCE, "borrower", 240_000);
  const own = await waitFor(
    "its own Secret",
    () => findSecret("team-cache"),
    (s) => s !== undefined,
    60_000,
  );
  assert.equal(own?.metadata.ownerReferences?.find((r) => r.controller)?.uid, ready.metadata.uid);
  const data = decoded(own);
  assert.equal(data.host, (ready.status?.endpoint as { address?: string } | undefined)?.address);
  assert.equal(data.url?.startsWith("memcached://"), true);
  await kubectlOk(["delete", RESOURCE, "borrower", "-n", ns, "--wait=false"]);
  await waitObjGone(ns, RESOURCE, "borrower", 180_000);
  await awsCacheGone("borrower");
});

test("the API server refuses invalid serverless caches and changes to immutable fields, naming the field", async () => {
  const ns = env.namespace;
  for (const [name, manifest, field, message] of serverlessCacheInvalidRows) {
    const body = { ...manifest, metadata: { ...(manifest.metadata as object), namespace: ns } };
    const r = await kubectl(["create", "-f", "-", "-o", "name"], { input: JSON.stringify(body) });
    assert.notEqual(r.code, 0, `${name}: accepted`);
    assert.ok(r.stderr.includes(field) && r.stderr.includes(message), `${name}: ${r.stderr}`);
  }
  // An object whose provider does not exist makes nothing in AWS: enough to try the transition rules.
  await applyObject(
    ns,
    cache("fixed", {
      providerRef: { name: "nowhere" },
      deletionPolicy: "Orphan",
      subnetIDs: ["subnet-0a1b2c3d"],
    }),
  );
  for (const [spec, field] of [
    [{ engine: "valkey" }, "engine"],
    [{ serverlessCacheName: "renamed" }, "serverlessCacheName"],
    [{ subnetIDs: ["subnet-0f0f0f0f"] }, "subnetIDs"],
  ] as const) {
    const r = await patch(RESOURCE, "fixed", { spec });
    assert.notEqual(r.code, 0, `${field} changed`);
    assert.match(r.stderr, new RegExp(`spec\\.${field}`));
    assert.match(r.stderr, new RegExp(`${field} cannot be changed after creation`));
  }
  assert.equal((await patch(RESOURCE, "fixed", { spec: { description: "changeable" } })).code, 0);
  await kubectlOk(["delete", RESOURCE, "fixed", "-n", ns]);
  assert.equal(await awsCache("fixed"), undefined);
});
