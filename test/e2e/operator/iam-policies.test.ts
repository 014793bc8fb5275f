// The operator under identities that hold only an IAM policy, enforced by the local cloud:
// - the documentation's policy (documented-policy.json, copied from the spec as written): create,
//   modify, tags and delete all work (the operator needs no call outside it for those); replica
//   scaling and resharding, which it lacks, yield an AccessDenied condition naming the action;
// - the project's complete policy (docs/iam-policy.json): everything works, scaling included.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { ReplicationGroup } from "@aws-sdk/client-elasticache";
import { awsCacheCluster, awsReplicationGroup, awsTags, clusterArn } from "../../support/localcloud.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  CLUSTERS,
  clusterObject,
  condition,
  deleteCluster,
  getObj,
  type OperatorEnv,
  patchCluster,
  startOperatorEnv,
  waitClusterReady,
  waitGone,
} from "../../support/operator-env.ts";
import { repoPath } from "../../support/paths.ts";
import { waitFor } from "../../support/wait.ts";

const DOCUMENTED = {
  name: "documented-policy-user",
  accessKeyId: "AKIADOCUMENTEDPOLICY1",
  secretAccessKey: "documented-policy-secret-key-5c1f2a7e",
  policies: [JSON.parse(readFileSync(new URL("./documented-policy.json", import.meta.url), "utf8"))],
};
const COMPLETE = {
  name: "complete-policy-user",
  accessKeyId: "AKIACOMPLETEPOLICY001",
  secretAccessKey: "complete-policy-secret-key-93b7d0c4",
  policies: [JSON.parse(readFileSync(repoPath("docs", "iam-policy.json"), "utf8"))],
};

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({
    users: [DOCUMENTED, COMPLETE],
    secrets: {
      "documented-credentials": {
        "access-key-id": DOCUMENTED.accessKeyId,
        "secret-access-key": DOCUMENTED.secretAccessKey,
      },
      "complete-credentials": {
        "access-key-id": COMPLETE.accessKeyId,
        "secret-access-key": COMPLETE.secretAccessKey,
      },
    },
    providers: [
      { name: "documented-aws", secretName: "documented-credentials" },
      { name: "complete-aws", secretName: "complete-credentials" },
    ],
  });
});

after(async () => {
  await env?.stop();
});

function onProvider(provider: string, name: string, spec: Record<string, unknown>) {
  const obj = clusterObject(name, { clusterID: name, engine: "redis", nodeType: "cache.t3.micro", ...spec });
  (obj.spec as { providerRef: { name: string } }).providerRef.name = provider;
  return obj;
}

const members = (g: ReplicationGroup | undefined) => g?.NodeGroups?.[0]?.NodeGroupMembers?.length ?? 0;

async function lifecycleWorks(provider: string, name: string): Promise<void> {
  await applyObject(env.namespace, onProvider(provider, name, { tags: { team: "a" } }));
  await waitClusterReady(env.namespace, name);
  assert.equal(
    (await patchCluster(env.namespace, name, { spec: { cacheNodeType: "cache.t3.small" } })).code,
    0,
  );
  await waitFor(
    `${name} resized in AWS`,
    () => awsCacheCluster(env.cloud.aws, name),
    (c) => c?.CacheNodeType === "cache.t3.small" && c.CacheClusterStatus === "available",
  );
  await waitClusterReady(env.namespace, name);
  assert.equal((await patchCluster(env.namespace, name, { spec: { tags: { team: "b" } } })).code, 0);
  await waitFor(
    `${name} retagged in AWS`,
    () => awsTags(env.cloud.aws, clusterArn(name)),
    (t) => t.team === "b",
  );
  await waitClusterReady(env.namespace, name);
  await deleteCluster(env.namespace, name);
  await waitGone(env.namespace, name);
  assert.equal(await awsCacheCluster(env.cloud.aws, name), undefined);
}

async function replicaGroup(provider: string, name: string): Promise<void> {
  await applyObject(
    env.namespace,
    onProvider(provider, name, { replicationGroupDescription: "iam replicas", replicasPerNodeGroup: 1 }),
  );
  await waitClusterReady(env.namespace, name, 180_000);
}

