// ElastiCacheParameterGroup end to end, on the real control plane and the local cloud's real
// engines: a group used by a Redis replication group reaches every node (CONFIG GET), a patched
// value changes the running engines, a removed one is reset to the family default; AWS's refusal
// of an unknown parameter or a wrong value names it; a requires-reboot change shows the cache
// pending reboot; the group's deletion is held while a cluster uses it; each deletion policy is
// carried out in AWS; the API server refuses the kind's invalid input; the example becomes Ready.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DescribeCacheParameterGroupsCommand,
  DescribeCacheParametersCommand,
  type Parameter,
} from "@aws-sdk/client-elasticache";
import { parameterGroupInvalidRows } from "../../../src/kinds/parameter-group/invalid-cases.ts";
import { type Endpoint, redisConfigGet } from "../../support/endpoints.ts";
import {
  familyObject,
  OWNER_TAG,
  RETAINED_TAG,
  unlessNotFound,
  waitObjCondition,
  waitObjGone,
  waitObjReady,
} from "../../support/family.ts";
import { kubectl, kubectlOk } from "../../support/kubectl.ts";
import { awsCacheCluster, awsReplicationGroup, awsTags } from "../../support/localcloud.ts";
import { inNamespace, readManifests } from "../../support/manifests.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  CLUSTERS,
  clusterObject,
  eventsFor,
  getObj,
  type OperatorEnv,
  startOperatorEnv,
  waitClusterReady,
  waitGone,
} from "../../support/operator-env.ts";
import { repoPath } from "../../support/paths.ts";
import { waitFor } from "../../support/wait.ts";

const RESOURCE = "elasticacheparametergroup";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({ providers: [{ name: "localstack" }] });
});

after(async () => {
  await env?.stop();
});

async function awsGroup(name: string) {
  return unlessNotFound("CacheParameterGroupNotFoundFault", async () => {
    const out = await env.cloud.aws.send(
      new DescribeCacheParameterGroupsCommand({ CacheParameterGroupName: name }),
    );
    return out.CacheParameterGroups?.[0];
  });
}

async function awsParameter(group: string, name: string): Promise<Parameter | undefined> {
  let marker: string | undefined;
  do {
    const out = await env.cloud.aws.send(
      new DescribeCacheParametersCommand({ CacheParameterGroupName: group, Marker: marker }),
    );
    const found = out.Parameters?.find((p) => p.ParameterName === name);
    if (found) return found;
    marker = out.Marker;
  } while (marker);
  return undefined;
}

function group(name: string, spec: Record<string, unknown> = {}) {
  return familyObject("ElastiCacheParameterGroup", name, {
    parameterGroupName: name,
    family: "redis7",
    description: `settings of ${name}`,
    ...spec,
  });
}

async function patchGroup(name: string, patch: unknown): Promise<void> {
  await kubectlOk([
    "patch",
    RESOURCE,
    name,
    "-n",
    env.namespace,
    "--type=merge",
    "-p",
    JSON.stringify(patch),
  ]);
}

/** Every node of a replication group (primary and replicas), as a client reaches it. */
async function nodesOf(replicationGroupID: string): Promise<Endpoint[]> {
  const rg = await awsReplicationGroup(env.cloud.aws, replicationGroupID);
  const endpoints: Endpoint[] = [];
  for (const member of rg?.MemberClusters ?? []) {
    const cc = await awsCacheCluster(env.cloud.aws, member);
    for (const node of cc?.CacheNodes ?? [])
      if (node.Endpoint?.Address && node.Endpoint.Port)
        endpoints.push({ address: node.Endpoint.Address, port: node.Endpoint.Port });
  }
  return endpoints;
}

async function everyNodeAnswers(nodes: Endpoint[], setting: string, value: string): Promise<void> {
  await waitFor(
    `CONFIG GET ${setting} answering ${value} on ${nodes.length} nodes`,
    () => Promise.all(nodes.map((n) => redisConfigGet(n, setting))),
    (values) => values.every((v) => v === value),
    60_000,
  );
}

