// Every `kubectl patch` of the documentation (and the other documented settings of issue 5),
// applied to running caches: each converges in AWS (checked through the AWS API, not only status)
// and the object comes back Ready for the new generation. The refused ones fail with a message
// that says what to do.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AddTagsToResourceCommand,
  type CacheCluster,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import { memcachedVersion, redisAnswers } from "../../support/endpoints.ts";
import { kubectl } from "../../support/kubectl.ts";
import { awsCacheCluster, awsReplicationGroup, awsTags } from "../../support/localcloud.ts";
import {
  applyObject,
  CLUSTERS,
  clusterObject,
  condition,
  getObj,
  type OperatorEnv,
  patchCluster,
  startOperatorEnv,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv();
});

after(async () => {
  await env?.stop();
});

/** Patches like the documentation (merge patch), then waits until AWS agrees and the object is Ready again. */
async function patchConverges<T>(
  name: string,
  patch: unknown,
  readAws: () => Promise<T | undefined>,
  converged: (aws: T) => boolean,
): Promise<T> {
  const result = await patchCluster(env.namespace, name, patch);
  assert.equal(result.code, 0, `kubectl patch ${JSON.stringify(patch)} was refused: ${result.stderr}`);
  const inAws = await waitFor(
    `AWS to reflect ${JSON.stringify(patch)} on ${name}`,
    readAws,
    (v) => v !== undefined && converged(v),
    180_000,
  );
  await waitClusterReady(env.namespace, name, 180_000);
  return inAws as T;
}

const groupOf = (id: string) => () => awsReplicationGroup(env.cloud.aws, id);
const clusterOf = (id: string) => () => awsCacheCluster(env.cloud.aws, id);
const memberCount = (g: ReplicationGroup) => g.NodeGroups?.[0]?.NodeGroupMembers?.length ?? 0;

describe("documented patches of a single-node Redis (app-cache)", () => {
  const id = "app-redis-cache";
  before(async () => {
    await applyObject(
      env.namespace,
      clusterObject("app-cache", {
        clusterID: id,
        engine: "redis",
        engineVersion: "7.0",
        nodeType: "cache.t3.micro",
      }),
    );
    await waitClusterReady(env.namespace, "app-cache");
  });

  for (const type of ["cache.t3.small", "cache.r6g.xlarge", "cache.t3.micro"]) {
    test(`cacheNodeType ${type} resizes the node in AWS`, async () => {
      const cc = await patchConverges<CacheCluster>(
        "app-cache",
        { spec: { cacheNodeType: type } },
        clusterOf(id),
        (c) => c.CacheNodeType === type && c.CacheClusterStatus === "available",
      );
      assert.equal(cc.CacheNodeType, type);
      const obj = await getObj(env.namespace, CLUSTERS, "app-cache");
      const endpoint = obj.status?.primaryEndpoint ?? obj.status?.configurationEndpoint;
      assert.ok(endpoint);
      assert.equal(await redisAnswers(endpoint), true);
    });
  }

  test("snapshotRetentionLimit 3 and snapshotWindow 02:00-04:00 reach AWS", async () => {
    await patchConverges<CacheCluster>(
      "app-cache",
      { spec: { snapshotRetentionLimit: 3 } },
      clusterOf(id),
      (c) => c.SnapshotRetentionLimit === 3,
    );
    await patchConverges<CacheCluster>(
      "app-cache",
      { spec: { snapshotWindow: "02:00-04:00" } },
      clusterOf(id),
      (c) => c.SnapshotWindow === "02:00-04:00",
    );
  });

  test("tags: added, changed and removed in AWS; foreign tags left alone", async () => {
    const arn = (await awsCacheCluster(env.cloud.aws, id))?.ARN ?? "";
    await env.cloud.aws.send(
      new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: "added-by", Value: "someone-else" }] }),
    );
    await patchConverges(
      "app-cache",
      { spec: { tags: { team: "backend", tier: "cache" } } },
      () => awsTags(env.cloud.aws, arn),
      (t) => t.team === "backend" && t.tier === "cache",
    );
    await patchConverges(
      "app-cache",
      { spec: { tags: { team: "platform", tier: null } } },
      () => awsTags(env.cloud.aws, arn),
      (t) => t.team === "platform" && !("tier" in t),
    );
    assert.equal(
      (await awsTags(env.cloud.aws, arn))["added-by"],
      "someone-else",
      "a tag the operator did not apply was removed",
    );
  });

  test("securityGroupIds reach AWS", async () => {
    const sg = "sg-0e2e00000000000a1";
    await patchConverges<CacheCluster>(
      "app-cache",
      { spec: { securityGroupIds: [sg] } },
      clusterOf(id),
      (c) => (c.SecurityGroups ?? []).some((s) => s.SecurityGroupId === sg),
    );
  });

  test("numCacheNodes 2 on a single-node Redis is refused with a message saying what to do", async () => {
    await expectRefusal(
      "app-cache",
      { spec: { numCacheNodes: 2 } },
      /numCacheNodes|replica|replication group/i,
    );
    const cc = await awsCacheCluster(env.cloud.aws, id);
    assert.equal(cc?.NumCacheNodes, 1, "AWS was changed by a refused patch");
  });

  test("replicasPerNodeGroup 2 on a single-node Redis is refused (needs a replication group)", async () => {
    await expectRefusal(
      "app-cache",
      { spec: { replicasPerNodeGroup: 2 } },
      /replicasPerNodeGroup|replication group|new cluster/i,
    );
    assert.equal(await awsReplicationGroup(env.cloud.aws, id), undefined);
  });

  test("spec.authToken is refused and points to authTokenRef", async () => {
    const result = await patchCluster(env.namespace, "app-cache", { spec: { authToken: "NewToken456!" } });
    assert.notEqual(result.code, 0, "a plaintext token was accepted");
    assert.match(result.stderr, /authTokenRef/);
    assert.doesNotMatch(result.stderr, /NewToken456!/, "the refusal repeats the token");
  });
});

