// Red team: a tenant names another team's Secret as its cluster's connection Secret. The operator
// refuses (Synced=False, reason SecretConflict, an Event naming the Secret and the fix) and the
// Secret stays byte-identical: same resourceVersion, data, labels and ownerReferences, before and
// after the cluster is deleted. (The test control plane runs no garbage collector; it is the
// ownerReference that would let deleting the cache delete the Secret, so its absence is checked.)
// Once the foreign Secret is gone, the cluster creates and owns its own.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { kubectlOk } from "../../support/kubectl.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  clusterObject,
  condition,
  deleteCluster,
  eventsFor,
  type OperatorEnv,
  secretsUsed,
  startOperatorEnv,
  waitClusterReady,
  waitCondition,
  waitGone,
} from "../../support/operator-env.ts";
import { sleep, waitFor } from "../../support/wait.ts";

const PASSWORD = "Db-Password-Of-Another-Team-5e1f0a";

interface StoredSecret {
  metadata: {
    resourceVersion: string;
    uid: string;
    labels?: Record<string, string>;
    ownerReferences?: { uid: string; controller?: boolean }[];
  };
  data?: Record<string, string>;
}

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({ providers: [{ name: "localstack" }], operator: { resyncPeriod: "3s" } });
});

after(async () => {
  await env?.stop();
});

async function getSecret(name: string): Promise<StoredSecret> {
  return JSON.parse(
    await kubectlOk(["get", "secret", name, "-n", env.namespace, "-o", "json"]),
  ) as StoredSecret;
}

/** The parts of a Secret the operator must never change. */
function fingerprint(s: StoredSecret) {
  return {
    uid: s.metadata.uid,
    resourceVersion: s.metadata.resourceVersion,
    labels: s.metadata.labels,
    ownerReferences: s.metadata.ownerReferences,
    data: s.data,
  };
}

async function foreignSecret(name: string): Promise<StoredSecret> {
  secretsUsed.add(PASSWORD);
  await applyObject(env.namespace, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, labels: { team: "payments", "app.kubernetes.io/name": "db" } },
    type: "Opaque",
    stringData: { username: "payments", password: PASSWORD },
  });
  return getSecret(name);
}

function cache(name: string, secretName: string) {
  return clusterObject(name, {
    clusterID: name,
    engine: "redis",
    nodeType: "cache.t3.micro",
    connectionSecret: { name: secretName },
  });
}

test("a cluster naming another team's Secret is refused and the Secret stays byte-identical, also after the cluster is deleted", async () => {
  const before = fingerprint(await foreignSecret("db-credentials"));
  await applyObject(env.namespace, cache("borrower", "db-credentials"));
  const obj = await waitCondition(env.namespace, "borrower", "Synced", (c) => c.reason === "SecretConflict");
  const synced = condition(obj, "Synced");
  assert.equal(synced?.status, "False");
  assert.match(synced?.message ?? "", new RegExp(`Secret ${env.namespace}/db-credentials`));
  assert.match(synced?.message ?? "", /spec\.connectionSecret\.name/, "the message does not name the fix");
  const events = await eventsFor(env.namespace, "borrower");
  assert.ok(
    events.some(
      (e) => e.type === "Warning" && e.reason === "SecretConflict" && /db-credentials/.test(e.message),
    ),
    JSON.stringify(events),
  );

  await sleep(4000); // more than a resync: still untouched
  assert.deepEqual(fingerprint(await getSecret("db-credentials")), before, "the foreign Secret was changed");
  assert.equal(before.ownerReferences, undefined);

  await deleteCluster(env.namespace, "borrower");
  await waitGone(env.namespace, "borrower");
  await sleep(2000);
  assert.deepEqual(
    fingerprint(await getSecret("db-credentials")),
    before,
    "the foreign Secret changed when the cluster was deleted",
  );
  await assertNoSecretsLeaked(env);
});

test("once the foreign Secret is deleted, the cluster creates its own and owns it", async () => {
  await foreignSecret("shared-name");
  await applyObject(env.namespace, cache("latecomer", "shared-name"));
  await waitCondition(env.namespace, "latecomer", "Synced", (c) => c.reason === "SecretConflict");
  await kubectlOk(["delete", "secret", "shared-name", "-n", env.namespace]);
  const cluster = await waitClusterReady(env.namespace, "latecomer");
  const own = await getSecret("shared-name");
  const controller = own.metadata.ownerReferences?.find((r) => r.controller === true);
  assert.equal(controller?.uid, cluster.metadata.uid, "the new Secret is not owned by the cluster");
  assert.equal(own.data?.password, undefined, "the old data survived");
  assert.ok(own.data?.host, "no connection details written");
});

test("its own connection Secret edited or deleted by hand is written back", async () => {
  await applyObject(env.namespace, cache("restored", "restored-connection"));
  await waitClusterReady(env.namespace, "restored");
  // Only the host and the uid are compared and printed: a connection Secret's data is never output.
  const seen = async () => {
    const s = await getSecret("restored-connection");
    return { uid: s.metadata.uid, host: s.data?.host };
  };
  const written = await seen();
  assert.ok(written.host, "no host written");
  await kubectlOk([
    "patch",
    "secret",
    "restored-connection",
    "-n",
    env.namespace,
    "--type=merge",
    "-p",
    JSON.stringify({ data: { host: Buffer.from("elsewhere.example").toString("base64") } }),
  ]);
  await waitFor("the edited host written back", seen, (s) => s.host === written.host, 30_000);
  await kubectlOk(["delete", "secret", "restored-connection", "-n", env.namespace]);
  await waitFor(
    "the deleted Secret written again",
    seen,
    (s) => s.uid !== written.uid && s.host === written.host,
    30_000,
  );
});