test("a group used by a replication group reaches every node; a patch changes the engines; a removed parameter is reset", async () => {
  const ns = env.namespace;
  await applyObject(
    ns,
    group("app-params", { parameters: { "maxmemory-policy": "allkeys-lru", timeout: "300" } }),
  );
  await applyObject(
    ns,
    clusterObject("tuned", {
      clusterID: "tuned",
      engine: "redis",
      engineVersion: "7.0",
      nodeType: "cache.t3.micro",
      replicationGroupDescription: "parameter group e2e",
      replicasPerNodeGroup: 1,
      parameterGroupName: "app-params",
    }),
  );
  await waitClusterReady(ns, "tuned", 240_000);
  const nodes = await nodesOf("tuned");
  assert.ok(nodes.length >= 2, `a primary and a replica: ${JSON.stringify(nodes)}`);
  await everyNodeAnswers(nodes, "maxmemory-policy", "allkeys-lru");
  await everyNodeAnswers(nodes, "timeout", "300");

  const inAws = await awsGroup("app-params");
  assert.equal(inAws?.CacheParameterGroupFamily, "redis7");
  const tags = await awsTags(env.cloud.aws, inAws?.ARN ?? "");
  assert.equal(tags[OWNER_TAG], `${ns}/app-params`);
  const used = await waitFor(
    "the group's status listing the caches that use it",
    () => getObj(ns, RESOURCE, "app-params"),
    (o) => ((o.status?.caches as unknown[] | undefined) ?? []).length >= 2,
    60_000,
  );
  const caches = used.status?.caches as {
    cacheClusterID: string;
    replicationGroupID?: string;
    parameterApplyStatus?: string;
  }[];
  assert.ok(
    caches.every((c) => c.replicationGroupID === "tuned" && c.parameterApplyStatus === "in-sync"),
    JSON.stringify(caches),
  );
  assert.deepEqual(used.status?.parameters, { "maxmemory-policy": "allkeys-lru", timeout: "300" });
  assert.deepEqual(used.status?.pendingReboot, []);
  assert.equal(used.status?.family, "redis7");

  await patchGroup("app-params", { spec: { parameters: { "maxmemory-policy": "volatile-lfu" } } });
  await everyNodeAnswers(nodes, "maxmemory-policy", "volatile-lfu");
  assert.equal((await awsParameter("app-params", "maxmemory-policy"))?.ParameterValue, "volatile-lfu");
  const events = await eventsFor(ns, "app-params");
  assert.ok(
    events.some((e) => e.reason === "Modifying" && /maxmemory-policy=volatile-lfu/.test(e.message)),
    JSON.stringify(events),
  );

  await patchGroup("app-params", { spec: { parameters: { "maxmemory-policy": null } } });
  const reset = await waitFor(
    "maxmemory-policy reset in AWS",
    () => awsParameter("app-params", "maxmemory-policy"),
    (p) => p?.Source !== "user",
    60_000,
  );
  const familyDefault = reset?.ParameterValue ?? "";
  assert.equal(familyDefault, "volatile-lru", "redis7's default maxmemory-policy");
  await everyNodeAnswers(nodes, "maxmemory-policy", familyDefault);
  await everyNodeAnswers(nodes, "timeout", "300");
  const after = await waitFor(
    "the group's status without maxmemory-policy",
    () => getObj(ns, RESOURCE, "app-params"),
    (o) => o.status?.ready === true && !("maxmemory-policy" in ((o.status?.parameters as object) ?? {})),
    60_000,
  );
  assert.deepEqual(after.status?.appliedParameters, ["timeout"]);
  assert.ok((await eventsFor(ns, "app-params")).some((e) => e.reason === "Resetting"));

  // Deleting the group while the cluster names it is held; it goes once the cluster is gone.
  await kubectlOk(["delete", RESOURCE, "app-params", "-n", ns, "--wait=false"]);
  const held = await waitObjCondition(ns, RESOURCE, "app-params", "Ready", (c) => c.reason === "InUse");
  assert.match(JSON.stringify(held.status?.conditions), /still used by ElastiCacheCluster tuned/);
  assert.ok(await awsGroup("app-params"), "the group stays in AWS while the cluster uses it");
  await kubectlOk(["delete", CLUSTERS, "tuned", "-n", ns, "--wait=false"]);
  await waitGone(ns, "tuned", 240_000);
  await waitObjGone(ns, RESOURCE, "app-params", 120_000);
  assert.equal(await awsGroup("app-params"), undefined);
});

