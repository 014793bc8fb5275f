// ElastiCacheSnapshot end to end, on the real control plane and the local cloud's real engines:
// keys written with redis-cli into a replication group come back (GET through redis-cli) in a new
// cache created with restoreFromSnapshot, which waits for the snapshot object first; the snapshot's
// status is AWS's; it outlives its source cache; a single cache cluster is snapshotted by its ID;
// each deletion policy is carried out in AWS; a deletion while AWS is still taking the snapshot
// waits; the API server refuses invalid input and any change of what a snapshot is.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { DescribeSnapshotsCommand, type Snapshot } from "@aws-sdk/client-elasticache";
import { snapshotInvalidRows } from "../../../src/kinds/snapshot/invalid-cases.ts";
import type { Endpoint } from "../../support/endpoints.ts";
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
import { awsCacheCluster, awsReplicationGroup, awsTags } from "../../support/localcloud.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  CLUSTERS,
  clusterObject,
  eventsFor,
  getObj,
  type OperatorEnv,
  startOperatorEnv,
  waitClusterReady,
  waitGone,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

const RESOURCE = "elasticachesnapshot";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({ providers: [{ name: "localstack" }] });
});

after(async () => {
  await env?.stop();
});

async function awsSnapshot(name: string): Promise<Snapshot | undefined> {
  return unlessNotFound("SnapshotNotFoundFault", async () => {
    const out = await env.cloud.aws.send(new DescribeSnapshotsCommand({ SnapshotName: name }));
    return out.Snapshots?.[0];
  });
}

function snapshot(name: string, spec: Record<string, unknown>) {
  return familyObject("ElastiCacheSnapshot", name, { snapshotName: name, ...spec });
}