/**
 * A refused change: either the API server rejects the patch (CEL rule) or the operator reports a
 * False Synced condition naming what is wrong; both must match `message`. Reverts in the second case.
 */
async function expectRefusal(
  name: string,
  patch: { spec: Record<string, unknown> },
  message: RegExp,
): Promise<void> {
  const result = await patchCluster(env.namespace, name, patch);
  if (result.code !== 0) {
    assert.match(result.stderr, message);
    return;
  }
  const obj = await waitFor(
    `a refusal condition on ${name}`,
    () => getObj(env.namespace, CLUSTERS, name),
    (o) => {
      const synced = condition(o, "Synced");
      return synced?.status === "False" && (synced.observedGeneration ?? 0) >= o.metadata.generation;
    },
    60_000,
  );
  const synced = condition(obj, "Synced");
  assert.match(`${synced?.reason}: ${synced?.message}`, message);
  // Take the change back: the object becomes Ready again.
  const undo = Object.fromEntries(Object.keys(patch.spec).map((k) => [k, null]));
  assert.equal((await patchCluster(env.namespace, name, { spec: undo })).code, 0);
  await waitClusterReady(env.namespace, name);
}

describe("documented patches of a replication group (app-redis-rg)", () => {
  const id = "app-redis-rg";
  before(async () => {
    await applyObject(
      env.namespace,
      clusterObject("app-rg", {
        clusterID: id,
        engine: "redis",
        engineVersion: "7.0",
        nodeType: "cache.t3.micro",
        replicationGroupDescription: "documented patches",
        replicasPerNodeGroup: 1,
        automaticFailoverEnabled: false,
        multiAZEnabled: false,
      }),
    );
    await waitClusterReady(env.namespace, "app-rg", 180_000);
  });

  test("replicasPerNodeGroup 2 adds a replica in AWS", async () => {
    const g = await patchConverges(
      "app-rg",
      { spec: { replicasPerNodeGroup: 2 } },
      groupOf(id),
      (v) => memberCount(v) === 3 && v.Status === "available",
    );
    assert.equal(memberCount(g), 3);
  });

  test("automaticFailoverEnabled true and multiAZEnabled true reach AWS", async () => {
    await patchConverges(
      "app-rg",
      { spec: { automaticFailoverEnabled: true } },
      groupOf(id),
      (g) => g.AutomaticFailover === "enabled",
    );
    await patchConverges(
      "app-rg",
      { spec: { multiAZEnabled: true } },
      groupOf(id),
      (g) => g.MultiAZ === "enabled",
    );
  });

  test("cacheNodeType cache.r6g.xlarge then cache.t3.micro resize every node", async () => {
    for (const type of ["cache.r6g.xlarge", "cache.t3.micro"]) {
      const g = await patchConverges(
        "app-rg",
        { spec: { cacheNodeType: type } },
        groupOf(id),
        (v) => v.CacheNodeType === type && v.Status === "available",
      );
      assert.equal(g.CacheNodeType, type);
    }
  });

  test("snapshotRetentionLimit 3 and snapshotWindow 02:00-04:00 reach AWS", async () => {
    await patchConverges(
      "app-rg",
      { spec: { snapshotRetentionLimit: 3 } },
      groupOf(id),
      (g) => g.SnapshotRetentionLimit === 3,
    );
    await patchConverges(
      "app-rg",
      { spec: { snapshotWindow: "02:00-04:00" } },
      groupOf(id),
      (g) => g.SnapshotWindow === "02:00-04:00",
    );
  });

  test("replicasPerNodeGroup 0 (after turning failover and Multi-AZ off, as AWS requires) removes the replicas", async () => {
    await patchConverges(
      "app-rg",
      { spec: { multiAZEnabled: false } },
      groupOf(id),
      (g) => g.MultiAZ === "disabled",
    );
    await patchConverges(
      "app-rg",
      { spec: { automaticFailoverEnabled: false } },
      groupOf(id),
      (g) => g.AutomaticFailover === "disabled",
    );
    const g = await patchConverges(
      "app-rg",
      { spec: { replicasPerNodeGroup: 0 } },
      groupOf(id),
      (v) => memberCount(v) === 1 && v.Status === "available",
    );
    assert.equal(memberCount(g), 1);
  });

  test("replicasPerNodeGroup 0 while automatic failover is on is refused with the reason", async () => {
    await patchConverges(
      "app-rg",
      { spec: { replicasPerNodeGroup: 1 } },
      groupOf(id),
      (v) => memberCount(v) === 2 && v.Status === "available",
    );
    await patchConverges(
      "app-rg",
      { spec: { automaticFailoverEnabled: true } },
      groupOf(id),
      (g) => g.AutomaticFailover === "enabled",
    );
    const result = await patchCluster(env.namespace, "app-rg", { spec: { replicasPerNodeGroup: 0 } });
    if (result.code !== 0) {
      assert.match(result.stderr, /automaticFailover|replica/i);
    } else {
      const obj = await waitFor(
        "a refusal of 0 replicas with failover on",
        () => getObj(env.namespace, CLUSTERS, "app-rg"),
        (o) => condition(o, "Synced")?.status === "False",
        60_000,
      );
      assert.match(condition(obj, "Synced")?.message ?? "", /failover|replica/i);
      assert.equal(memberCount((await awsReplicationGroup(env.cloud.aws, id)) ?? {}), 2);
    }
  });
});

