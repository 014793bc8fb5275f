// Two operator replicas on the real node (Helm, replicaCount 2, leader election on the Lease):
// the leader Pod deleted in the middle of a create -> the other Pod takes the Lease (time measured)
// and the cache is created exactly once (the local cloud counts the calls); the leader's container
// SIGKILLed in the middle of a modify -> the change converges with no second create; a
// `kubectl rollout restart` -> new Pods lead, and deleting the cache leaves no stuck finalizer.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { awsCacheCluster } from "../../support/localcloud.ts";
import { nodeTestsSkipReason, runToolOk, startNode, type TestNode } from "../../support/node.ts";
import {
  type CloudOnNode,
  chartValues,
  helmInstall,
  leaseHolder,
  NAMESPACE,
  operatorPods,
  prepareNamespace,
  startCloudOnNode,
  waitOperatorReady,
} from "../../support/node-operator.ts";
import {
  applyObject,
  applyProvider,
  CLUSTERS,
  clusterObject,
  createSecret,
  getObj,
  patchCluster,
  waitClusterReady,
  waitGone,
  waitProviderReady,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

const skip = nodeTestsSkipReason();
const TENANT = "failover";
const CLUSTER_ID = "failover-mc";
/** Each AWS transition (creating, modifying) takes this long in the local cloud: time to kill mid-way. */
const PACE_MS = 12_000;

describe("two operator replicas on the real node: failover mid-create and mid-modify", { skip }, () => {
  let node: TestNode;
  let cloud: CloudOnNode;
  const figures: Record<string, number> = {};
  before(async () => {
    node = await startNode();
    cloud = await startCloudOnNode(node, { transitionDelayMs: PACE_MS });
    await prepareNamespace(node, cloud);
    await helmInstall(node, "infra-operator", chartValues(node, cloud, { replicaCount: 2 }));
    await runToolOk(node.kubectl, ["create", "namespace", TENANT]);
    await createSecret(TENANT, "aws-credentials", { "access-key-id": "test", "secret-access-key": "test" });
    await applyProvider(TENANT, cloud.url, { name: "localstack" });
    await waitProviderReady(TENANT, "localstack");
  });
  after(async () => {
    process.stderr.write(`failover figures: ${JSON.stringify(figures)}\n`);
    await cloud?.stop();
    await node?.stop();
  });

  /** The Lease holder: the leading process's identity, "<pod name>_<random per process>". */
  const leaderIdentity = () =>
    waitFor(
      "a Lease holder",
      () => leaseHolder(node),
      (h) => h !== "",
      60_000,
    );
  const leaderPod = async () => {
    const holder = await leaderIdentity();
    return holder.slice(0, holder.lastIndexOf("_"));
  };

  test("the leader Pod deleted mid-create: the other takes over, the cache is created once", async () => {
    const pods = await waitOperatorReady(node, 2);
    const leader = await leaderPod();
    assert.ok(
      pods.some((p) => p.name === leader),
      `leader ${leader} is one of ${pods.map((p) => p.name)}`,
    );
    await cloud.cloud.resetCalls();
    await applyObject(
      TENANT,
      clusterObject("failover-cache", {
        clusterID: CLUSTER_ID,
        engine: "memcached",
        engineVersion: "1.6.17",
        nodeType: "cache.t3.micro",
        numCacheNodes: 1,
      }),
    );
    await waitFor(
      "the cache creating in AWS",
      () => awsCacheCluster(cloud.cloud.aws, CLUSTER_ID),
      (c) => c?.CacheClusterStatus === "creating",
      60_000,
      100,
    );
    const deletedAt = Date.now();
    await runToolOk(node.kubectl, ["delete", "pod", "-n", NAMESPACE, leader, "--wait=false"]);
    const next = await waitFor(
      "another Pod holding the Lease",
      () => leaderPod(),
      (h) => h !== leader,
      90_000,
      100,
    );
    figures.failoverAfterDeleteMs = Date.now() - deletedAt;
    assert.notEqual(next, leader);
    await waitClusterReady(TENANT, "failover-cache", 180_000);
    assert.equal(
      (await cloud.cloud.calls()).byAction["elasticache:CreateCacheCluster"],
      1,
      "created exactly once",
    );
  });

  test("the leader's container SIGKILLed mid-modify: the change converges, no second create", async () => {
    await waitOperatorReady(node, 2);
    const holder = await leaderIdentity();
    const leader = holder.slice(0, holder.lastIndexOf("_"));
    const pod = JSON.parse(
      await runToolOk(node.kubectl, ["get", "pod", "-n", NAMESPACE, leader, "-o", "json"]),
    );
    const containerID = String(pod.status.containerStatuses[0].containerID).replace(/^containerd:\/\//, "");
    const patched = await patchCluster(TENANT, "failover-cache", { spec: { numCacheNodes: 2 } });
    assert.equal(patched.code, 0, patched.stderr);
    await waitFor(
      "the cache modifying in AWS",
      () => awsCacheCluster(cloud.cloud.aws, CLUSTER_ID),
      (c) => c?.CacheClusterStatus === "modifying",
      60_000,
      100,
    );
    const killedAt = Date.now();
    await runToolOk("ctr", [
      "--address",
      node.env.NODE_CONTAINERD_SOCKET as string,
      "-n",
      "k8s.io",
      "tasks",
      "kill",
      "--signal",
      "SIGKILL",
      containerID,
    ]);
    // Either replica may win: the other Pod, or the killed Pod's restarted container (a new process,
    // so a new identity) if the kubelet restarts it before the Lease expires.
    await waitFor(
      "another holder of the Lease",
      () => leaderIdentity(),
      (h) => h !== holder,
      90_000,
      200,
    );
    figures.failoverAfterSigkillMs = Date.now() - killedAt;
    await waitFor(
      "two nodes in AWS and the cluster Ready for the new generation",
      async () => ({
        aws: await awsCacheCluster(cloud.cloud.aws, CLUSTER_ID),
        k8s: await getObj(TENANT, CLUSTERS, "failover-cache"),
      }),
      ({ aws, k8s }) =>
        aws?.CacheClusterStatus === "available" &&
        aws.NumCacheNodes === 2 &&
        k8s.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true &&
        (k8s.status?.observedGeneration ?? 0) >= (k8s.metadata.generation ?? 0),
      180_000,
    );
    const restarted = (await operatorPods(node)).find((p) => p.name === leader);
    assert.ok((restarted?.restarts ?? 0) >= 1, "the kubelet restarted the killed container");
    assert.equal(
      (await cloud.cloud.calls()).byAction["elasticache:CreateCacheCluster"],
      1,
      "no second create",
    );
  });

  test("kubectl rollout restart: new Pods lead; deleting the cache leaves no stuck finalizer", async () => {
    const before = new Set((await operatorPods(node)).map((p) => p.name));
    await runToolOk(node.kubectl, [
      "rollout",
      "restart",
      "deployment",
      "-n",
      NAMESPACE,
      "infra-operator-controller-manager",
    ]);
    await runToolOk(
      node.kubectl,
      [
        "rollout",
        "status",
        "deployment",
        "-n",
        NAMESPACE,
        "infra-operator-controller-manager",
        "--timeout=180s",
      ],
      undefined,
      200_000,
    );
    const pods = await waitOperatorReady(node, 2);
    assert.ok(
      pods.every((p) => !before.has(p.name)),
      "both Pods are new",
    );
    const leader = await waitFor(
      "a new Pod leading",
      () => leaderPod(),
      (h) => pods.some((p) => p.name === h),
      90_000,
    );
    assert.ok(leader);
    await runToolOk(node.kubectl, ["delete", CLUSTERS, "-n", TENANT, "failover-cache", "--wait=false"]);
    await waitGone(TENANT, "failover-cache", 180_000);
    const aws = await awsCacheCluster(cloud.cloud.aws, CLUSTER_ID);
    assert.ok(
      aws === undefined || aws.CacheClusterStatus === "deleting" || aws.CacheClusterStatus === "deleted",
    );
    assert.equal((await cloud.cloud.calls()).byAction["elasticache:DeleteCacheCluster"], 1, "deleted once");
  });
});