/** redis-cli against a node, as a user would; its output trimmed. */
function redisCli(node: Endpoint, ...args: string[]): string {
  const out = spawnSync("redis-cli", ["-h", node.address, "-p", String(node.port), ...args], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (out.status !== 0) throw new Error(`redis-cli ${args.join(" ")}: ${out.stderr}`);
  return out.stdout.trim();
}

async function primaryOf(replicationGroupID: string): Promise<Endpoint> {
  const rg = await awsReplicationGroup(env.cloud.aws, replicationGroupID);
  const e = rg?.NodeGroups?.[0]?.PrimaryEndpoint;
  if (!e?.Address || !e.Port) throw new Error(`${replicationGroupID} has no primary endpoint`);
  return { address: e.Address, port: e.Port };
}

async function nodeOf(cacheClusterID: string): Promise<Endpoint> {
  const e = (await awsCacheCluster(env.cloud.aws, cacheClusterID))?.CacheNodes?.[0]?.Endpoint;
  if (!e?.Address || !e.Port) throw new Error(`${cacheClusterID} has no node endpoint`);
  return { address: e.Address, port: e.Port };
}

async function patch(resource: string, name: string, body: unknown) {
  return kubectl(["patch", resource, name, "-n", env.namespace, "--type=merge", "-p", JSON.stringify(body)]);
}

const redisGroup = (name: string, extra: Record<string, unknown> = {}) =>
  clusterObject(name, {
    clusterID: name,
    engine: "redis",
    engineVersion: "7.0",
    nodeType: "cache.t3.micro",
    replicationGroupDescription: "snapshot e2e",
    ...extra,
  });

test("keys written with redis-cli come back in a cache restored from the snapshot", async () => {
  const ns = env.namespace;
  await applyObject(ns, redisGroup("snap-src"));
  await waitClusterReady(ns, "snap-src", 240_000);
  const source = await primaryOf("snap-src");
  assert.equal(redisCli(source, "SET", "greeting", "hello"), "OK");
  assert.equal(redisCli(source, "SET", "counter", "42"), "OK");
  assert.equal(redisCli(source, "RPUSH", "letters", "a", "b", "c"), "3");

  // Slow AWS down so the restoring cluster is seen waiting for the snapshot object.
  await env.cloud.setPace(4_000);
  await applyObject(ns, snapshot("src-backup", { clusterRef: { name: "snap-src" } }));
  await applyObject(ns, redisGroup("restored", { restoreFromSnapshot: "src-backup" }));
  const waiting = await waitObjCondition(
    ns,
    CLUSTERS,
    "restored",
    "Ready",
    (c) => c.reason === "WaitingForReference",
    60_000,
  );
  assert.match(
    JSON.stringify(waiting.status?.conditions),
    /ElastiCacheSnapshot .*src-backup \(spec.restoreFromSnapshot\) to be Ready/,
  );
  assert.equal(
    await awsReplicationGroup(env.cloud.aws, "restored"),
    undefined,
    "not created before the snapshot",
  );
  await env.cloud.setPace(0);

  const ready = await waitObjReady(ns, RESOURCE, "src-backup", 120_000);
  assert.equal(ready.status?.snapshotStatus, "available");
  assert.equal(ready.status?.replicationGroupID, "snap-src");
  assert.equal(ready.status?.engine, "redis");
  assert.match(String(ready.status?.engineVersion), /^7\.0/);
  assert.equal(ready.status?.nodeType, "cache.t3.micro");
  assert.equal(ready.status?.snapshotSource, "manual");
  assert.ok(!Number.isNaN(Date.parse(String(ready.status?.createTime))), JSON.stringify(ready.status));
  assert.equal(((ready.status?.nodeSnapshots as unknown[] | undefined) ?? []).length, 1);
  const inAws = await awsSnapshot("src-backup");
  assert.equal(inAws?.SnapshotStatus, "available");
  assert.equal(inAws?.ReplicationGroupId, "snap-src");
  assert.equal(ready.status?.arn, inAws?.ARN);
  assert.equal((await awsTags(env.cloud.aws, inAws?.ARN ?? ""))[OWNER_TAG], `${ns}/src-backup`);

  await waitClusterReady(ns, "restored", 240_000);
  const restored = await primaryOf("restored");
  assert.notDeepEqual(restored, source);
  assert.equal(redisCli(restored, "GET", "greeting"), "hello");
  assert.equal(redisCli(restored, "GET", "counter"), "42");
  assert.equal(redisCli(restored, "LRANGE", "letters", "0", "-1"), "a\nb\nc");

  // What the snapshot is, and what the cluster was restored from, cannot change.
  for (const change of [{ snapshotName: "other" }, { clusterRef: { name: "restored" } }]) {
    const out = await patch(RESOURCE, "src-backup", { spec: change });
    assert.notEqual(out.code, 0, `${JSON.stringify(change)} accepted`);
    assert.match(out.stderr, /cannot be changed after creation/);
  }
  const moved = await patch(RESOURCE, "src-backup", { spec: { clusterRef: null, clusterID: "restored" } });
  assert.notEqual(moved.code, 0, "switching clusterRef to clusterID accepted");
  assert.match(moved.stderr, /source \(clusterID or clusterRef\) cannot be changed after creation/);
  const other = await patch(CLUSTERS, "restored", { spec: { restoreFromSnapshot: "other" } });
  assert.notEqual(other.code, 0, "a changed restoreFromSnapshot accepted");
  assert.match(other.stderr, /restoreFromSnapshot cannot be changed after creation/);

  // The snapshot outlives its source: with the cache gone it stays Ready and its tags still sync.
  await kubectlOk(["delete", CLUSTERS, "snap-src", "-n", ns, "--wait=false"]);
  await waitGone(ns, "snap-src", 240_000);
  assert.equal((await patch(RESOURCE, "src-backup", { spec: { tags: { team: "cache" } } })).code, 0);
  await waitFor(
    "the tag on the snapshot in AWS",
    () => awsTags(env.cloud.aws, inAws?.ARN ?? ""),
    (t) => t.team === "cache",
    60_000,
  );
  await waitObjReady(ns, RESOURCE, "src-backup");
  // Nor does the restored cache hold its deletion: AWS read the snapshot at creation.
  await kubectlOk(["delete", RESOURCE, "src-backup", "-n", ns]);
  assert.equal(await awsSnapshot("src-backup"), undefined, "Delete removes the snapshot in AWS");
  await kubectlOk(["delete", CLUSTERS, "restored", "-n", ns, "--wait=false"]);
  await waitGone(ns, "restored", 240_000);
});

test("a single cache by clusterID; deletion policies; a deletion while AWS is taking it waits", async () => {
  const ns = env.namespace;
  // The cache takes 8 s to become available, so the snapshot's wait for it lasts long enough to be
  // seen (a cache the local cloud makes at once let the snapshot go Ready between two polls).
  await env.cloud.setPace(8_000);
  await applyObject(
    ns,
    clusterObject("snap-cc", { clusterID: "snap-cc", engine: "redis", nodeType: "cache.t3.micro" }),
  );
  // By clusterID: the ElastiCacheCluster with that clusterID is waited for.
  await applyObject(ns, snapshot("cc-delete", { clusterID: "snap-cc" }));
  const waiting = await waitObjCondition(
    ns,
    RESOURCE,
    "cc-delete",
    "Ready",
    (c) => c.reason === "WaitingForReference",
  );
  assert.match(JSON.stringify(waiting.status?.conditions), /spec.clusterID/);
  await env.cloud.setPace(0);
  await waitClusterReady(ns, "snap-cc", 240_000);
  assert.equal(redisCli(await nodeOf("snap-cc"), "SET", "k", "v"), "OK");
  const ready = await waitObjReady(ns, RESOURCE, "cc-delete", 120_000);
  assert.equal(ready.status?.cacheClusterID, "snap-cc");
  assert.equal(ready.status?.replicationGroupID, undefined);

  const uids: Record<string, string> = {};
  for (const policy of ["Retain", "Orphan"]) {
    const name = `cc-${policy.toLowerCase()}`;
    await applyObject(ns, snapshot(name, { clusterID: "snap-cc", deletionPolicy: policy }));
    uids[name] = (await waitObjReady(ns, RESOURCE, name, 120_000)).metadata.uid;
  }
  for (const name of ["cc-delete", "cc-retain", "cc-orphan"])
    await kubectlOk(["delete", RESOURCE, name, "-n", ns]);
  assert.equal(await awsSnapshot("cc-delete"), undefined, "Delete removes the snapshot");
  const retained = await awsSnapshot("cc-retain");
  assert.equal(retained?.SnapshotStatus, "available", "Retain keeps the snapshot");
  assert.equal((await awsTags(env.cloud.aws, retained?.ARN ?? ""))[RETAINED_TAG], uids["cc-retain"]);
  const orphaned = await awsSnapshot("cc-orphan");
  assert.equal(orphaned?.SnapshotStatus, "available", "Orphan keeps the snapshot");
  assert.equal((await awsTags(env.cloud.aws, orphaned?.ARN ?? ""))[OWNER_TAG], undefined);

  // Deleted while AWS is still taking it: the deletion waits, then removes it.
  await env.cloud.setPace(8_000);
  await applyObject(ns, snapshot("cc-slow", { clusterID: "snap-cc" }));
  await waitFor(
    "cc-slow creating in AWS",
    () => awsSnapshot("cc-slow"),
    (s) => s?.SnapshotStatus === "creating",
    60_000,
  );
  await kubectlOk(["delete", RESOURCE, "cc-slow", "-n", ns, "--wait=false"]);
  const held = await waitObjCondition(
    ns,
    RESOURCE,
    "cc-slow",
    "Synced",
    (c) => c.reason === "WaitingToDelete",
  );
  assert.match(JSON.stringify(held.status?.conditions), /deleted once AWS is done/);
  await env.cloud.setPace(0);
  await waitObjGone(ns, RESOURCE, "cc-slow", 120_000);
  assert.equal(await awsSnapshot("cc-slow"), undefined);
  const warnings = (await eventsFor(ns, "cc-slow")).filter((e) => e.type === "Warning");
  assert.deepEqual(warnings, [], "no failed DeleteSnapshot");

  await kubectlOk(["delete", CLUSTERS, "snap-cc", "-n", ns, "--wait=false"]);
  await waitGone(ns, "snap-cc", 240_000);
});

test("invalid input is refused by the API server with the field named; an unknown cache by AWS", async () => {
  const ns = env.namespace;
  for (const [caseName, manifest, field, message] of snapshotInvalidRows) {
    const out = await kubectl(["apply", "-n", ns, "-f", "-"], {
      input: JSON.stringify({ ...manifest, metadata: { ...(manifest.metadata as object), namespace: ns } }),
    });
    assert.notEqual(out.code, 0, `${caseName}: accepted`);
    assert.ok(out.stderr.includes(field), `${caseName}: ${out.stderr}`);
    assert.ok(out.stderr.includes(message), `${caseName}: ${out.stderr}`);
  }
  // A clusterID no object has is a cache made outside: AWS's answer names it.
  await applyObject(ns, snapshot("of-nothing", { clusterID: "no-such-cache" }));
  const refused = await waitObjCondition(
    ns,
    RESOURCE,
    "of-nothing",
    "Synced",
    (c) => c.status === "False" && /no-such-cache/.test(c.message ?? ""),
  );
  assert.notEqual(refused.status?.ready, true);
  const change = await patch(RESOURCE, "of-nothing", { spec: { clusterID: "other" } });
  assert.notEqual(change.code, 0);
  assert.match(change.stderr, /clusterID cannot be changed after creation/);
  await kubectlOk(["delete", RESOURCE, "of-nothing", "-n", ns]);
  await assertNoSecretsLeaked(env);
  assert.ok((await getObj(ns, "awsprovider", "localstack")).metadata.uid);
});