test("an unknown parameter or a wrong value is refused by AWS, and the condition names it", async () => {
  const ns = env.namespace;
  await applyObject(ns, group("bad-params", { parameters: { "no-such-parameter": "1" } }));
  const unknown = await waitObjCondition(
    ns,
    RESOURCE,
    "bad-params",
    "Synced",
    (c) => c.reason === "AWSRejected",
  );
  assert.match(JSON.stringify(unknown.status?.conditions), /no-such-parameter/);
  assert.notEqual(unknown.status?.ready, true);

  await patchGroup("bad-params", {
    spec: { parameters: { "no-such-parameter": null, "maxmemory-policy": "sometimes" } },
  });
  const wrong = await waitObjCondition(
    ns,
    RESOURCE,
    "bad-params",
    "Synced",
    (c) => c.reason === "AWSRejected" && /maxmemory-policy/.test(c.message ?? ""),
  );
  assert.match(JSON.stringify(wrong.status?.conditions), /sometimes/);

  await patchGroup("bad-params", { spec: { parameters: { "maxmemory-policy": "noeviction" } } });
  await waitObjReady(ns, RESOURCE, "bad-params");
  await kubectlOk(["delete", RESOURCE, "bad-params", "-n", ns]);
  assert.equal(await awsGroup("bad-params"), undefined);
});

test("a requires-reboot parameter shows the cache pending reboot", async () => {
  const ns = env.namespace;
  await applyObject(ns, group("mc-params", { family: "memcached1.6" }));
  await applyObject(
    ns,
    clusterObject("mc-tuned", {
      clusterID: "mc-tuned",
      engine: "memcached",
      engineVersion: "1.6.17",
      nodeType: "cache.t3.micro",
      numCacheNodes: 1,
      parameterGroupName: "mc-params",
    }),
  );
  await waitClusterReady(ns, "mc-tuned", 240_000);
  await patchGroup("mc-params", { spec: { parameters: { chunk_size: "96" } } });
  const pending = await waitFor(
    "mc-tuned pending reboot in the group's status",
    () => getObj(ns, RESOURCE, "mc-params"),
    (o) =>
      o.status?.ready === true &&
      ((o.status?.pendingReboot as string[] | undefined) ?? []).includes("mc-tuned"),
    60_000,
  );
  assert.deepEqual(pending.status?.requiresRebootParameters, ["chunk_size"]);
  const cache = (
    pending.status?.caches as {
      cacheClusterID: string;
      parameterApplyStatus?: string;
      cacheNodeIDsToReboot?: string[];
    }[]
  )?.[0];
  assert.equal(cache?.parameterApplyStatus, "pending-reboot");
  assert.ok((cache?.cacheNodeIDsToReboot ?? []).length >= 1);
  assert.match(JSON.stringify(pending.status?.conditions), /mc-tuned must reboot/);
  assert.equal(
    (await awsCacheCluster(env.cloud.aws, "mc-tuned"))?.CacheParameterGroup?.ParameterApplyStatus,
    "pending-reboot",
  );

  await kubectlOk(["delete", CLUSTERS, "mc-tuned", "-n", ns, "--wait=false"]);
  await kubectlOk(["delete", RESOURCE, "mc-params", "-n", ns, "--wait=false"]);
  await waitGone(ns, "mc-tuned", 240_000);
  await waitObjGone(ns, RESOURCE, "mc-params", 120_000);
  assert.equal(await awsGroup("mc-params"), undefined);
});

