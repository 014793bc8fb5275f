// The operator's main scenarios, run by a test file under a packaged ServiceAccount's identity:
// the operator process authenticates with that account's token only, so any verb the packaged
// RBAC lacks shows up as a failed step (and as "forbidden" in its log).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { TestContext } from "node:test";
import { memcachedVersion } from "../../support/endpoints.ts";
import { forbiddenLines } from "../../support/install.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import {
  awsCacheCluster,
  type LocalCloudForTests,
  ROOT_KEYS,
  startCloudForTests,
} from "../../support/localcloud.ts";
import { createTestNamespace } from "../../support/namespace.ts";
import { type OperatorProcess, startOperatorProcess } from "../../support/operator.ts";
import {
  applyObject,
  applyProvider,
  CLUSTERS,
  clusterObject,
  createSecret,
  deleteCluster,
  eventsFor,
  getObj,
  patchCluster,
  waitClusterReady,
  waitGone,
  waitProviderReady,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

export interface IdentityRun {
  namespace: string;
  cloud: LocalCloudForTests;
  operator: OperatorProcess;
  stop(): Promise<void>;
}

/**
 * A local cloud and the operator process, authenticated by `kubeconfig` (the ServiceAccount's),
 * with leader election on in `leaseNamespace`, watching only `watched` (a fresh namespace when not
 * given: other test files run their own operators on their own namespaces at the same time).
 */
export async function startUnderIdentity(
  kubeconfig: string,
  leaseNamespace: string,
  watched?: string,
): Promise<IdentityRun> {
  const namespace = watched ?? (await createTestNamespace("rbac"));
  const cloud = await startCloudForTests();
  let operator: OperatorProcess;
  try {
    await createSecret(namespace, "aws-credentials", {
      "access-key-id": ROOT_KEYS.accessKeyId,
      "secret-access-key": ROOT_KEYS.secretAccessKey,
    });
    operator = await startOperatorProcess({
      namespace,
      allowedEndpoints: [cloud.url],
      // Later flags win: these replace the helper's admin kubeconfig and --leader-elect=false.
      extraArgs: [
        "--kubeconfig",
        kubeconfig,
        "--leader-elect=true",
        "--leader-election-namespace",
        leaseNamespace,
      ],
    });
  } catch (err) {
    await cloud.stop();
    throw err;
  }
  return {
    namespace,
    cloud,
    operator,
    stop: async () => {
      await operator.stop();
      await cloud.stop();
    },
  };
}

/** The main scenarios as subtests: provider Ready, cluster Ready with its Secret, a patch, delete. */
export async function mainScenarios(t: TestContext, run: IdentityRun, leaseNamespace: string): Promise<void> {
  const { namespace, cloud, operator } = run;
  const name = "rbac-memcached";
  const clusterID = `rbac-mc-${randomBytes(3).toString("hex")}`;

  await t.test("the operator takes the leader Lease in its namespace", async () => {
    const lease = await waitFor(
      `Lease ${leaseNamespace}/infra-operator-leader held`,
      async () =>
        JSON.parse(
          await kubectlOk(["get", "lease", "infra-operator-leader", "-n", leaseNamespace, "-o", "json"]),
        ) as { spec?: { holderIdentity?: string } },
      (l) => (l.spec?.holderIdentity ?? "") !== "",
      60_000,
    );
    assert.ok(lease.spec?.holderIdentity);
  });

  await t.test("an AWSProvider with keys from a Secret becomes Ready", async () => {
    await applyProvider(namespace, cloud.url, { name: "localstack" });
    await waitProviderReady(namespace, "localstack");
  });

  await t.test("a cluster becomes Ready with its finalizer, connection Secret and Events", async () => {
    await applyObject(
      namespace,
      clusterObject(name, {
        clusterID,
        engine: "memcached",
        engineVersion: "1.6.17",
        nodeType: "cache.t3.micro",
        numCacheNodes: 1,
      }),
    );
    const ready = await waitClusterReady(namespace, name);
    assert.ok(ready.metadata.finalizers?.includes("aws-infra-operator.runner.codes/finalizer"));
    const secret = JSON.parse(
      await kubectlOk(["get", "secret", `${name}-connection`, "-n", namespace, "-o", "json"]),
    ) as { data: Record<string, string> };
    const host = Buffer.from(secret.data.host ?? "", "base64").toString();
    const port = Number(Buffer.from(secret.data.port ?? "", "base64").toString());
    assert.ok(host !== "" && port > 0, "the connection Secret names a host and port");
    assert.match(await memcachedVersion({ address: host, port }), /^VERSION /);
    const events = await eventsFor(namespace, name);
    assert.ok(events.length > 0, "the operator recorded Events on the cluster");
  });

  await t.test("a spec patch converges (numCacheNodes 1 -> 2)", async () => {
    const patched = await patchCluster(namespace, name, { spec: { numCacheNodes: 2 } });
    assert.equal(patched.code, 0, patched.stderr);
    await waitFor(
      "two nodes in AWS and the cluster Ready for the new generation",
      async () => ({
        aws: await awsCacheCluster(cloud.aws, clusterID),
        obj: await getObj(namespace, CLUSTERS, name),
      }),
      ({ aws, obj }) =>
        aws?.NumCacheNodes === 2 &&
        obj.status?.ready === true &&
        (obj.status.observedGeneration ?? 0) >= obj.metadata.generation,
      120_000,
    );
  });

  await t.test("delete removes the cache cluster, then releases the finalizer", async () => {
    await deleteCluster(namespace, name);
    await waitGone(namespace, name);
    assert.equal(await awsCacheCluster(cloud.aws, clusterID), undefined);
  });

  await t.test("the operator was never refused anything by the API server", () => {
    const log = operator.log();
    assert.deepEqual(forbiddenLines(log), []);
    assert.equal(operator.exited(), undefined, "the operator is still running");
  });
}

/** The cluster-wide identity still cannot do what the operator has no reason to do. */
export async function assertNoExtraRights(
  canI: (verb: string, resource: string, namespace?: string) => Promise<boolean>,
): Promise<void> {
  const refused: [string, string, string?][] = [
    ["delete", "namespaces"],
    ["delete", "customresourcedefinitions.apiextensions.k8s.io"],
    ["create", "customresourcedefinitions.apiextensions.k8s.io"],
    ["get", "pods", "kube-system"],
    ["create", "pods", "default"],
    ["delete", "secrets", "default"],
    ["delete", "elasticacheclusters.aws-infra-operator.runner.codes", "default"],
    ["update", "awsproviders.aws-infra-operator.runner.codes", "default"],
    ["create", "clusterrolebindings.rbac.authorization.k8s.io"],
    ["update", "leases.coordination.k8s.io", "default"],
  ];
  for (const [verb, resource, namespace] of refused) {
    assert.equal(
      await canI(verb, resource, namespace),
      false,
      `${verb} ${resource} ${namespace ?? ""} is refused`,
    );
  }
}
