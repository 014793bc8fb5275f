// Adoption rules, bad references and drift, checked in AWS:
// - a cache created directly through the AWS API under the same ID is refused (NotOwned) and left
//   untouched; with the adopt annotation it is adopted and brought to the spec;
// - a missing provider, a missing token Secret, a subnet group that does not exist: a condition
//   that says what is wrong, and nothing created in AWS;
// - a setting changed behind the operator's back is corrected at the next resync, and an Event says so.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateCacheClusterCommand,
  DescribeCacheClustersCommand,
  ModifyCacheClusterCommand,
} from "@aws-sdk/client-elasticache";
import { kubectlOk } from "../../support/kubectl.ts";
import { awsCacheCluster, awsReplicationGroup, awsTags, clusterArn } from "../../support/localcloud.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  CLUSTERS,
  clusterObject,
  condition,
  createSecret,
  eventsFor,
  getObj,
  type OperatorEnv,
  startOperatorEnv,
  waitClusterReady,
  waitCondition,
} from "../../support/operator-env.ts";
import { sleep, waitFor } from "../../support/wait.ts";

const OWNER_TAG = "infra-operator.runner.codes/owner";
const ADOPT = "infra-operator.runner.codes/adopt";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({ operator: { resyncPeriod: "3s" } });
});

after(async () => {
  await env?.stop();
});

async function createDirectly(id: string): Promise<void> {
  await env.cloud.aws.send(
    new CreateCacheClusterCommand({
      CacheClusterId: id,
      Engine: "redis",
      EngineVersion: "7.0",
      CacheNodeType: "cache.t3.small",
      NumCacheNodes: 1,
      Tags: [{ Key: "created-by", Value: "a-person" }],
    }),
  );
  await waitFor(
    `${id} available`,
    () => awsCacheCluster(env.cloud.aws, id),
    (c) => c?.CacheClusterStatus === "available",
  );
}

describe("adoption", () => {
  test("a cache created through the AWS API with the same ID is refused (NotOwned) and untouched", async () => {
    await createDirectly("not-ours");
    const before = await awsCacheCluster(env.cloud.aws, "not-ours");
    await applyObject(
      env.namespace,
      clusterObject("not-ours", { clusterID: "not-ours", engine: "redis", nodeType: "cache.t3.micro" }),
    );
    const obj = await waitCondition(env.namespace, "not-ours", "Synced", (c) => c.reason === "NotOwned");
    const synced = condition(obj, "Synced");
    assert.equal(synced?.status, "False");
    assert.match(synced?.message ?? "", /not-ours/);
    assert.match(
      synced?.message ?? "",
      new RegExp(ADOPT.replaceAll(".", "\\.")),
      "the message does not say how to adopt",
    );
    assert.equal(obj.status?.ready, false);
    await sleep(4000); // more than a resync: still nothing done
    const after = await awsCacheCluster(env.cloud.aws, "not-ours");
    assert.equal(after?.CacheNodeType, "cache.t3.small", "a resource the object does not own was modified");
    assert.equal(after?.CacheClusterStatus, "available");
    assert.equal(after?.CacheClusterCreateTime?.getTime(), before?.CacheClusterCreateTime?.getTime());
    const tags = await awsTags(env.cloud.aws, clusterArn("not-ours"));
    assert.deepEqual(tags, { "created-by": "a-person" });
  });

  test(`with the ${ADOPT} annotation it is adopted: tagged as ours and brought to the spec`, async () => {
    await kubectlOk(["annotate", CLUSTERS, "not-ours", "-n", env.namespace, `${ADOPT}=true`]);
    await waitClusterReady(env.namespace, "not-ours");
    const tags = await waitFor(
      "the ownership tag on the adopted cache",
      () => awsTags(env.cloud.aws, clusterArn("not-ours")),
      (t) => t[OWNER_TAG] !== undefined,
      30_000,
    );
    assert.equal(tags[OWNER_TAG], `${env.namespace}/not-ours`);
    const cc = await waitFor(
      "the adopted cache to get the spec's node type",
      () => awsCacheCluster(env.cloud.aws, "not-ours"),
      (c) => c?.CacheNodeType === "cache.t3.micro" && c.CacheClusterStatus === "available",
    );
    assert.ok(cc);
    assert.equal(tags["created-by"], "a-person", "a tag the operator did not apply was removed");
  });
});

