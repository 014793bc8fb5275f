// The platform team's flows: a ClusterAWSProvider (cluster-scoped, admin-owned) using the
// operator's own identity, selecting one namespace by label; a cache there becomes Ready through
// it, while a namespace it does not select is refused (ProviderNotAllowed) and the operator
// watching that namespace leaves the provider's status alone. A namespace listed in
// --operator-identity-namespaces may use the operator's identity in its own AWSProvider (as the
// documentation's provider in `default` does). The operator's identity is the default chain: the
// local cloud's root keys in the operator's environment.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { installCrds } from "../../support/crds.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import {
  ACCOUNT,
  awsCacheCluster,
  type LocalCloudForTests,
  ROOT_KEYS,
  startCloudForTests,
} from "../../support/localcloud.ts";
import { createTestNamespace } from "../../support/namespace.ts";
import { type OperatorProcess, startOperatorProcess } from "../../support/operator.ts";
import {
  API,
  applyObject,
  CLUSTERS,
  clusterObject,
  createSecret,
  deleteCluster,
  eventsFor,
  waitClusterReady,
  waitCondition,
  waitGone,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";
import { type CaptureServer, startCaptureServer } from "./capture-server.ts";
import { applyClusterScoped, getProvider, providerVerdict } from "./provider-verdicts.ts";

const CLUSTER_PROVIDERS = "clusterawsprovider";
const suffix = randomBytes(3).toString("hex");
const SHARED = `shared-aws-${suffix}`;
const CAPTURED = `captured-aws-${suffix}`;
const KEYED = `keyed-aws-${suffix}`;

describe("ClusterAWSProvider and the operator's identity in a listed namespace", () => {
  let selected = "";
  let other = "";
  let cloud: LocalCloudForTests | undefined;
  let capture: CaptureServer | undefined;
  const operators: OperatorProcess[] = [];
  const clusterID = `cawsp-mc-${suffix}`;

  before(async () => {
    await installCrds();
    selected = await createTestNamespace("platform");
    other = await createTestNamespace("not-selected");
    cloud = await startCloudForTests();
    capture = await startCaptureServer();
    const env = {
      AWS_ACCESS_KEY_ID: ROOT_KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ROOT_KEYS.secretAccessKey,
    };
    operators.push(
      await startOperatorProcess({
        namespace: selected,
        allowedEndpoints: [cloud.url],
        operatorIdentityNamespaces: [selected],
        env,
      }),
      await startOperatorProcess({
        namespace: other,
        allowedEndpoints: [cloud.url],
        operatorIdentityNamespaces: [],
        env,
      }),
    );
    const selector = { matchLabels: { "kubernetes.io/metadata.name": selected } };
    for (const [name, endpoint] of [
      [SHARED, cloud.url],
      [CAPTURED, capture.url],
    ] as const)
      await applyClusterScoped({
        apiVersion: API,
        kind: "ClusterAWSProvider",
        metadata: { name },
        spec: {
          region: "us-east-1",
          endpoint,
          namespaceSelector: selector,
          defaultTags: { team: "platform" },
        },
      });
  });

  after(async () => {
    await kubectlOk([
      "delete",
      CLUSTER_PROVIDERS,
      SHARED,
      CAPTURED,
      KEYED,
      "--ignore-not-found",
      "--wait=false",
    ]);
    for (const o of operators) await o.stop();
    await capture?.stop();
    await cloud?.stop();
  });

  test("the ClusterAWSProvider becomes Ready as the operator's identity; kubectl shows it", async () => {
    const ready = await providerVerdict("", SHARED, CLUSTER_PROVIDERS);
    assert.equal(ready.status, "True", ready.message);
    assert.equal(ready.callerIdentity, `arn:aws:iam::${ACCOUNT}:root`);
    const table = await kubectlOk(["get", CLUSTER_PROVIDERS, SHARED]);
    assert.match(table, /NAME\s+REGION\s+ACCOUNT\s+READY\s+AGE/);
    assert.match(table, new RegExp(`${SHARED}\\s+us-east-1\\s+${ACCOUNT}\\s+true`));
  });

  test("a ClusterAWSProvider is held to the endpoint allowlist too", async () => {
    const ready = await providerVerdict("", CAPTURED, CLUSTER_PROVIDERS);
    assert.equal(ready.reason, "EndpointNotAllowed");
    assert.equal(capture?.connections(), 0);
    // Events of cluster-scoped objects go to the default namespace.
    const events = await waitFor(
      `a Warning Event on ClusterAWSProvider ${CAPTURED}`,
      () => eventsFor("default", CAPTURED),
      (list) => list.some((e) => e.type === "Warning" && e.reason === "EndpointNotAllowed"),
      30_000,
    );
    assert.ok(events.length > 0);
  });

  test("a ClusterAWSProvider's keys come from the cluster resource namespace", async () => {
    assert.ok(cloud);
    // The test operators' --cluster-resource-namespace is the namespace they watch.
    await createSecret(selected, "platform-aws-keys", {
      "access-key-id": ROOT_KEYS.accessKeyId,
      "secret-access-key": ROOT_KEYS.secretAccessKey,
    });
    await applyClusterScoped({
      apiVersion: API,
      kind: "ClusterAWSProvider",
      metadata: { name: KEYED },
      spec: {
        region: "us-east-1",
        endpoint: cloud.url,
        accessKeyIDRef: { name: "platform-aws-keys", key: "access-key-id" },
        secretAccessKeyRef: { name: "platform-aws-keys", key: "secret-access-key" },
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": selected } },
      },
    });
    const ready = await providerVerdict("", KEYED, CLUSTER_PROVIDERS);
    assert.equal(ready.status, "True", ready.message);
    assert.match(ready.message ?? "", /static credentials/);
  });

  test("a cache in the selected namespace becomes Ready through it, with its default tags", async () => {
    assert.ok(cloud);
    await applyObject(
      selected,
      clusterObject("via-cluster-provider", {
        providerRef: { kind: "ClusterAWSProvider", name: SHARED },
        clusterID,
        engine: "memcached",
        engineVersion: "1.6.17",
        nodeType: "cache.t3.micro",
        numCacheNodes: 1,
      }),
    );
    await waitClusterReady(selected, "via-cluster-provider");
    assert.equal((await awsCacheCluster(cloud.aws, clusterID))?.CacheClusterStatus, "available");
    await deleteCluster(selected, "via-cluster-provider");
    await waitGone(selected, "via-cluster-provider");
  });

  test("a namespace the selector does not match: ProviderNotAllowed, and its operator leaves the status alone", async () => {
    await applyObject(
      other,
      clusterObject("not-allowed", {
        providerRef: { kind: "ClusterAWSProvider", name: SHARED },
        clusterID: `cawsp-no-${suffix}`,
        // Delete would wait for a usable provider; Orphan lets the object go at once.
        deletionPolicy: "Orphan",
        engine: "memcached",
        engineVersion: "1.6.17",
        nodeType: "cache.t3.micro",
        numCacheNodes: 1,
      }),
    );
    const cluster = await waitCondition(
      other,
      "not-allowed",
      "Ready",
      (c) => c.reason === "ProviderNotAllowed",
    );
    const ready = cluster.status?.conditions?.find((c) => c.type === "Ready");
    assert.match(
      ready?.message ?? "",
      new RegExp(`ClusterAWSProvider ${SHARED} does not select namespace ${other}`),
    );
    assert.equal((await providerVerdict("", SHARED, CLUSTER_PROVIDERS)).status, "True");
    await deleteCluster(other, "not-allowed");
    await waitGone(other, "not-allowed");
  });

  test("a listed namespace's AWSProvider without keys uses the operator's identity", async () => {
    assert.ok(cloud);
    await applyObject(selected, {
      apiVersion: API,
      kind: "AWSProvider",
      metadata: { name: "production-aws" },
      spec: { region: "us-east-1", endpoint: cloud.url, defaultTags: { "managed-by": "infra-operator" } },
    });
    const ready = await providerVerdict(selected, "production-aws");
    assert.equal(ready.status, "True", ready.message);
    assert.match(ready.message ?? "", /defaultChain credentials/);
  });

  test("no cluster object is left behind", async () => {
    for (const ns of [selected, other])
      assert.equal((await kubectlOk(["get", CLUSTERS, "-n", ns, "-o", "name"])).trim(), "");
    assert.ok(await getProvider("", CLUSTER_PROVIDERS, SHARED));
  });
});