describe("Memcached numCacheNodes and cluster-mode resharding", () => {
  test("numCacheNodes 2 -> 3 -> 2 adds and removes memcached nodes in AWS", async () => {
    const id = "sessions-mc";
    await applyObject(
      env.namespace,
      clusterObject("sessions", {
        clusterID: id,
        engine: "memcached",
        nodeType: "cache.t3.micro",
        numCacheNodes: 2,
      }),
    );
    await waitClusterReady(env.namespace, "sessions");
    for (const n of [3, 2]) {
      const cc = await patchConverges<CacheCluster>(
        "sessions",
        { spec: { numCacheNodes: n } },
        clusterOf(id),
        (c) =>
          c.NumCacheNodes === n && c.CacheClusterStatus === "available" && (c.CacheNodes?.length ?? 0) === n,
      );
      for (const node of cc.CacheNodes ?? []) {
        const e = node.Endpoint;
        assert.ok(e?.Address && e.Port);
        assert.match(await memcachedVersion({ address: e.Address, port: e.Port }), /^VERSION/);
      }
    }
  });

  test("numNodeGroups 2 -> 3 reshards in AWS and the cluster keeps answering", async () => {
    const id = "shards-rg";
    await applyObject(
      env.namespace,
      clusterObject("shards", {
        clusterID: id,
        engine: "redis",
        engineVersion: "7.0",
        nodeType: "cache.t3.micro",
        replicationGroupDescription: "resharding",
        numNodeGroups: 2,
        replicasPerNodeGroup: 1,
        automaticFailoverEnabled: true,
      }),
    );
    await waitClusterReady(env.namespace, "shards", 180_000);
    const g = await patchConverges(
      "shards",
      { spec: { numNodeGroups: 3 } },
      groupOf(id),
      (v) => v.NodeGroups?.length === 3 && v.Status === "available",
    );
    assert.equal(g.NodeGroups?.length, 3);
    const obj = await getObj(env.namespace, CLUSTERS, "shards");
    assert.ok(obj.status?.configurationEndpoint);
    assert.equal(await redisAnswers(obj.status.configurationEndpoint), true);
  });

  test("engineVersion upgrade 7.0 -> 7.1 reaches AWS", async () => {
    const id = "upgrade-redis";
    await applyObject(
      env.namespace,
      clusterObject("upgrade", {
        clusterID: id,
        engine: "redis",
        engineVersion: "7.0",
        nodeType: "cache.t3.micro",
      }),
    );
    await waitClusterReady(env.namespace, "upgrade");
    const cc = await patchConverges<CacheCluster>(
      "upgrade",
      { spec: { engineVersion: "7.1" } },
      clusterOf(id),
      (c) => (c.EngineVersion ?? "").startsWith("7.1"),
    );
    assert.match(cc.EngineVersion ?? "", /^7\.1/);
    const versions = await kubectl([
      "get",
      CLUSTERS,
      "upgrade",
      "-n",
      env.namespace,
      "-o",
      "jsonpath={.status.engineVersion}",
    ]);
    assert.match(versions.stdout, /^7\.1/);
  });
});
