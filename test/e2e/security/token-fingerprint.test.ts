// Red team: anyone who may `get` an ElastiCacheCluster reads status.authTokenHash. It must not let
// them test token guesses offline or see which caches share a token: it is an HMAC under a key in
// an operator-owned Secret, not a plain SHA-256. And an operator upgraded over status in the old
// unkeyed form keeps the token (no ModifyReplicationGroup: no rotation) and rewrites the status
// in the keyed form.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { redisAnswers } from "../../support/endpoints.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import { type OperatorProcess, startOperatorProcess } from "../../support/operator.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  CLUSTERS,
  clusterObject,
  getObj,
  type OperatorEnv,
  startOperatorEnv,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { sleep, waitFor } from "../../support/wait.ts";

const TOKEN = "Shared-Token-Fingerprint-c41d7e09";
const KEYED = /^hmac-sha256:[0-9a-f]{8}:[0-9a-f]{64}$/;
const unkeyed = createHash("sha256").update(TOKEN).digest("hex");

let env: OperatorEnv;
let upgraded: OperatorProcess | undefined;

before(async () => {
  env = await startOperatorEnv({
    providers: [{ name: "localstack" }],
    secrets: { "cache-auth": { token: TOKEN } },
    operator: { resyncPeriod: "3s" },
  });
});

after(async () => {
  await upgraded?.stop();
  await env?.stop();
});

function tokenCache(name: string) {
  return clusterObject(name, {
    clusterID: name,
    engine: "redis",
    nodeType: "cache.t3.micro",
    replicationGroupDescription: "token fingerprint",
    transitEncryptionEnabled: true,
    authTokenRef: { name: "cache-auth", key: "token" },
  });
}

async function modifyCalls(): Promise<number> {
  return (await env.cloud.calls()).byAction["elasticache:ModifyReplicationGroup"] ?? 0;
}

test("the status fingerprint is keyed: not the SHA-256 of the token, and made with a key in an operator-owned Secret", async () => {
  await applyObject(env.namespace, tokenCache("fp-one"));
  const obj = await waitClusterReady(env.namespace, "fp-one", 180_000);
  const hash = String(obj.status?.authTokenHash);
  assert.match(hash, KEYED);
  assert.ok(!hash.includes(unkeyed), "the unkeyed hash can be read from status");
  const key = JSON.parse(
    await kubectlOk([
      "get",
      "secret",
      "infra-operator-token-fingerprint-key",
      "-n",
      env.namespace,
      "-o",
      "json",
    ]),
  ) as { data: Record<string, string> };
  assert.equal(Buffer.from(key.data.key ?? "", "base64").length, 32, "no 32-byte key in the key Secret");
});

test("status in the old unkeyed form keeps its token after an upgrade: no rotation, status rewritten keyed", async () => {
  const before = await getObj(env.namespace, CLUSTERS, "fp-one");
  const endpoint = before.status?.primaryEndpoint;
  assert.ok(endpoint);
  // The operator as it was: stopped, and the status as it wrote it (SHA-256 of the token).
  await env.operator.stop();
  await kubectlOk([
    "patch",
    CLUSTERS,
    "fp-one",
    "-n",
    env.namespace,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({ status: { authTokenHash: unkeyed } }),
  ]);
  assert.equal((await getObj(env.namespace, CLUSTERS, "fp-one")).status?.authTokenHash, unkeyed);
  const modifiesBefore = await modifyCalls();
  assert.ok(
    ((await env.cloud.calls()).byAction["elasticache:CreateReplicationGroup"] ?? 0) >= 1,
    "the local cloud's call counts do not name ElastiCache actions as expected",
  );

  upgraded = await startOperatorProcess({
    namespace: env.namespace,
    resyncPeriod: "3s",
    allowedEndpoints: [env.cloud.url],
  });
  const after = await waitFor(
    "the status to be rewritten in the keyed form",
    () => getObj(env.namespace, CLUSTERS, "fp-one"),
    (o) => KEYED.test(String(o.status?.authTokenHash)),
    60_000,
  );
  assert.equal(after.status?.authTokenHash, before.status?.authTokenHash, "another fingerprint than before");
  await sleep(4000); // more than a resync
  assert.equal(await modifyCalls(), modifiesBefore, "the upgrade rotated the token (ModifyReplicationGroup)");
  const settled = await waitClusterReady(env.namespace, "fp-one");
  assert.equal(settled.status?.pendingAuthTokenHash, undefined, "a rotation is pending");
  assert.equal(await redisAnswers(endpoint, { token: TOKEN, caFile: env.cloud.caFile }), true);
  await assertNoSecretsLeaked({ ...env, operator: upgraded });
});
