// Secrets never show up in the operator's log or in Events, even at debug level and in text
// format, on the paths most likely to leak them: a cache created with a token, a token rotation,
// a token Secret changed to an invalid token (refused by AWS: the error path), provider keys that
// AWS refuses, and a provider whose secret key is then corrected. The whole log and every Event of
// the namespace are searched for every token and secret key used.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { redisAnswers } from "../../support/endpoints.ts";
import {
  allEventsText,
  applyObject,
  applyProvider,
  assertNoSecretsLeaked,
  clusterObject,
  condition,
  createSecret,
  getObj,
  type OperatorEnv,
  PROVIDERS,
  startOperatorEnv,
  waitClusterReady,
  waitProviderReady,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

const SECRET_USER = {
  name: "secrecy-user",
  accessKeyId: "AKIASECRECYCHECK0001",
  secretAccessKey: "Secrecy-Secret-Access-Key-81f0c3e5b2",
  policies: [{ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }],
};
const FIRST = "First-Token-Secrecy-3c7e9a1b";
const SECOND = "Second-Token-Secrecy-d4f2b86a";
const INVALID = "bad token with spaces"; // AWS refuses tokens with spaces: an error path
const WRONG_KEY = "Wrong-Secret-Access-Key-0a9b8c7d6e";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({
    users: [SECRET_USER],
    secrets: { "secrecy-auth": { token: FIRST } },
    operator: { logLevel: "debug", logFormat: "text" },
  });
});

after(async () => {
  await env?.stop();
});

test("a token cache, a rotation, a refused token, refused and corrected provider keys: no secret leaks", async () => {
  await applyObject(
    env.namespace,
    clusterObject("secrecy", {
      clusterID: "secrecy",
      engine: "redis",
      nodeType: "cache.t3.micro",
      replicationGroupDescription: "secrecy",
      transitEncryptionEnabled: true,
      authTokenRef: { name: "secrecy-auth", key: "token" },
    }),
  );
  const ready = await waitClusterReady(env.namespace, "secrecy", 180_000);
  const endpoint = ready.status?.primaryEndpoint;
  assert.ok(endpoint);
  await createSecret(env.namespace, "secrecy-auth", { token: SECOND });
  await waitFor(
    "the second token to work",
    () => redisAnswers(endpoint, { token: SECOND, caFile: env.cloud.caFile }),
    (ok) => ok,
    60_000,
  );
  await waitClusterReady(env.namespace, "secrecy");

  await createSecret(env.namespace, "secrecy-auth", { token: INVALID });
  await waitFor(
    "the invalid token to be reported",
    () => getObj(env.namespace, "elasticachecluster", "secrecy"),
    (o) => condition(o, "Synced")?.status === "False",
    60_000,
  );

  await createSecret(env.namespace, "secrecy-keys", {
    "access-key-id": SECRET_USER.accessKeyId,
    "secret-access-key": WRONG_KEY,
  });
  await applyProvider(env.namespace, env.cloud.url, { name: "secrecy-aws", secretName: "secrecy-keys" });
  await waitFor(
    "the refused keys to be reported",
    () => getObj(env.namespace, PROVIDERS, "secrecy-aws"),
    (p) => p.status?.ready === false && condition(p, "Ready") !== undefined,
    60_000,
  );
  await createSecret(env.namespace, "secrecy-keys", {
    "access-key-id": SECRET_USER.accessKeyId,
    "secret-access-key": SECRET_USER.secretAccessKey,
  });
  await waitProviderReady(env.namespace, "secrecy-aws");

  const log = env.operator.log();
  assert.ok(log.split("\n").length > 20, "the debug log is too short to prove anything");
  assert.ok((await allEventsText(env.namespace)).includes("secrecy"), "no Events were recorded");
  await assertNoSecretsLeaked(env, [FIRST, SECOND, INVALID, WRONG_KEY, SECRET_USER.secretAccessKey]);
});
