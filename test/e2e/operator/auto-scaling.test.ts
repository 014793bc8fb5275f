// End to end: spec.autoScaling against the real API server, the operator and the local cloud, with
// the scaling decided by the local cloud from the real engines' memory (no test sets a metric).
// A one-shard cluster-mode cache tracks 50 % memory within 1-3 shards: real keys past the target
// add a shard (slots and keys move; every key stays readable), the operator reports the count and
// the activity and never reverts it; a spec change updates the policy; deleting the keys scales in;
// dropping autoScaling deregisters the target and numNodeGroups applies again; deleting the object
// deregisters the targets before the group goes. Replicas follow a replica's engine CPU under a
// load generator. Under the IAM policy without the Application Auto Scaling actions the condition
// names the missing one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { redisCli } from "../../../src/localcloud/testing/harness.ts";
import { busyEngine, clusterKeyCount, fillKeys, flushCluster } from "../../../src/localcloud/testing/load.ts";
import { awsReplicationGroup, REGION, ROOT_KEYS } from "../../support/localcloud.ts";
import {
  applyObject,
  CLUSTERS,
  type ClusterObject,
  clusterObject,
  condition,
  deleteCluster,
  eventsFor,
  getObj,
  type OperatorEnv,
  patchCluster,
  startOperatorEnv,
  waitClusterReady,
  waitGone,
} from "../../support/operator-env.ts";
import { repoPath } from "../../support/paths.ts";
import { sleep, waitFor } from "../../support/wait.ts";

const policy = JSON.parse(readFileSync(repoPath("docs", "iam-policy.json"), "utf8")) as {
  Statement: { Sid: string }[];
};
const COMPLETE = {
  name: "autoscaling-user",
  accessKeyId: "AKIAAUTOSCALING00001",
  secretAccessKey: "autoscaling-user-secret-4d1e9b",
  policies: [policy],
};
const WITHOUT_AUTOSCALING = {
  name: "no-autoscaling-user",
  accessKeyId: "AKIANOAUTOSCALING001",
  secretAccessKey: "no-autoscaling-secret-8a2c5f",
  policies: [{ ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "ManageAutoScaling") }],
};

let env: OperatorEnv;
let as: ApplicationAutoScalingClient;

before(async () => {
  env = await startOperatorEnv({
    users: [COMPLETE, WITHOUT_AUTOSCALING],
    secrets: {
      "autoscaling-credentials": {
        "access-key-id": COMPLETE.accessKeyId,
        "secret-access-key": COMPLETE.secretAccessKey,
      },
      "limited-credentials": {
        "access-key-id": WITHOUT_AUTOSCALING.accessKeyId,
        "secret-access-key": WITHOUT_AUTOSCALING.secretAccessKey,
      },
    },
    providers: [
      { name: "scaling-aws", secretName: "autoscaling-credentials" },
      { name: "limited-aws", secretName: "limited-credentials" },
    ],
    // cache.t3.micro: 512 MiB / 64 = 8 MiB per node; metric periods of 500 ms instead of 60 s.
    cloudSettings: { nodeMemoryDivisor: 64, metricPeriodMs: 500 },
  });
  as = new ApplicationAutoScalingClient({
    region: REGION,
    endpoint: env.cloud.url,
    credentials: ROOT_KEYS,
    maxAttempts: 2,
  });
});
after(async () => {
  as?.destroy();
  await env?.stop();
});

const resource = (id: string) => ({
  ServiceNamespace: "elasticache" as const,
  ResourceIds: [`replication-group/${id}`],
});
const shardsOf = async (id: string) => {
  const g = await awsReplicationGroup(env.cloud.aws, id);
  return g?.Status === "available" ? g.NodeGroups?.length : undefined;
};
type Scaling = {
  shards?: { current?: number; min: number; max: number };
  replicas?: { current?: number; min: number; max: number };
  lastActivity?: { description: string; status: string; cause?: string };
};
const scalingOf = (o: ClusterObject) => o.status?.autoScaling as Scaling | undefined;
const waitStatus = (
  name: string,
  what: string,
  ok: (s: Scaling | undefined) => boolean,
  timeoutMs = 120_000,
) =>
  waitFor(
    what,
    () => getObj(env.namespace, CLUSTERS, name),
    (o) => ok(scalingOf(o)),
    timeoutMs,
  );

