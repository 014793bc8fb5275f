// Each deletionPolicy does what the documentation says, checked in AWS: Delete removes the cache
// and waits until it is gone; Retain leaves it running, marked as retained, so a new object of the
// same name re-adopts it without creating anything; Orphan leaves it running without infra-operator's tags;
// Snapshot takes a final snapshot, then deletes.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { redisAnswers } from "../../support/endpoints.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import { awsCacheCluster, awsSnapshots, awsTags, clusterArn } from "../../support/localcloud.ts";
import {
  applyObject,
  CLUSTERS,
  clusterObject,
  deleteCluster,
  findObj,
  type OperatorEnv,
  patchCluster,
  startOperatorEnv,
  waitClusterReady,
  waitGone,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

const OWNER_TAG = "infra-operator.runner.codes/owner";
const UID_TAG = "infra-operator.runner.codes/uid";
const RETAINED_TAG = "infra-operator.runner.codes/retained";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv();
});

after(async () => {
  await env?.stop();
});

async function readyRedis(name: string, deletionPolicy: string, extra: Record<string, unknown> = {}) {
  await applyObject(
    env.namespace,
    clusterObject(name, {
      clusterID: name,
      engine: "redis",
      engineVersion: "7.0",
      nodeType: "cache.t3.micro",
      deletionPolicy,
      tags: { team: "e2e" },
      ...extra,
    }),
  );
  return waitClusterReady(env.namespace, name);
}

describe("deletionPolicy", () => {
  test("Delete: the cache is deleted in AWS, then the object goes", async () => {
    await readyRedis("del-delete", "Delete");
    assert.ok(await awsCacheCluster(env.cloud.aws, "del-delete"));
    await deleteCluster(env.namespace, "del-delete");
    await waitGone(env.namespace, "del-delete");
    assert.equal(
      await awsCacheCluster(env.cloud.aws, "del-delete"),
      undefined,
      "the object went before AWS deleted the cache",
    );
  });

  test("Retain: the cache keeps running and owned; a new object of the same name re-adopts it", async () => {
    const first = await readyRedis("del-retain", "Retain");
    const created = (await awsCacheCluster(env.cloud.aws, "del-retain"))?.CacheClusterCreateTime;
    await deleteCluster(env.namespace, "del-retain");
    await waitGone(env.namespace, "del-retain");
    const kept = await awsCacheCluster(env.cloud.aws, "del-retain");
    assert.equal(kept?.CacheClusterStatus, "available");
    const tags = await awsTags(env.cloud.aws, clusterArn("del-retain"));
    assert.equal(tags[OWNER_TAG], `${env.namespace}/del-retain`);
    assert.equal(tags[RETAINED_TAG], first.metadata.uid, "marked as retained by the deleted object");
    const endpoint = first.status?.primaryEndpoint;
    assert.ok(endpoint);
    assert.equal(await redisAnswers(endpoint), true, "the retained cache stopped answering");

    // The garbage collector removes the deleted object's connection Secret in a real cluster; the
    // test control plane has none, and the new object must not take over another object's Secret.
    await kubectlOk(["delete", "secret", "del-retain-connection", "-n", env.namespace, "--ignore-not-found"]);
    await env.cloud.resetCalls();
    const again = await readyRedis("del-retain", "Retain");
    const calls = await env.cloud.calls();
    // The operator tries a create (cheaper than a lookup on the common path); AWS answers that the
    // cluster exists, and the ownership tag makes it ours again.
    assert.equal(
      (calls.byAction["elasticache:CreateCacheCluster"] ?? 0) -
        (calls.byErrorCode.CacheClusterAlreadyExists ?? 0),
      0,
      `re-adoption created a new cache: ${JSON.stringify(calls)}`,
    );
    assert.equal(
      (await awsCacheCluster(env.cloud.aws, "del-retain"))?.CacheClusterCreateTime?.getTime(),
      created?.getTime(),
    );
    assert.deepEqual(again.status?.primaryEndpoint, endpoint);
    const retagged = await awsTags(env.cloud.aws, clusterArn("del-retain"));
    assert.equal(
      retagged[UID_TAG],
      (await findObj(env.namespace, CLUSTERS, "del-retain"))?.metadata.uid,
      "the uid tag names the new object",
    );
    assert.equal(retagged[RETAINED_TAG], undefined, "the retained marker is gone once re-adopted");
  });

  test("Orphan: the cache keeps running without infra-operator's tags (other tags stay)", async () => {
    await readyRedis("del-orphan", "Orphan");
    await deleteCluster(env.namespace, "del-orphan");
    await waitGone(env.namespace, "del-orphan");
    const kept = await awsCacheCluster(env.cloud.aws, "del-orphan");
    assert.equal(kept?.CacheClusterStatus, "available");
    const tags = await awsTags(env.cloud.aws, clusterArn("del-orphan"));
    assert.equal(tags[OWNER_TAG], undefined);
    assert.equal(tags[UID_TAG], undefined);
    assert.equal(tags.team, "e2e");
  });

  test("Snapshot: a final snapshot is left, the cache is deleted", async () => {
    await readyRedis("del-snapshot", "Snapshot");
    await deleteCluster(env.namespace, "del-snapshot");
    await waitGone(env.namespace, "del-snapshot", 180_000);
    assert.equal(await awsCacheCluster(env.cloud.aws, "del-snapshot"), undefined);
    const snapshots = await waitFor(
      "the final snapshot to be available",
      () => awsSnapshots(env.cloud.aws),
      (list) => list.some((s) => s.SnapshotName === "del-snapshot-final" && s.SnapshotStatus === "available"),
      60_000,
    );
    const snap = snapshots.find((s) => s.SnapshotName === "del-snapshot-final");
    assert.equal(snap?.CacheClusterId, "del-snapshot");
  });

  test("deletionPolicy is read at deletion time: Delete patched to Retain keeps the cache", async () => {
    await readyRedis("del-switch", "Delete");
    await applyObject(
      env.namespace,
      clusterObject("del-switch", {
        clusterID: "del-switch",
        engine: "redis",
        engineVersion: "7.0",
        nodeType: "cache.t3.micro",
        deletionPolicy: "Retain",
        tags: { team: "e2e" },
      }),
    );
    await deleteCluster(env.namespace, "del-switch");
    await waitGone(env.namespace, "del-switch");
    assert.equal((await awsCacheCluster(env.cloud.aws, "del-switch"))?.CacheClusterStatus, "available");
  });

  test("a delete issued while AWS is modifying the cache waits for it, then deletes", async () => {
    await readyRedis("del-busy", "Delete");
    // Slow transitions down so the delete surely arrives while AWS is modifying.
    await env.cloud.setPace(4000);
    try {
      assert.equal(
        (await patchCluster(env.namespace, "del-busy", { spec: { cacheNodeType: "cache.t3.small" } })).code,
        0,
      );
      await waitFor(
        "the resize to start in AWS",
        () => awsCacheCluster(env.cloud.aws, "del-busy"),
        (c) => c?.CacheClusterStatus === "modifying",
        30_000,
        100,
      );
      await deleteCluster(env.namespace, "del-busy");
      await waitGone(env.namespace, "del-busy", 120_000);
      assert.equal(await awsCacheCluster(env.cloud.aws, "del-busy"), undefined);
    } finally {
      await env.cloud.setPace(0);
    }
  });
});