test("deletion policies: Delete removes it, Retain marks it, Orphan untags it", async () => {
  const ns = env.namespace;
  for (const policy of ["Retain", "Orphan"]) {
    const name = `keep-${policy.toLowerCase()}`;
    await applyObject(ns, group(name, { deletionPolicy: policy, parameters: { timeout: "60" } }));
    await waitObjReady(ns, RESOURCE, name);
    const uid = (await getObj(ns, RESOURCE, name)).metadata.uid;
    await kubectlOk(["delete", RESOURCE, name, "-n", ns]);
    const left = await awsGroup(name);
    assert.ok(left, `${policy}: the group stays in AWS`);
    assert.equal(
      (await awsParameter(name, "timeout"))?.ParameterValue,
      "60",
      `${policy}: its parameters stay`,
    );
    const tags = await awsTags(env.cloud.aws, left?.ARN ?? "");
    if (policy === "Retain") assert.equal(tags[RETAINED_TAG], uid);
    else assert.equal(tags[OWNER_TAG], undefined);
  }
  // A new object of the retained one's name takes it over without the adopt annotation.
  await applyObject(ns, group("keep-retain", { parameters: { timeout: "60" } }));
  await waitObjReady(ns, RESOURCE, "keep-retain");
  // The orphaned one is foreign now: a new object of its name is refused.
  await applyObject(ns, group("keep-orphan"));
  const refused = await waitObjCondition(
    ns,
    RESOURCE,
    "keep-orphan",
    "Synced",
    (c) => c.reason === "NotOwned",
  );
  assert.match(JSON.stringify(refused.status?.conditions), /adopt/);
  await kubectlOk(["delete", RESOURCE, "keep-orphan", "-n", ns]);
  assert.ok(await awsGroup("keep-orphan"), "a refused object does not delete what it does not own");
  await kubectlOk(["delete", RESOURCE, "keep-retain", "-n", ns]);
  assert.equal(await awsGroup("keep-retain"), undefined, "Delete removes the group");
});

test("the example parameter group becomes Ready", async () => {
  const ns = env.namespace;
  const [example] = readManifests(repoPath("examples/parameter-group.yaml"));
  assert.equal(example?.kind, "ElastiCacheParameterGroup");
  await applyObject(ns, inNamespace(example, ns));
  const name = example.metadata?.name ?? "";
  const ready = await waitObjReady(ns, RESOURCE, name);
  assert.deepEqual(ready.status?.parameters, (example.spec as { parameters: unknown }).parameters);
  await kubectlOk(["delete", RESOURCE, name, "-n", ns]);
});

test("invalid input is refused by the API server with the field named", async () => {
  const ns = env.namespace;
  for (const [caseName, manifest, field, message] of parameterGroupInvalidRows) {
    const out = await kubectl(["apply", "-n", ns, "-f", "-"], {
      input: JSON.stringify({ ...manifest, metadata: { ...(manifest.metadata as object), namespace: ns } }),
    });
    assert.notEqual(out.code, 0, `${caseName}: accepted`);
    assert.ok(out.stderr.includes(field), `${caseName}: ${out.stderr}`);
    assert.ok(out.stderr.includes(message), `${caseName}: ${out.stderr}`);
  }
  // The immutable fields refuse a change.
  await applyObject(ns, group("fixed"));
  for (const change of [{ family: "redis6.x" }, { description: "other" }, { parameterGroupName: "other" }]) {
    const out = await kubectl([
      "patch",
      RESOURCE,
      "fixed",
      "-n",
      ns,
      "--type=merge",
      "-p",
      JSON.stringify({ spec: change }),
    ]);
    assert.notEqual(out.code, 0, `${JSON.stringify(change)} accepted`);
    assert.match(out.stderr, /cannot be changed after creation/);
  }
  await kubectlOk(["delete", RESOURCE, "fixed", "-n", ns]);
  await assertNoSecretsLeaked(env);
});
