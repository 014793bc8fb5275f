// Auth token rotation through the referenced Secret: while the operator rotates (ROTATE: both
// tokens work, then SET after --token-rotation-grace), clients with the new token keep working;
// once SET is done the old token is refused. Status holds a hash, never the token; the connection
// Secret carries the new token; no token shows up in the operator's log or Events.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Endpoint, redisAnswers, redisPing } from "../../support/endpoints.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import { awsReplicationGroup } from "../../support/localcloud.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  CLUSTERS,
  clusterObject,
  createSecret,
  getObj,
  type OperatorEnv,
  startOperatorEnv,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

const OLD = "Old-Token-For-Rotation-7f3a91c2";
const NEW = "New-Token-After-Rotation-4be0d5e8";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({ secrets: { "cache-auth": { token: OLD } } });
});

after(async () => {
  await env?.stop();
});

async function connectionToken(name: string): Promise<string | undefined> {
  const out = JSON.parse(
    await kubectlOk(["get", "secret", `${name}-connection`, "-n", env.namespace, "-o", "json"]),
  ) as { data: Record<string, string> };
  const v = out.data.authToken;
  return v === undefined ? undefined : Buffer.from(v, "base64").toString("utf8");
}

describe("auth token rotation (TLS replication group with authTokenRef)", () => {
  let endpoint: Endpoint;
  const caFile = () => env.cloud.caFile;

  before(async () => {
    await applyObject(
      env.namespace,
      clusterObject("secure-cache", {
        clusterID: "secure-cache",
        engine: "redis",
        engineVersion: "7.0",
        nodeType: "cache.t3.micro",
        replicationGroupDescription: "token rotation",
        replicasPerNodeGroup: 1,
        transitEncryptionEnabled: true,
        authTokenRef: { name: "cache-auth", key: "token" },
      }),
    );
    const obj = await waitClusterReady(env.namespace, "secure-cache", 180_000);
    const e = obj.status?.primaryEndpoint;
    assert.ok(e);
    endpoint = e;
  });

  test("the token of the Secret works over TLS and a client without it is refused", async () => {
    assert.equal(await redisAnswers(endpoint, { token: OLD, caFile: caFile() }), true);
    assert.match((await redisPing(endpoint, { caFile: caFile() }))[0] ?? "", /^-NOAUTH/);
    assert.equal((await awsReplicationGroup(env.cloud.aws, "secure-cache"))?.AuthTokenEnabled, true);
    assert.equal(await connectionToken("secure-cache"), OLD);
  });

  test("changing the Secret rotates: the new token works at once, the old one is refused after SET", async () => {
    const before = await getObj(env.namespace, CLUSTERS, "secure-cache");
    await createSecret(env.namespace, "cache-auth", { token: NEW });
    // ROTATE: the new token is accepted (the old one still is, during the grace period).
    await waitFor(
      "the new token to be accepted",
      () => redisAnswers(endpoint, { token: NEW, caFile: caFile() }),
      (ok) => ok,
      60_000,
      200,
    );
    // SET: after the grace period only the new token works; clients on the new one never fail.
    const started = Date.now();
    let newTokenFailures = 0;
    await waitFor(
      "the old token to be refused",
      async () => {
        if (!(await redisAnswers(endpoint, { token: NEW, caFile: caFile() }))) newTokenFailures += 1;
        return (await redisPing(endpoint, { token: OLD, caFile: caFile() }))[0] ?? "";
      },
      (first) => first.startsWith("-WRONGPASS"),
      60_000,
      200,
    );
    assert.equal(newTokenFailures, 0, "a client with the new token was refused during the rotation");
    assert.ok(Date.now() - started < 60_000);
    assert.equal(await redisAnswers(endpoint, { token: NEW, caFile: caFile() }), true);

    const after = await waitClusterReady(env.namespace, "secure-cache");
    const statusText = JSON.stringify(after.status);
    assert.ok(!statusText.includes(NEW) && !statusText.includes(OLD), "a token is in status");
    assert.match(
      String(after.status?.authTokenHash),
      /^hmac-sha256:[0-9a-f]{8}:[0-9a-f]{64}$/,
      "status holds no keyed token fingerprint",
    );
    assert.notEqual(
      after.status?.authTokenHash,
      before.status?.authTokenHash,
      "the token hash did not change",
    );
    assert.equal(after.status?.pendingAuthTokenHash, undefined, "the rotation is still pending");
    assert.equal(await connectionToken("secure-cache"), NEW);
  });

  test("no token appears in the operator's log or in Events", async () => {
    await assertNoSecretsLeaked(env, [OLD, NEW]);
  });
});