function scaledCluster(name: string, autoScaling: unknown, provider = "scaling-aws", replicas = 0) {
  const obj = clusterObject(name, {
    clusterID: name,
    engine: "redis",
    nodeType: "cache.t3.micro",
    replicationGroupDescription: "auto scaled",
    numNodeGroups: 1,
    replicasPerNodeGroup: replicas,
    autoScaling,
  });
  (obj.spec as { providerRef: { name: string } }).providerRef.name = provider;
  return obj;
}

test("shards follow the engines' memory; the operator reports and never reverts; dropping autoScaling restores numNodeGroups; delete deregisters", async (tc) => {
  const name = "scaled";
  await applyObject(
    env.namespace,
    scaledCluster(name, { shards: { min: 1, max: 3, targetMemoryPercent: 50, scaleInCooldownSeconds: 60 } }),
  );
  const ready = await waitClusterReady(env.namespace, name, 180_000);
  await waitStatus(name, "status.autoScaling.shards", (s) => s?.shards?.current === 1 && s.shards.max === 3);
  const targets = await as.send(new DescribeScalableTargetsCommand(resource(name)));
  assert.deepEqual(
    targets.ScalableTargets?.map((t) => [t.ScalableDimension, t.MinCapacity, t.MaxCapacity]),
    [["elasticache:replication-group:NodeGroups", 1, 3]],
  );
  const port = ready.status?.configurationEndpoint?.port as number;

  // Real keys past the target: the local cloud's target tracking adds a shard.
  fillKeys(port, 3000, 1000);
  const crossed = Date.now();
  await waitFor(
    `${name} at 2 shards in AWS`,
    () => shardsOf(name),
    (n) => n === 2,
    120_000,
  );
  tc.diagnostic(
    `${((Date.now() - crossed) / 1000).toFixed(1)} s from crossing the target to the second shard available (500 ms metric periods)`,
  );
  await waitStatus(
    name,
    "status.autoScaling showing 2 shards and the activity",
    (s) =>
      s?.shards?.current === 2 &&
      s.lastActivity?.description === "Setting node group count to 2." &&
      s.lastActivity.status === "Successful",
  );
  assert.equal(clusterKeyCount(port), 3000, "every key is still there");
  for (const i of [0, 1234, 2999])
    assert.equal(redisCli(["-c", "-p", String(port), "STRLEN", `load:${i}`]), "1000");
  const events = await eventsFor(env.namespace, name);
  assert.ok(
    events.some((e) => e.reason === "AutoScaling" && /Setting node group count to 2\./.test(e.message)),
    `an AutoScaling event names the activity: ${JSON.stringify(events)}`,
  );
  // Several resyncs later the operator has not reverted to numNodeGroups: 1, nor calls it drift.
  await sleep(12_000);
  assert.equal(await shardsOf(name), 2);
  const settled = await getObj(env.namespace, CLUSTERS, name);
  assert.equal(condition(settled, "Synced")?.status, "True");
  const later = await eventsFor(env.namespace, name);
  assert.ok(!later.some((e) => ["Resharding", "DriftCorrected"].includes(e.reason)), JSON.stringify(later));

  // A spec change updates the policy in place.
  assert.equal(
    (
      await patchCluster(env.namespace, name, {
        spec: { autoScaling: { shards: { targetMemoryPercent: 60 } } },
      })
    ).code,
    0,
  );
  await waitFor(
    "the policy's target at 60",
    async () =>
      (
        await as.send(
          new DescribeScalingPoliciesCommand({
            ServiceNamespace: "elasticache",
            ResourceId: `replication-group/${name}`,
          }),
        )
      ).ScalingPolicies?.[0]?.TargetTrackingScalingPolicyConfiguration?.TargetValue,
    (v) => v === 60,
    60_000,
  );

  // The keys go: below 90 % of the target for 15 periods, one shard is enough again.
  flushCluster(port);
  await waitFor(
    `${name} back at 1 shard`,
    () => shardsOf(name),
    (n) => n === 1,
    120_000,
  );
  await waitStatus(
    name,
    "status.autoScaling at 1 shard",
    (s) => s?.shards?.current === 1 && s.lastActivity?.description === "Setting node group count to 1.",
  );

  // Without autoScaling the target is deregistered and numNodeGroups applies again.
  assert.equal(
    (await patchCluster(env.namespace, name, { spec: { autoScaling: null, numNodeGroups: 2 } })).code,
    0,
  );
  await waitFor(
    "the target deregistered",
    () => as.send(new DescribeScalableTargetsCommand(resource(name))),
    (o) => o.ScalableTargets?.length === 0,
    60_000,
  );
  await waitFor(
    `${name} resharded to numNodeGroups 2`,
    () => shardsOf(name),
    (n) => n === 2,
    120_000,
  );
  await waitFor(
    "status.autoScaling gone",
    () => getObj(env.namespace, CLUSTERS, name),
    (o) => o.status?.autoScaling === undefined,
    60_000,
  );

  // Registered again, then deleted: the target goes with the cache.
  assert.equal(
    (
      await patchCluster(env.namespace, name, {
        spec: { autoScaling: { shards: { min: 2, max: 3, targetMemoryPercent: 50 } } },
      })
    ).code,
    0,
  );
  await waitFor(
    "the target registered again",
    () => as.send(new DescribeScalableTargetsCommand(resource(name))),
    (o) => o.ScalableTargets?.length === 1,
    60_000,
  );
  await deleteCluster(env.namespace, name);
  await waitGone(env.namespace, name, 180_000);
  assert.equal(await awsReplicationGroup(env.cloud.aws, name), undefined);
  const left = await as.send(new DescribeScalableTargetsCommand(resource(name)));
  assert.deepEqual(left.ScalableTargets, []);
});

