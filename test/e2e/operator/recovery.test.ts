// The Troubleshooting section's recovery commands, as written there:
// - `kubectl annotate elasticachecluster app-cache force-sync="$(date +%s)" --overwrite` reconciles
//   at once (the operator runs with a 10 minute resync here, so only the annotation can explain it);
// - "Error deleting cluster (finalizer stuck)": with the provider broken, a Delete-policy object
//   stays; Option 1 (`deletionPolicy: Retain`, then delete) and Option 2 (empty the finalizers)
//   both let it go, and the cache is left in AWS.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { RemoveTagsFromResourceCommand } from "@aws-sdk/client-elasticache";
import { kubectlOk } from "../../support/kubectl.ts";
import { awsCacheCluster, awsTags, clusterArn } from "../../support/localcloud.ts";
import {
  applyObject,
  applyProvider,
  CLUSTERS,
  clusterObject,
  condition,
  createSecret,
  deleteCluster,
  findObj,
  getObj,
  type OperatorEnv,
  PROVIDERS,
  patchCluster,
  startOperatorEnv,
  waitClusterReady,
  waitCondition,
  waitGone,
  waitProviderReady,
} from "../../support/operator-env.ts";
import { sleep, waitFor } from "../../support/wait.ts";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({ operator: { resyncPeriod: "10m" } });
});

after(async () => {
  await env?.stop();
});

function redis(name: string, provider = "localstack") {
  const obj = clusterObject(name, {
    clusterID: name,
    engine: "redis",
    nodeType: "cache.t3.micro",
    snapshotRetentionLimit: 1,
  });
  (obj.spec as { providerRef: { name: string } }).providerRef.name = provider;
  return obj;
}

describe("force-sync", () => {
  test("the force-sync annotation corrects drift at once, with no spec change", async () => {
    // A tag removed behind the operator's back: AWS reports no event for it and tags are re-read
    // only every 24 h, so nothing but force-sync brings it back now (a setting changed behind its
    // back is an event, seen at the next resync tick).
    const obj0 = redis("app-cache");
    (obj0.spec as { tags?: Record<string, string> }).tags = { team: "payments" };
    await applyObject(env.namespace, obj0);
    await waitClusterReady(env.namespace, "app-cache");
    await env.cloud.aws.send(
      new RemoveTagsFromResourceCommand({ ResourceName: clusterArn("app-cache"), TagKeys: ["team"] }),
    );
    await sleep(3000);
    assert.equal(
      (await awsTags(env.cloud.aws, clusterArn("app-cache"))).team,
      undefined,
      "corrected without force-sync: this test cannot tell what force-sync did",
    );
    const generation = (await getObj(env.namespace, CLUSTERS, "app-cache")).metadata.generation;
    await kubectlOk([
      "annotate",
      CLUSTERS,
      "app-cache",
      "-n",
      env.namespace,
      `force-sync=${Math.floor(Date.now() / 1000)}`,
      "--overwrite",
    ]);
    await waitFor(
      "force-sync to correct the drift",
      () => awsTags(env.cloud.aws, clusterArn("app-cache")),
      (t) => t.team === "payments",
      30_000,
    );
    const obj = await waitClusterReady(env.namespace, "app-cache");
    assert.equal(obj.metadata.generation, generation, "an annotation changed the generation");
  });
});

