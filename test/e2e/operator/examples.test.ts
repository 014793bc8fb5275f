// Every ElastiCacheCluster of examples/ (in the files holding clusters only), applied as written
// (only the namespace changes) against the local cloud: the providers it names are local-cloud providers, the Secrets and subnet groups it
// references exist. Each reaches Ready, AWS holds what it asked for, and its endpoint answers a
// client (PING with the token where one is set, over TLS with the local CA where enabled; memcached
// `version`). The connection Secret carries the same endpoint.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { memcachedVersion, redisAnswers, redisPing } from "../../support/endpoints.ts";
import { exampleFiles } from "../../support/examples.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import {
  awsCacheCluster,
  awsReplicationGroup,
  awsTags,
  createSubnetGroup,
} from "../../support/localcloud.ts";
import { readManifests } from "../../support/manifests.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  type ClusterObject,
  deleteCluster,
  exampleCluster,
  type OperatorEnv,
  patchCluster,
  startOperatorEnv,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

/**
 * Every ElastiCacheCluster of examples/, in file order, but those of files that also hold objects
 * of the family kinds (a cache restored from the file's snapshot, one using the file's user group):
 * those files are applied whole by test/e2e/family/examples.test.ts.
 */
const EXAMPLES = exampleFiles()
  .map((f) => readManifests(f))
  .filter((manifests) =>
    manifests.every((m) => ["ElastiCacheCluster", "AWSProvider", "Secret"].includes(m.kind ?? "")),
  )
  .flat()
  .filter((m) => m.kind === "ElastiCacheCluster");

/**
 * The Secrets the examples reference: the values of examples/ where a Secret is written there
 * (redis-auth), a made-up token for the others.
 */
function exampleSecrets(): Record<string, Record<string, string>> {
  const secrets: Record<string, Record<string, string>> = {};
  for (const m of exampleFiles().flatMap((f) => readManifests(f)))
    if (m.kind === "Secret" && m.metadata?.name && m.metadata.name !== "aws-credentials")
      secrets[m.metadata.name] = (m as { stringData?: Record<string, string> }).stringData ?? {};
  for (const m of EXAMPLES) {
    const ref = (m.spec as { authTokenRef?: { name: string; key: string } }).authTokenRef;
    if (ref && secrets[ref.name]?.[ref.key] === undefined)
      secrets[ref.name] = { ...secrets[ref.name], [ref.key]: `E2e-Token-${ref.name}-0123456789` };
  }
  return secrets;
}

const TOKENS = exampleSecrets();

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({ secrets: TOKENS });
  // The subnet groups the examples name, created through the AWS API as a user would.
  const subnetGroups = new Set<string>();
  for (const file of exampleFiles())
    for (const m of readManifests(file)) {
      const name = (m.spec as { subnetGroupName?: string } | undefined)?.subnetGroupName;
      if (m.kind === "ElastiCacheCluster" && name) subnetGroups.add(name);
    }
  for (const name of subnetGroups) await createSubnetGroup(env.cloud.aws, name);
});

after(async () => {
  await env?.stop();
});

function tokenOf(cluster: ClusterObject): string | undefined {
  const ref = cluster.spec.authTokenRef as { name: string; key: string } | undefined;
  return ref ? TOKENS[ref.name]?.[ref.key] : undefined;
}

