// What every install of the operator on the real node must show (test/e2e/node/*.test.ts): the Pod
// Ready through its probes as uid 1000, the Lease held by that Pod, /metrics scraped from the Pod's
// port and accepted by Prometheus's own text parser, and the documentation's manifests Ready
// through the Pod against the local cloud (each cache created once).
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { awsCacheCluster } from "../../support/localcloud.ts";
import { readManifests } from "../../support/manifests.ts";
import { runToolOk, type TestNode } from "../../support/node.ts";
import {
  type CloudOnNode,
  httpGet,
  leaseHolder,
  NAMESPACE,
  operatorPods,
  type PodInfo,
  waitOperatorReady,
} from "../../support/node-operator.ts";
import {
  applyObject,
  clusterObject,
  getObj,
  PROVIDERS,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { repoPath } from "../../support/paths.ts";
import { parseMetricsPage } from "../../support/promql.ts";
import { waitFor } from "../../support/wait.ts";

export const timings: Record<string, number> = {};

export async function operatorRuns(t: TestContext, node: TestNode, installedAt: number): Promise<PodInfo> {
  let pod: PodInfo | undefined;
  await t.test(
    "the operator Pod becomes Ready through its probes, as uid 1000, without restarts",
    async () => {
      [pod] = await waitOperatorReady(node);
      timings.podReadyMs = Date.now() - installedAt;
      assert.ok(pod);
      assert.equal(pod.restarts, 0);
      const json = JSON.parse(
        await runToolOk(node.kubectl, ["get", "pod", pod.name, "-n", NAMESPACE, "-o", "json"]),
      );
      const container = json.spec.containers[0];
      assert.equal(container.securityContext.readOnlyRootFilesystem, true);
      assert.equal(container.readinessProbe.httpGet.path, "/readyz");
      // The kubelet ran the image's USER (the Pod sets no runAsUser): uid 1000 from the image config.
      assert.equal(json.spec.securityContext.runAsUser ?? container.securityContext.runAsUser, undefined);
      const uid = await runToolOk(node.kubectl, [
        "exec",
        "-n",
        NAMESPACE,
        pod.name,
        "--",
        "node",
        "-p",
        "process.getuid()",
      ]);
      assert.equal(uid.trim(), "1000");
    },
  );
  assert.ok(pod, "the operator Pod is Ready");
  const leader = pod;

  await t.test("the operator Pod holds the leader Lease", async () => {
    const holder = await waitFor(
      "the Lease's holder",
      () => leaseHolder(node),
      (h) => h !== "",
      60_000,
    );
    assert.ok(holder.startsWith(`${leader.name}_`), `holder ${holder} is Pod ${leader.name}`);
  });

  await t.test("/metrics on the Pod's port parses with Prometheus's text parser", async () => {
    const page = await httpGet(leader.ip, 8080, "/metrics");
    assert.equal(page.status, 200);
    const families = parseMetricsPage(page.body);
    assert.equal(families.infra_operator_workqueue_depth?.type, "GAUGE");
    const health = await httpGet(leader.ip, 8080, "/healthz");
    assert.equal(health.status, 200);
  });
  return leader;
}

/** `kubectl apply` of the objects as one List. */
function applyList(node: TestNode, objects: unknown[]): Promise<string> {
  return runToolOk(
    node.kubectl,
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
  );
}

/** examples/localstack.yaml as written, but for its endpoint: the local cloud's, as the Pod reaches it. */
function documentedProviders(cloud: CloudOnNode): unknown[] {
  return readManifests(repoPath("examples", "localstack.yaml")).map((p) => ({
    ...p,
    spec: { ...(p.spec as object), endpoint: cloud.url },
  }));
}

/** examples/aws-credentials.yaml, examples/localstack.yaml (plus the local cloud's endpoint) and examples/e2e-redis-simple.yaml, as written. */
export async function documentedManifestsReady(
  t: TestContext,
  node: TestNode,
  cloud: CloudOnNode,
): Promise<void> {
  await t.test("the documentation's provider and cluster become Ready through the Pod", async () => {
    await cloud.cloud.resetCalls();
    const apply = (objects: unknown[]) => applyList(node, objects);
    await apply(readManifests(repoPath("examples", "aws-credentials.yaml")));
    await apply(documentedProviders(cloud));
    await waitFor(
      "AWSProvider default/localstack Ready",
      () => getObj("default", PROVIDERS, "localstack"),
      (p) => p.status?.ready === true,
      90_000,
    );
    const [cluster] = readManifests(repoPath("examples", "e2e-redis-simple.yaml"));
    assert.ok(cluster);
    const started = Date.now();
    await apply([cluster]);
    await waitClusterReady("default", "e2e-redis-simple", 180_000);
    timings.clusterReadyMs = Date.now() - started;
    const aws = await awsCacheCluster(cloud.cloud.aws, "e2e-redis-simple");
    assert.equal(aws?.CacheClusterStatus, "available");
    const calls = await cloud.cloud.calls();
    assert.equal(
      calls.byAction["elasticache:CreateCacheCluster"],
      1,
      `created exactly once; errors answered: ${JSON.stringify(calls.byErrorCode)}; calls by client: ${JSON.stringify(calls.byClient)}`,
    );
  });
}

/** After work: the reconcile and AWS call counters on the Pod's /metrics count it. */
export async function metricsCountWork(t: TestContext, pod: PodInfo): Promise<void> {
  await t.test("the Pod's /metrics counts the reconciles and AWS calls (Prometheus's parser)", async () => {
    const families = parseMetricsPage((await httpGet(pod.ip, 8080, "/metrics")).body);
    for (const name of ["infra_operator_reconcile_total", "infra_operator_aws_calls_total"]) {
      assert.equal(
        families[name]?.type,
        "COUNTER",
        `family ${name} among ${Object.keys(families).join(", ")}`,
      );
      const total = (families[name]?.samples ?? []).reduce((n, s) => n + s.value, 0);
      assert.ok(total > 0, `${name} counted ${total}`);
    }
  });
}

/** Deletes the documented cluster (deletionPolicy: Delete): gone from Kubernetes and from AWS. */
export async function documentedClusterDeleted(
  t: TestContext,
  node: TestNode,
  cloud: CloudOnNode,
): Promise<void> {
  await t.test(
    "deleting the cluster deletes the cache (deletionPolicy: Delete) and its finalizer goes",
    async () => {
      await runToolOk(
        node.kubectl,
        ["delete", "elasticachecluster", "e2e-redis-simple", "-n", "default", "--timeout=150s"],
        undefined,
        180_000,
      );
      await waitFor(
        "the cache gone from AWS",
        () => awsCacheCluster(cloud.cloud.aws, "e2e-redis-simple"),
        (c) => c === undefined || c.CacheClusterStatus === "deleted",
        120_000,
      );
      await runToolOk(node.kubectl, [
        "delete",
        "awsprovider",
        "localstack",
        "-n",
        "default",
        "--timeout=60s",
      ]);
    },
  );
}

/** The documented provider again and a memcached cache (deletionPolicy: Delete) left in place for an uninstall. */
export async function cacheLeftInPlace(t: TestContext, node: TestNode, cloud: CloudOnNode): Promise<void> {
  await t.test("a cache left in place (deletionPolicy: Delete) is Ready", async () => {
    await applyList(node, documentedProviders(cloud));
    await applyObject(
      "default",
      clusterObject("kept-cache", {
        providerRef: { name: "localstack" },
        clusterID: "kept-node-mc",
        engine: "memcached",
        engineVersion: "1.6.17",
        nodeType: "cache.t3.micro",
        numCacheNodes: 1,
        deletionPolicy: "Delete",
      }),
    );
    await waitClusterReady("default", "kept-cache", 180_000);
  });
}

/** After an uninstall that keeps the CRDs: the object is still there and so is its cache. */
export async function cacheOutlivesUninstall(t: TestContext, cloud: CloudOnNode): Promise<void> {
  await t.test(
    "the uninstall deleted no cache: the object stays (CRDs kept) and its cache is available",
    async () => {
      const object = await getObj("default", "elasticacheclusters", "kept-cache");
      assert.equal(object.metadata?.deletionTimestamp, undefined);
      assert.equal((await awsCacheCluster(cloud.cloud.aws, "kept-node-mc"))?.CacheClusterStatus, "available");
      const calls = await cloud.cloud.calls();
      assert.equal(
        calls.byAction["elasticache:DeleteCacheCluster"] ?? 0,
        1,
        "only the documented cache was deleted",
      );
    },
  );
}

/** Names of the objects (kind/name) still in the cluster with the given label selector. */
export async function labelled(node: TestNode, selector: string, kinds: string): Promise<string[]> {
  const out = await runToolOk(node.kubectl, ["get", kinds, "-A", "-l", selector, "-o", "name"]);
  return out.split("\n").filter((l) => l.trim() !== "");
}

export { operatorPods };