test("replicas follow a replica's engine CPU under a load generator", async (tc) => {
  const name = "scaled-replicas";
  await applyObject(
    env.namespace,
    scaledCluster(name, { replicas: { min: 1, max: 2, targetCPUPercent: 25 } }, "scaling-aws", 1),
  );
  await waitClusterReady(env.namespace, name, 180_000);
  await waitStatus(
    name,
    "status.autoScaling.replicas",
    (s) => s?.replicas?.current === 1 && s.replicas.max === 2,
  );
  const group = await awsReplicationGroup(env.cloud.aws, name);
  // Cluster mode reports no roles; the group was created with -001 as the primary.
  const replica = group?.NodeGroups?.[0]?.NodeGroupMembers?.find(
    (m) => m.CacheClusterId === `${name}-0001-002`,
  );
  const load = busyEngine(replica?.ReadEndpoint?.Port as number);
  try {
    const started = Date.now();
    await waitStatus(
      name,
      "status.autoScaling showing 2 replicas",
      (s) =>
        s?.replicas?.current === 2 && s.lastActivity?.description === "Setting replicas per node group to 2.",
    );
    tc.diagnostic(
      `${((Date.now() - started) / 1000).toFixed(1)} s from starting the load to 2 replicas in status`,
    );
  } finally {
    load.stop();
  }
  await waitStatus(name, "back to 1 replica once idle", (s) => s?.replicas?.current === 1);
  await deleteCluster(env.namespace, name);
  await waitGone(env.namespace, name, 180_000);
});

test("without the Application Auto Scaling actions, Synced=False names the Application Auto Scaling action", async () => {
  const name = "scaled-denied";
  await applyObject(
    env.namespace,
    scaledCluster(name, { shards: { min: 1, max: 2, targetCPUPercent: 70 } }, "limited-aws"),
  );
  const obj = await waitFor(
    "AccessDenied",
    () => getObj(env.namespace, CLUSTERS, name),
    (o) => condition(o, "Synced")?.reason === "AccessDenied",
    180_000,
  );
  assert.match(
    condition(obj, "Synced")?.message ?? "",
    /the AWS identity lacks application-autoscaling:DescribeScalableTargets/,
  );
  await deleteCluster(env.namespace, name);
  await waitGone(env.namespace, name, 180_000);
});