async function connectionSecret(name: string): Promise<Record<string, string>> {
  const out = JSON.parse(
    await kubectlOk(["get", "secret", `${name}-connection`, "-n", env.namespace, "-o", "json"]),
  ) as { data: Record<string, string> };
  return Object.fromEntries(
    Object.entries(out.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

/** Applies the example, waits for Ready and checks AWS and the endpoint. */
async function checkExample(name: string): Promise<ClusterObject> {
  await applyObject(env.namespace, exampleCluster(name));
  const cluster = await waitClusterReady(env.namespace, name, 240_000);
  const spec = cluster.spec as {
    clusterID: string;
    engine: string;
    engineVersion?: string;
    nodeType?: string;
    numCacheNodes?: number;
    numNodeGroups?: number;
    replicasPerNodeGroup?: number;
    transitEncryptionEnabled?: boolean;
    tags?: Record<string, string>;
  };
  const token = tokenOf(cluster);
  const caFile = spec.transitEncryptionEnabled ? env.cloud.caFile : undefined;
  const group = await awsReplicationGroup(env.cloud.aws, spec.clusterID);
  let arn: string | undefined;
  if (group) {
    assert.equal(group.Status, "available");
    assert.equal(group.CacheNodeType, spec.nodeType);
    if (spec.numNodeGroups !== undefined) assert.equal(group.NodeGroups?.length, spec.numNodeGroups);
    for (const ng of group.NodeGroups ?? [])
      if (spec.replicasPerNodeGroup !== undefined)
        assert.equal(
          ng.NodeGroupMembers?.length ?? 0,
          spec.replicasPerNodeGroup + 1,
          `members of ${ng.NodeGroupId}`,
        );
    assert.equal(group.TransitEncryptionEnabled ?? false, spec.transitEncryptionEnabled ?? false);
    assert.equal(group.AuthTokenEnabled ?? false, token !== undefined);
    arn = group.ARN;
  } else {
    const cc = await awsCacheCluster(env.cloud.aws, spec.clusterID);
    assert.ok(cc, `neither a replication group nor a cache cluster ${spec.clusterID} exists in AWS`);
    assert.equal(cc.CacheClusterStatus, "available");
    assert.equal(cc.Engine, spec.engine);
    assert.equal(cc.CacheNodeType, spec.nodeType);
    assert.equal(cc.NumCacheNodes, spec.numCacheNodes ?? 1);
    arn = cc.ARN;
  }
  assert.ok(arn);
  const tags = await awsTags(env.cloud.aws, arn);
  for (const [k, v] of Object.entries(spec.tags ?? {})) assert.equal(tags[k], v, `tag ${k} in AWS`);
  assert.equal(tags["infra-operator.runner.codes/owner"], `${env.namespace}/${name}`);

  const endpoint = cluster.status?.configurationEndpoint ?? cluster.status?.primaryEndpoint;
  assert.ok(endpoint, `status of ${name} has no endpoint: ${JSON.stringify(cluster.status)}`);
  if (spec.engine === "memcached") {
    assert.match(await memcachedVersion(endpoint), /^VERSION \d/);
  } else {
    assert.equal(await redisAnswers(endpoint, { token, caFile }), true, `PING ${name}`);
    if (token !== undefined) {
      const without = await redisPing(endpoint, { caFile });
      assert.match(without[0] ?? "", /^-NOAUTH/, "a node with an auth token answers a client without it");
    }
  }
  const secret = await connectionSecret(name);
  assert.equal(secret.host, endpoint.address);
  assert.equal(secret.port, String(endpoint.port));
  assert.equal(secret.authToken, token);
  assert.equal(secret.tls, String(spec.transitEncryptionEnabled === true));
  return cluster;
}

describe("every example of examples/ reaches Ready and answers clients", () => {
  const owners = new Map<string, string>(); // clusterID -> example that has it now
  const verified = new Set<string>();
  for (const example of EXAMPLES) {
    const name = example.metadata?.name ?? "";
    const clusterID = (example.spec as { clusterID: string }).clusterID;
    test(`${name} (clusterID ${clusterID})`, async () => {
      const previous = owners.get(clusterID);
      if (previous !== undefined) {
        // Two examples name the same clusterID (app-cache-prod and production-redis): the second
        // may only have it once the first released it. Its deletionPolicy Retain becomes Delete
        // first, as the documentation's recovery does.
        assert.equal(
          (await patchCluster(env.namespace, previous, { spec: { deletionPolicy: "Delete" } })).code,
          0,
        );
        await deleteCluster(env.namespace, previous);
        await waitFor(
          `${clusterID} deleted in AWS`,
          async () =>
            (await awsReplicationGroup(env.cloud.aws, clusterID)) ??
            (await awsCacheCluster(env.cloud.aws, clusterID)),
          (g) => g === undefined,
          180_000,
        );
      }
      await checkExample(name);
      owners.set(clusterID, name);
      verified.add(name);
    });
  }

  test("no token of the examples' Secrets in the operator's log or Events", async () => {
    await assertNoSecretsLeaked(
      env,
      Object.values(TOKENS).flatMap((data) => Object.values(data)),
    );
  });

  test("every example cluster was verified", () => {
    assert.ok(EXAMPLES.length >= 10, `only ${EXAMPLES.length} examples found`);
    const missing = EXAMPLES.map((m) => m.metadata?.name ?? "").filter((n) => !verified.has(n));
    assert.deepEqual(missing, [], "examples that did not reach Ready with a working endpoint");
  });
});