describe("bad references give a clear condition and create nothing in AWS", () => {
  async function nothingCreated(id: string): Promise<void> {
    await sleep(3000);
    assert.equal(await awsCacheCluster(env.cloud.aws, id), undefined, `${id} was created in AWS`);
    assert.equal(await awsReplicationGroup(env.cloud.aws, id), undefined, `${id} was created in AWS`);
  }

  test("a provider that does not exist", async () => {
    await applyObject(
      env.namespace,
      clusterObject("no-provider", {
        providerRef: { name: "nowhere-aws" },
        clusterID: "no-provider",
        engine: "redis",
        nodeType: "cache.t3.micro",
      }),
    );
    const obj = await waitCondition(
      env.namespace,
      "no-provider",
      "Ready",
      (c) => c.reason === "ProviderNotFound" || c.reason === "ProviderNotReady",
    );
    assert.match(condition(obj, "Ready")?.message ?? "", /nowhere-aws/);
    await nothingCreated("no-provider");
    const events = await eventsFor(env.namespace, "no-provider");
    assert.ok(
      events.some((e) => e.type === "Warning" && /nowhere-aws/.test(e.message)),
      JSON.stringify(events),
    );
  });

  test("a token Secret that does not exist, then created: the cache follows", async () => {
    await applyObject(
      env.namespace,
      clusterObject("no-secret", {
        clusterID: "no-secret",
        engine: "redis",
        nodeType: "cache.t3.micro",
        replicationGroupDescription: "missing secret",
        transitEncryptionEnabled: true,
        authTokenRef: { name: "missing-auth", key: "token" },
      }),
    );
    const obj = await waitCondition(
      env.namespace,
      "no-secret",
      "Ready",
      (c) => c.reason === "SecretNotFound",
    );
    assert.match(condition(obj, "Ready")?.message ?? "", /missing-auth/);
    await nothingCreated("no-secret");
    await createSecret(env.namespace, "missing-auth", { token: "Token-Created-Later-9d2c41aa" });
    await waitClusterReady(env.namespace, "no-secret", 180_000);
    assert.equal((await awsReplicationGroup(env.cloud.aws, "no-secret"))?.AuthTokenEnabled, true);
  });

  test("a subnet group that does not exist", async () => {
    await applyObject(
      env.namespace,
      clusterObject("no-subnets", {
        clusterID: "no-subnets",
        engine: "redis",
        nodeType: "cache.t3.micro",
        subnetGroupName: "does-not-exist-subnet",
      }),
    );
    const obj = await waitCondition(
      env.namespace,
      "no-subnets",
      "Synced",
      (c) => c.status === "False" && /subnet/i.test(c.message ?? ""),
    );
    assert.match(condition(obj, "Synced")?.message ?? "", /does-not-exist-subnet/);
    assert.notEqual(obj.status?.ready, true);
    await nothingCreated("no-subnets");
    // Terminal: not hammered. A few resyncs pass with at most a handful of create attempts.
    await env.cloud.resetCalls();
    await sleep(6000);
    const calls = await env.cloud.calls();
    assert.ok(
      (calls.byAction["elasticache:CreateCacheCluster"] ?? 0) <= 3,
      `create retried: ${JSON.stringify(calls.byAction)}`,
    );
  });
});

describe("drift", () => {
  test("a setting changed through the AWS API is corrected, and an Event says so", async () => {
    await applyObject(
      env.namespace,
      clusterObject("drifty", {
        clusterID: "drifty",
        engine: "redis",
        nodeType: "cache.t3.micro",
        snapshotRetentionLimit: 2,
      }),
    );
    await waitClusterReady(env.namespace, "drifty");
    await env.cloud.aws.send(
      new ModifyCacheClusterCommand({
        CacheClusterId: "drifty",
        SnapshotRetentionLimit: 9,
        ApplyImmediately: true,
      }),
    );
    const changed = await env.cloud.aws.send(new DescribeCacheClustersCommand({ CacheClusterId: "drifty" }));
    assert.ok([9, 2].includes(changed.CacheClusters?.[0]?.SnapshotRetentionLimit ?? -1));
    await waitFor(
      "the drift to be corrected in AWS",
      () => awsCacheCluster(env.cloud.aws, "drifty"),
      (c) => c?.SnapshotRetentionLimit === 2 && c.CacheClusterStatus === "available",
      // A resync may take a settled cache's answer from a listing up to 30 s old.
      120_000,
    );
    const events = await waitFor(
      "an Event about the drift",
      () => eventsFor(env.namespace, "drifty"),
      (list) =>
        list.some(
          (e) => /drift/i.test(`${e.reason} ${e.message}`) && /snapshotRetentionLimit/i.test(e.message),
        ),
      30_000,
    );
    assert.ok(events.length > 0);
    await waitClusterReady(env.namespace, "drifty");
  });

  test("no secret in the operator's log or Events", async () => {
    await assertNoSecretsLeaked(env);
  });
});

test("the status reports what AWS says, not the spec", async () => {
  const obj = await getObj(env.namespace, CLUSTERS, "drifty");
  const cc = await awsCacheCluster(env.cloud.aws, "drifty");
  assert.equal(obj.status?.clusterStatus, cc?.CacheClusterStatus);
  assert.equal(obj.status?.engineVersion, cc?.EngineVersion);
  assert.equal(obj.status?.cacheClusterARN, cc?.ARN);
});
