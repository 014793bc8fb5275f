// Red team, with one operator for every namespace (started with --allow-cross-namespace-secrets):
// - Two tenants point AWSProviders at a loopback TCP tarpit (it accepts connections and never
//   answers). A third tenant's provider, and then its cache, must still become Ready within 30 s,
//   `/healthz` must stay green throughout, and the tarpit providers must end with a timeout
//   condition.
// - A tenant names another namespace's Secret as its auth token: refused (SecretNotShared, an
//   Event, nothing created in AWS) until that Secret's annotation lists the tenant's namespace;
//   a namespace the annotation does not list stays refused.
// The operator watches every namespace here, so this file runs its own control plane (sharing
// the run's would let it reconcile other files' objects).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTarpit, type Tarpit } from "../../../src/aws/tarpit.ts";
import { installCrds } from "../../support/crds.ts";
import { redisAnswers } from "../../support/endpoints.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import {
  awsReplicationGroup,
  type LocalCloudForTests,
  ROOT_KEYS,
  startCloudForTests,
} from "../../support/localcloud.ts";
import { createTestNamespace } from "../../support/namespace.ts";
import { type OperatorProcess, startOperatorProcess } from "../../support/operator.ts";
import {
  applyObject,
  applyProvider,
  clusterObject,
  condition,
  createSecret,
  eventsFor,
  getObj,
  PROVIDERS,
  waitClusterReady,
  waitCondition,
  waitProviderReady,
} from "../../support/operator-env.ts";
import { secretLeaks } from "../../support/secret-leaks.ts";
import { waitFor } from "../../support/wait.ts";

// Not the run's control plane: sharedControlPlane() starts one for this process instead.
delete process.env.CONTROLPLANE_DIR;

let tarpit: Tarpit;
let cloud: LocalCloudForTests;
let operator: OperatorProcess;
const unhealthy: string[] = [];
let watching = true;
let healthChecks = 0;
let watcher: Promise<void>;

async function watchHealth(url: string): Promise<void> {
  while (watching) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) unhealthy.push(`${new Date().toISOString()} ${res.status} ${await res.text()}`);
    } catch (err) {
      unhealthy.push(`${new Date().toISOString()} ${(err as Error).message}`);
    }
    healthChecks++;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function tenant(prefix: string, endpoint: string, provider: string): Promise<string> {
  const namespace = await createTestNamespace(prefix);
  await createSecret(namespace, "aws-credentials", {
    "access-key-id": ROOT_KEYS.accessKeyId,
    "secret-access-key": ROOT_KEYS.secretAccessKey,
  });
  await applyProvider(namespace, endpoint, { name: provider });
  return namespace;
}

before(async () => {
  await installCrds();
  tarpit = await startTarpit();
  cloud = await startCloudForTests();
  // The operator's own namespace, where it keeps the token fingerprint key.
  const home = await createTestNamespace("operator-home");
  operator = await startOperatorProcess({
    allowedEndpoints: [cloud.url, tarpit.url],
    extraArgs: [
      "--allow-cross-namespace-secrets",
      "--token-fingerprint-secret",
      `${home}/infra-operator-token-fingerprint-key`,
    ],
  });
  watcher = watchHealth(operator.metricsUrl);
});

after(async () => {
  watching = false;
  await watcher;
  await operator?.stop();
  await cloud?.stop();
  await tarpit?.close();
});

test("providers at a tarpit do not keep another namespace's provider and cache from Ready within 30 s; /healthz stays green", async () => {
  const slow = [await tenant("tarpit-a", tarpit.url, "hung"), await tenant("tarpit-b", tarpit.url, "hung")];
  // Both tarpit providers are being verified (their calls hang) before the third tenant arrives.
  await waitFor(
    "the tarpit providers' calls to be under way",
    async () => tarpit.connections(),
    (n) => n >= 2,
    30_000,
  );

  const started = Date.now();
  const good = await tenant("good", cloud.url, "localstack");
  await waitProviderReady(good, "localstack");
  await applyObject(
    good,
    clusterObject("unhindered", { clusterID: "unhindered", engine: "redis", nodeType: "cache.t3.micro" }),
  );
  await waitClusterReady(good, "unhindered", 30_000);
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 30, `the good tenant took ${seconds} s`);

  for (const namespace of slow) {
    const provider = await waitFor(
      `AWSProvider ${namespace}/hung to report the timeout`,
      () => getObj(namespace, PROVIDERS, "hung"),
      (p) => p.status?.conditions?.find((c) => c.type === "Ready")?.reason === "EndpointTimeout",
      120_000,
    );
    const ready = provider.status?.conditions?.find((c) => c.type === "Ready");
    assert.equal(ready?.status, "False");
    assert.match(ready?.message ?? "", /no answer/);
  }
  assert.ok(healthChecks > 10, `only ${healthChecks} health checks ran`);
  assert.deepEqual(unhealthy, [], "/healthz failed while tenants' endpoints hung");
});

const SHARED_TOKEN = "Shared-Across-Namespaces-9d2e61f0";

function tokenCache(name: string, secretNamespace: string) {
  return clusterObject(name, {
    clusterID: name,
    engine: "redis",
    nodeType: "cache.t3.micro",
    replicationGroupDescription: "cross-namespace token",
    transitEncryptionEnabled: true,
    authTokenRef: { namespace: secretNamespace, name: "shared-token", key: "token" },
  });
}

test("an auth token Secret of another namespace is used only once it lists the reader's namespace", async () => {
  const owner = await createTestNamespace("token-owner");
  await createSecret(owner, "shared-token", { token: SHARED_TOKEN });
  const reader = await tenant("reader", cloud.url, "localstack");
  const stranger = await tenant("stranger", cloud.url, "localstack");
  await waitProviderReady(reader, "localstack");
  await waitProviderReady(stranger, "localstack");

  await applyObject(reader, tokenCache("borrowed-token", owner));
  const refused = await waitCondition(
    reader,
    "borrowed-token",
    "Ready",
    (c) => c.reason === "SecretNotShared",
  );
  const message = condition(refused, "Ready")?.message ?? "";
  assert.match(message, new RegExp(`Secret ${owner}/shared-token`));
  assert.match(message, /aws-infra-operator\.runner\.codes\/shared-with-namespaces/, "the fix is not named");
  const events = await eventsFor(reader, "borrowed-token");
  assert.ok(
    events.some((e) => e.type === "Warning" && e.reason === "SecretNotShared"),
    JSON.stringify(events),
  );
  assert.equal(await awsReplicationGroup(cloud.aws, "borrowed-token"), undefined, "created in AWS anyway");

  // The owner consents for `reader` only.
  await kubectlOk([
    "annotate",
    "secret",
    "shared-token",
    "-n",
    owner,
    `aws-infra-operator.runner.codes/shared-with-namespaces=${reader}`,
  ]);
  const ready = await waitClusterReady(reader, "borrowed-token", 180_000);
  const endpoint = ready.status?.primaryEndpoint;
  assert.ok(endpoint);
  assert.equal(await redisAnswers(endpoint, { token: SHARED_TOKEN, caFile: cloud.caFile }), true);

  await applyObject(stranger, tokenCache("stranger-token", owner));
  await waitCondition(stranger, "stranger-token", "Ready", (c) => c.reason === "SecretNotShared");
  assert.equal(await awsReplicationGroup(cloud.aws, "stranger-token"), undefined, "created in AWS anyway");
  const leaks = secretLeaks([["operator log", operator.log()]], [SHARED_TOKEN]);
  assert.deepEqual(leaks, []);
});
