// ElastiCacheSubnetGroup end to end, on the real control plane and the local cloud: created with the
// ownership tags, modified in place, named by a cluster (which waits for it, and holds its deletion),
// and each deletion policy carried out in AWS.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DescribeCacheSubnetGroupsCommand } from "@aws-sdk/client-elasticache";
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
import { awsCacheCluster, awsTags } from "../../support/localcloud.ts";
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
  waitCondition,
  waitGone,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

const RESOURCE = "elasticachesubnetgroup";

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({ providers: [{ name: "localstack" }] });
});

after(async () => {
  await env?.stop();
});

async function awsGroup(name: string) {
  return unlessNotFound("CacheSubnetGroupNotFoundFault", async () => {
    const out = await env.cloud.aws.send(
      new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: name }),
    );
    return out.CacheSubnetGroups?.[0];
  });
}

function group(name: string, extra: Record<string, unknown> = {}) {
  return familyObject("ElastiCacheSubnetGroup", name, {
    subnetGroupName: name,
    description: `subnets of ${name}`,
    subnetIDs: ["subnet-0a1", "subnet-0b2"],
    ...extra,
  });
}

test("created with its subnets and the ownership tags, then modified in place", async () => {
  const ns = env.namespace;
  await applyObject(ns, group("app-subnets"));
  const ready = await waitObjReady(ns, RESOURCE, "app-subnets");
  const inAws = await awsGroup("app-subnets");
  assert.deepEqual(inAws?.Subnets?.map((s) => s.SubnetIdentifier).sort(), ["subnet-0a1", "subnet-0b2"]);
  assert.equal(ready.status?.arn, inAws?.ARN);
  assert.equal((ready.status?.vpcID as string | undefined)?.startsWith("vpc-"), true);
  const tags = await awsTags(env.cloud.aws, inAws?.ARN ?? "");
  assert.equal(tags[OWNER_TAG], `${ns}/app-subnets`);

  await applyObject(ns, group("app-subnets", { description: "changed", subnetIDs: ["subnet-0c3"] }));
  await waitFor(
    "the subnet group modified in AWS",
    () => awsGroup("app-subnets"),
    (g) => g?.CacheSubnetGroupDescription === "changed" && g.Subnets?.[0]?.SubnetIdentifier === "subnet-0c3",
    60_000,
  );
  await waitObjReady(ns, RESOURCE, "app-subnets");
  const events = await eventsFor(ns, "app-subnets");
  assert.ok(
    events.some((e) => e.reason === "Modifying"),
    JSON.stringify(events),
  );
});

test("a cluster naming a subnet group object waits for it, and holds its deletion while it uses it", async () => {
  const ns = env.namespace;
  await applyObject(
    ns,
    clusterObject("in-subnets", {
      clusterID: "in-subnets",
      engine: "redis",
      nodeType: "cache.t3.micro",
      numCacheNodes: 1,
      subnetGroupName: "later-subnets",
    }),
  );
  // No object and no group in AWS yet: the cluster is created only once the group exists and is Ready.
  await applyObject(ns, group("later-subnets"));
  const cluster = await waitClusterReady(ns, "in-subnets", 120_000);
  assert.equal((await awsCacheCluster(env.cloud.aws, "in-subnets"))?.CacheSubnetGroupName, "later-subnets");
  assert.ok(cluster.status?.ready);

  await kubectlOk(["delete", RESOURCE, "later-subnets", "-n", ns, "--wait=false"]);
  const held = await waitObjCondition(ns, RESOURCE, "later-subnets", "Ready", (c) => c.reason === "InUse");
  assert.match(JSON.stringify(held.status?.conditions), /still used by ElastiCacheCluster in-subnets/);
  assert.ok(await awsGroup("later-subnets"), "the group stays in AWS while the cluster uses it");

  await kubectlOk(["delete", CLUSTERS, "in-subnets", "-n", ns, "--wait=false"]);
  await waitGone(ns, "in-subnets", 120_000);
  await waitObjGone(ns, RESOURCE, "later-subnets");
  assert.equal(await awsGroup("later-subnets"), undefined);
});

test("a cluster naming a subnet group object that is not Ready reports what it waits for", async () => {
  const ns = env.namespace;
  await applyObject(
    ns,
    group("broken-subnets", { providerRef: { name: "no-such-provider" }, deletionPolicy: "Orphan" }),
  );
  await applyObject(
    ns,
    clusterObject("waits", {
      clusterID: "waits",
      engine: "redis",
      nodeType: "cache.t3.micro",
      numCacheNodes: 1,
      subnetGroupName: "broken-subnets",
    }),
  );
  const waiting = await waitCondition(ns, "waits", "Ready", (c) => c.reason === "WaitingForReference");
  assert.match(
    waiting.status?.conditions?.[0]?.message ?? "",
    /ElastiCacheSubnetGroup .*broken-subnets \(spec\.subnetGroupName\) to be Ready/,
  );
  assert.equal(await awsCacheCluster(env.cloud.aws, "waits"), undefined, "nothing created in AWS");
  await kubectlOk(["delete", CLUSTERS, "waits", "-n", ns]);
  await kubectlOk(["delete", RESOURCE, "broken-subnets", "-n", ns]);
});

test("deletion policies: Delete removes it, Retain marks it, Orphan untags it", async () => {
  const ns = env.namespace;
  for (const policy of ["Retain", "Orphan"]) {
    const name = `keep-${policy.toLowerCase()}`;
    await applyObject(ns, group(name, { deletionPolicy: policy }));
    await waitObjReady(ns, RESOURCE, name);
    const uid = (await getObj(ns, RESOURCE, name)).metadata.uid;
    await kubectlOk(["delete", RESOURCE, name, "-n", ns]);
    const left = await awsGroup(name);
    assert.ok(left, `${policy}: the group stays in AWS`);
    const tags = await awsTags(env.cloud.aws, left?.ARN ?? "");
    if (policy === "Retain") assert.equal(tags[RETAINED_TAG], uid);
    else assert.equal(tags[OWNER_TAG], undefined);
  }
  // A new object of the retained one's name takes it over without the adopt annotation.
  await applyObject(ns, group("keep-retain"));
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
  await kubectlOk(["delete", RESOURCE, "keep-retain", "-n", ns]);
  assert.equal(await awsGroup("keep-retain"), undefined, "Delete removes the group");
});

test("invalid input is refused by the API server with the field named", async () => {
  const ns = env.namespace;
  const out = await kubectl(["apply", "-n", ns, "-f", "-"], {
    input: JSON.stringify({
      ...group("bad", { subnetIDs: ["sn-1"] }),
      metadata: { name: "bad", namespace: ns },
    }),
  });
  assert.notEqual(out.code, 0);
  assert.match(out.stderr, /subnetIDs must be subnet IDs/);
  await assertNoSecretsLeaked(env);
});