async function shardedGroup(provider: string, name: string): Promise<void> {
  await applyObject(
    env.namespace,
    onProvider(provider, name, {
      replicationGroupDescription: "iam shards",
      numNodeGroups: 1,
      replicasPerNodeGroup: 1,
      automaticFailoverEnabled: true,
    }),
  );
  await waitClusterReady(env.namespace, name, 180_000);
}

async function accessDenied(name: string, action: string): Promise<void> {
  const obj = await waitFor(
    `AccessDenied on ${name}`,
    () => getObj(env.namespace, CLUSTERS, name),
    (o) => condition(o, "Synced")?.reason === "AccessDenied",
    60_000,
  );
  const synced = condition(obj, "Synced");
  assert.equal(synced?.status, "False");
  assert.match(synced?.message ?? "", new RegExp(action), `the condition does not name ${action}`);
}

describe("the documentation's IAM policy", () => {
  test("create, modify, tags and delete work", async () => {
    await lifecycleWorks("documented-aws", "doc-lifecycle");
  });

  test("replica scaling is denied: AccessDenied names elasticache:IncreaseReplicaCount; AWS unchanged", async () => {
    await replicaGroup("documented-aws", "doc-replicas");
    assert.equal(
      (await patchCluster(env.namespace, "doc-replicas", { spec: { replicasPerNodeGroup: 2 } })).code,
      0,
    );
    await accessDenied("doc-replicas", "elasticache:IncreaseReplicaCount");
    assert.equal(members(await awsReplicationGroup(env.cloud.aws, "doc-replicas")), 2);
  });

  test("resharding is denied: AccessDenied names elasticache:ModifyReplicationGroupShardConfiguration", async () => {
    await shardedGroup("documented-aws", "doc-shards");
    assert.equal((await patchCluster(env.namespace, "doc-shards", { spec: { numNodeGroups: 2 } })).code, 0);
    await accessDenied("doc-shards", "elasticache:ModifyReplicationGroupShardConfiguration");
    assert.equal((await awsReplicationGroup(env.cloud.aws, "doc-shards"))?.NodeGroups?.length, 1);
  });
});

describe("the project's complete policy (docs/iam-policy.json)", () => {
  test("create, modify, tags and delete work", async () => {
    await lifecycleWorks("complete-aws", "full-lifecycle");
  });

  test("replica scaling works", async () => {
    await replicaGroup("complete-aws", "full-replicas");
    assert.equal(
      (await patchCluster(env.namespace, "full-replicas", { spec: { replicasPerNodeGroup: 2 } })).code,
      0,
    );
    await waitFor(
      "a third member",
      () => awsReplicationGroup(env.cloud.aws, "full-replicas"),
      (g) => members(g) === 3 && g?.Status === "available",
      180_000,
    );
    await waitClusterReady(env.namespace, "full-replicas");
    assert.equal(
      (await patchCluster(env.namespace, "full-replicas", { spec: { replicasPerNodeGroup: 1 } })).code,
      0,
    );
    await waitFor(
      "back to two members",
      () => awsReplicationGroup(env.cloud.aws, "full-replicas"),
      (g) => members(g) === 2 && g?.Status === "available",
      180_000,
    );
    await waitClusterReady(env.namespace, "full-replicas");
  });

  test("resharding works", async () => {
    await shardedGroup("complete-aws", "full-shards");
    assert.equal((await patchCluster(env.namespace, "full-shards", { spec: { numNodeGroups: 2 } })).code, 0);
    await waitFor(
      "a second shard",
      () => awsReplicationGroup(env.cloud.aws, "full-shards"),
      (g) => g?.NodeGroups?.length === 2 && g.Status === "available",
      180_000,
    );
    await waitClusterReady(env.namespace, "full-shards");
  });

  test("no access denial was met on the way", async () => {
    const calls = await env.cloud.calls();
    for (const name of ["full-replicas", "full-shards"]) {
      const synced = condition(await getObj(env.namespace, CLUSTERS, name), "Synced");
      assert.notEqual(synced?.reason, "AccessDenied");
    }
    assert.ok((calls.byAccessKey[COMPLETE.accessKeyId] ?? 0) > 0, "the complete-policy user made no call");
  });
});

test("no access key secret or token in the operator's log or Events", async () => {
  await assertNoSecretsLeaked(env, [DOCUMENTED.secretAccessKey, COMPLETE.secretAccessKey]);
});
