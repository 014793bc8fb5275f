// Chaos: AWS stops answering (every ElastiCache call answered 503) for 36 s, long enough
// that a waiting object's backoff has grown past 15 s; and the local cloud itself is restarted.
// - A Delete issued during the outage finishes within seconds of AWS answering again (recovery on
//   the answer, not on the backoff timer).
// - An Orphan deleted during the outage leaves its tags (it must not hang), and the cache is then
//   never adopted, nor deleted, by a new object of the same name.
// - After a local-cloud restart, a change made meanwhile converges without help.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { smallRedis } from "../../support/chaos.ts";
import { awsCacheCluster, awsTags, clusterArn } from "../../support/localcloud.ts";
import {
  applyObject,
  condition,
  deleteCluster,
  eventsFor,
  getObj,
  type OperatorEnv,
  patchCluster,
  startOperatorEnv,
  waitClusterReady,
  waitCondition,
  waitGone,
} from "../../support/operator-env.ts";
import { sleep, waitFor } from "../../support/wait.ts";

const UID_TAG = "infra-operator.runner.codes/uid";
const OUTAGE_MS = 36_000;

let env: OperatorEnv;

before(async () => {
  // A long resync: only the operator's reaction to AWS answering again can explain a quick finish.
  env = await startOperatorEnv({ providers: [{ name: "localstack" }], operator: { resyncPeriod: "10m" } });
});

after(async () => {
  await env?.cloud.setFaults({});
  await env?.stop();
});

describe("an AWS outage of 36 s", () => {
  let orphanUid = "";
  let backAt = 0;

  before(async () => {
    await applyObject(env.namespace, smallRedis("waiting-delete"));
    await applyObject(env.namespace, smallRedis("orphan-outage", { deletionPolicy: "Orphan" }));
    await waitClusterReady(env.namespace, "waiting-delete");
    orphanUid = (await waitClusterReady(env.namespace, "orphan-outage")).metadata.uid;
  });

  test("a Delete waiting on AWS finishes within seconds of AWS answering again", async (t) => {
    await env.cloud.setFaults({ unavailableRate: 1 });
    try {
      await deleteCluster(env.namespace, "waiting-delete");
      await deleteCluster(env.namespace, "orphan-outage");
      await waitCondition(env.namespace, "waiting-delete", "Synced", (c) => c.reason === "AWSUnavailable");
      await sleep(OUTAGE_MS);
      assert.ok(
        await getObj(env.namespace, "elasticachecluster", "waiting-delete"),
        "deleted during the outage",
      );
    } finally {
      await env.cloud.setFaults({});
      backAt = Date.now();
    }
    await waitGone(env.namespace, "waiting-delete", 60_000);
    const seconds = (Date.now() - backAt) / 1000;
    t.diagnostic(
      `AWS back -> waiting delete finished: ${seconds.toFixed(1)} s (outage ${OUTAGE_MS / 1000} s)`,
    );
    // The backoff alone would next try about 25 s later (attempts 1, 3, 7, 15, 31, 63 s in); the
    // canary sees AWS back within ~3 s.
    assert.ok(seconds < 12, `the delete took ${seconds} s after AWS was back`);
    assert.equal(await awsCacheCluster(env.cloud.aws, "waiting-delete"), undefined);
  });

  test("the Orphan deleted meanwhile left its tags; a new object of that name neither adopts nor deletes it", async () => {
    await waitGone(env.namespace, "orphan-outage", 10_000);
    const left = await awsTags(env.cloud.aws, clusterArn("orphan-outage"));
    assert.equal(left[UID_TAG], orphanUid, "the tags could not be removed during the outage");

    await applyObject(
      env.namespace,
      smallRedis("orphan-outage", { connectionSecret: { name: "orphan-outage-second" } }),
    );
    const refused = await waitCondition(
      env.namespace,
      "orphan-outage",
      "Ready",
      (c) => c.reason === "NotOwned",
    );
    assert.match(condition(refused, "Ready")?.message ?? "", /earlier object named/);
    assert.ok((await eventsFor(env.namespace, "orphan-outage")).some((e) => e.reason === "OrphanTagsLeft"));
    await deleteCluster(env.namespace, "orphan-outage");
    await waitGone(env.namespace, "orphan-outage", 30_000);
    assert.equal((await awsCacheCluster(env.cloud.aws, "orphan-outage"))?.CacheClusterStatus, "available");
    assert.equal((await awsTags(env.cloud.aws, clusterArn("orphan-outage")))[UID_TAG], orphanUid);
  });
});

describe("a local-cloud restart", () => {
  test("a change made while it was down converges once it is back", async (t) => {
    await applyObject(env.namespace, smallRedis("survivor"));
    await waitClusterReady(env.namespace, "survivor");
    const restarting = env.cloud.restart(5_000);
    await sleep(500);
    assert.equal(
      (await patchCluster(env.namespace, "survivor", { spec: { snapshotRetentionLimit: 2 } })).code,
      0,
    );
    await restarting;
    const upAt = Date.now();
    await waitFor(
      "the change to reach AWS",
      () => awsCacheCluster(env.cloud.aws, "survivor"),
      (c) => c?.SnapshotRetentionLimit === 2,
      60_000,
    );
    await waitClusterReady(env.namespace, "survivor", 60_000);
    t.diagnostic(`local cloud back -> change converged: ${((Date.now() - upAt) / 1000).toFixed(1)} s`);
  });
});