describe("finalizer stuck while the provider is broken", () => {
  before(async () => {
    await createSecret(env.namespace, "breakable-credentials", {
      "access-key-id": "test",
      "secret-access-key": "test",
    });
    await applyProvider(env.namespace, env.cloud.url, {
      name: "breakable-aws",
      secretName: "breakable-credentials",
    });
    await waitProviderReady(env.namespace, "breakable-aws");
    for (const name of ["stuck-one", "stuck-two", "stuck-orphan"])
      await applyObject(env.namespace, redis(name, "breakable-aws"));
    for (const name of ["stuck-one", "stuck-two", "stuck-orphan"])
      await waitClusterReady(env.namespace, name);
    // Break the provider: a wrong secret key (the operator re-checks when its Secret changes).
    await createSecret(env.namespace, "breakable-credentials", {
      "access-key-id": "test",
      "secret-access-key": "Wrong-Secret-Key-For-Recovery-0d81",
    });
    await waitFor(
      "the provider to be not Ready",
      () => getObj(env.namespace, PROVIDERS, "breakable-aws"),
      (p) => p.status?.ready === false,
      60_000,
    );
  });

  test("a Delete-policy object stays while the provider is broken, and says why", async () => {
    await deleteCluster(env.namespace, "stuck-one");
    const obj = await waitCondition(
      env.namespace,
      "stuck-one",
      "Ready",
      (c) => c.reason === "ProviderNotReady",
    );
    assert.match(condition(obj, "Ready")?.message ?? "", /breakable-aws/);
    await sleep(2000);
    assert.ok(
      await findObj(env.namespace, CLUSTERS, "stuck-one"),
      "deleted although AWS could not be reached",
    );
    assert.equal((await awsCacheCluster(env.cloud.aws, "stuck-one"))?.CacheClusterStatus, "available");
  });

  test("Option 1: deletionPolicy Retain, then delete: the object goes, the cache stays", async () => {
    await kubectlOk([
      "patch",
      CLUSTERS,
      "stuck-one",
      "-n",
      env.namespace,
      "--type",
      "merge",
      "-p",
      '{"spec":{"deletionPolicy":"Retain"}}',
    ]);
    // "Then delete": the object may already be gone (it was deleting; Retain released it at once).
    await kubectlOk([
      "delete",
      CLUSTERS,
      "stuck-one",
      "-n",
      env.namespace,
      "--wait=false",
      "--ignore-not-found",
    ]);
    await waitGone(env.namespace, "stuck-one", 30_000);
    assert.equal((await awsCacheCluster(env.cloud.aws, "stuck-one"))?.CacheClusterStatus, "available");
  });

  test("Option 2: empty the finalizers: the object goes, the cache stays (delete it in AWS by hand)", async () => {
    await deleteCluster(env.namespace, "stuck-two");
    await sleep(2000);
    assert.ok(await findObj(env.namespace, CLUSTERS, "stuck-two"));
    await kubectlOk([
      "patch",
      CLUSTERS,
      "stuck-two",
      "-n",
      env.namespace,
      "-p",
      '{"metadata":{"finalizers":[]}}',
      "--type=merge",
    ]);
    await waitGone(env.namespace, "stuck-two", 30_000);
    assert.equal((await awsCacheCluster(env.cloud.aws, "stuck-two"))?.CacheClusterStatus, "available");
  });

  test("deletionPolicy Orphan never waits for a broken provider either (the cache stays, tags untouched)", async () => {
    const patched = await patchCluster(env.namespace, "stuck-orphan", { spec: { deletionPolicy: "Orphan" } });
    assert.equal(patched.code, 0, patched.stderr);
    await deleteCluster(env.namespace, "stuck-orphan");
    await waitGone(env.namespace, "stuck-orphan", 30_000);
    assert.equal((await awsCacheCluster(env.cloud.aws, "stuck-orphan"))?.CacheClusterStatus, "available");
    // AWS could not be reached to strip the ownership tags: they stay, and an Event said so.
    const tags = await awsTags(env.cloud.aws, clusterArn("stuck-orphan"));
    assert.equal(tags["infra-operator.runner.codes/owner"], `${env.namespace}/stuck-orphan`);
  });

  test("what an Orphan left tagged is never adopted by a new object of the same name, nor deleted by it", async () => {
    // The same namespace/name and clusterID, through a working provider: a different object (uid).
    // Its own connection Secret name: the old object's Secret stays (no garbage collector here).
    const second = redis("stuck-orphan");
    (second.spec as Record<string, unknown>).connectionSecret = { name: "stuck-orphan-second" };
    await applyObject(env.namespace, second);
    const refused = await waitCondition(
      env.namespace,
      "stuck-orphan",
      "Ready",
      (c) => c.reason === "NotOwned",
    );
    assert.match(condition(refused, "Ready")?.message ?? "", /earlier object named .*stuck-orphan/);
    const before = await awsTags(env.cloud.aws, clusterArn("stuck-orphan"));
    assert.notEqual(
      before["infra-operator.runner.codes/uid"],
      refused.metadata.uid,
      "the uid tag was taken over",
    );
    // Delete is the default policy: the cache it never owned must survive the object's deletion.
    await deleteCluster(env.namespace, "stuck-orphan");
    await waitGone(env.namespace, "stuck-orphan", 30_000);
    assert.equal((await awsCacheCluster(env.cloud.aws, "stuck-orphan"))?.CacheClusterStatus, "available");
  });
});
