// Red team: two tenants point AWSProviders at a loopback TCP tarpit (it accepts connections and
// never answers). A third tenant's provider, and then its cache, must still become Ready within
// 30 s, `/healthz` must stay green throughout, and the tarpit providers must end with a timeout
// condition. The operator watches every namespace here, so this file runs its own control plane
// (sharing the run's would let it reconcile other files' objects).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTarpit, type Tarpit } from "../../../src/cloud/tarpit.ts";
import { installCrds } from "../../support/crds.ts";
import { type LocalCloudForTests, ROOT_KEYS, startCloudForTests } from "../../support/localcloud.ts";
import { createTestNamespace } from "../../support/namespace.ts";
import { type OperatorProcess, startOperatorProcess } from "../../support/operator.ts";
import {
  applyObject,
  applyProvider,
  clusterObject,
  createSecret,
  getObj,
  PROVIDERS,
  waitClusterReady,
  waitProviderReady,
} from "../../support/operator-env.ts";
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
  operator = await startOperatorProcess({ allowedEndpoints: [cloud.url, tarpit.url] });
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
