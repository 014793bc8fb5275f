// The runtime's reconciler against a real kube-apiserver with a scripted ElastiCache (no AWS):
// finalizer, one call per reconcile, status and Events written, a missing provider reported,
// a missing reference waited for, and a Delete held while a cluster names the object.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sharedControlPlane } from "../../test/support/controlplane.ts";
import { installCrds } from "../../test/support/crds.ts";
import { createTestNamespace } from "../../test/support/namespace.ts";
import type { AwsClients } from "../aws/clients.ts";
import { subnetGroupKind } from "../kinds/subnet-group/index.ts";
import { loadKubeConfig } from "../kube/client.ts";
import { EventRecorder } from "../kube/events.ts";
import type { Informer } from "../kube/informer.ts";
import { coreResources } from "../kube/resource.ts";
import { type KubeObject, KubeRest } from "../kube/rest.ts";
import { kindReconciler } from "./kind-controller.ts";
import { kindSource, ReferenceGraph } from "./references.ts";
import { resourceOf } from "./resource-of.ts";

const resource = resourceOf(subnetGroupKind.definition);
let rest: KubeRest;
let namespace: string;

/** What the scripted ElastiCache holds and was asked. */
const aws: { group: Record<string, unknown> | undefined; sent: string[] } = { group: undefined, sent: [] };
const elasticache = {
  send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const op = command.constructor.name.replace(/Command$/, "");
    aws.sent.push(op);
    if (op === "DescribeCacheSubnetGroups") {
      if (aws.group === undefined)
        throw Object.assign(new Error("none"), {
          name: "CacheSubnetGroupNotFoundFault",
          $metadata: { httpStatusCode: 404 },
        });
      return { CacheSubnetGroups: [aws.group] };
    }
    if (op === "ListTagsForResource") return { TagList: (aws.group?.tags as unknown[]) ?? [] };
    if (op === "CreateCacheSubnetGroup") {
      aws.group = {
        CacheSubnetGroupName: command.input.CacheSubnetGroupName,
        CacheSubnetGroupDescription: command.input.CacheSubnetGroupDescription,
        ARN: "arn:aws:elasticache:us-east-1:000000000000:subnetgroup:g",
        VpcId: "vpc-1",
        Subnets: (command.input.SubnetIds as string[]).map((id) => ({ SubnetIdentifier: id })),
        tags: command.input.Tags,
      };
      return {};
    }
    return {};
  },
};
const clients = { elasticache, onCall: undefined } as unknown as AwsClients;

/** An informer stand-in that reads the API server (the reconciler only calls get and list). */
function liveObjects(objects: Map<string, KubeObject>): Informer<KubeObject> {
  return {
    get: (key: string) => objects.get(key),
    list: () => [...objects.values()],
  } as unknown as Informer<KubeObject>;
}

before(async () => {
  await installCrds();
  const cp = await sharedControlPlane();
  rest = new KubeRest(loadKubeConfig({ path: cp.kubeconfig }).config);
  namespace = await createTestNamespace("kindctl");
});

after(async () => {
  await (await sharedControlPlane()).stop();
});

function setup(provider: "ready" | "missing" = "ready") {
  const objects = new Map<string, KubeObject>();
  const clusters = new Map<string, KubeObject>();
  const graph = new ReferenceGraph([
    kindSource(subnetGroupKind, liveObjects(objects)),
    {
      kind: "ElastiCacheCluster",
      informer: liveObjects(clusters),
      references: (spec) => {
        const name = (spec as { subnetGroupName?: string }).subnetGroupName;
        return name
          ? [{ kind: "ElastiCacheSubnetGroup", name, awsName: name, field: "spec.subnetGroupName" }]
          : [];
      },
    },
  ]);
  const reconcile = kindReconciler({
    rest,
    kind: subnetGroupKind,
    resource,
    objects: liveObjects(objects),
    graph,
    secrets: { get: () => undefined },
    provider: () =>
      provider === "ready"
        ? { defaultTags: { team: "a" }, clients, gateway: undefined as never }
        : { reason: "ProviderNotFound", message: "AWSProvider x does not exist: create it" },
    events: new EventRecorder({ rest }),
    now: () => Date.now(),
  });
  const refresh = async (name: string) => {
    const o = await rest.get<KubeObject>(resource, { namespace, name }).catch(() => undefined);
    if (o) objects.set(`${namespace}/${name}`, o);
    else objects.delete(`${namespace}/${name}`);
    return o;
  };
  return { reconcile, refresh, clusters };
}

async function create(name: string): Promise<void> {
  await rest.create(resource, {
    apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
    kind: "ElastiCacheSubnetGroup",
    metadata: { name, namespace },
    spec: { providerRef: { name: "p" }, subnetGroupName: name, description: "d", subnetIDs: ["subnet-1"] },
  });
}

const status = (o: KubeObject | undefined) =>
  (o as { status?: { ready?: boolean; conditions?: { type: string; reason: string; message: string }[] } })
    ?.status;

test("create, then Ready: a finalizer, one create call, conditions and Events written", async () => {
  const c = setup();
  await create("g");
  await c.refresh("g");
  const first = await c.reconcile({ key: `${namespace}/g` } as never);
  let o = await c.refresh("g");
  assert.deepEqual(o?.metadata?.finalizers, ["aws-infra-operator.runner.codes/finalizer"]);
  assert.deepEqual(aws.sent, ["DescribeCacheSubnetGroups", "CreateCacheSubnetGroup"]);
  assert.equal(status(o)?.conditions?.find((x) => x.type === "Ready")?.reason, "Creating");
  assert.equal(first.kind, "requeueAfter");
  aws.sent.length = 0;
  const second = await c.reconcile({ key: `${namespace}/g` } as never);
  o = await c.refresh("g");
  assert.equal(status(o)?.ready, true);
  assert.equal(second.kind, "done", "settled: the next look is the periodic resync");
  assert.deepEqual(
    aws.sent,
    ["DescribeCacheSubnetGroups", "ListTagsForResource"],
    "no mutating call once as asked",
  );
  const events = await rest.list<KubeObject & { reason?: string }>(coreResources.events, namespace);
  const reasons = events.items
    .filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === "g")
    .map((e) => e.reason);
  assert.ok(reasons.includes("Creating") && reasons.includes("Ready"), reasons.join(","));
});

test("a Delete is held while a cluster names the group, and goes on once it does not", async () => {
  const c = setup();
  c.clusters.set(`${namespace}/cache`, {
    metadata: { name: "cache", namespace },
    spec: { subnetGroupName: "g" },
  } as KubeObject);
  await rest.delete(resource, { namespace, name: "g" });
  await c.refresh("g");
  aws.sent.length = 0;
  await c.reconcile({ key: `${namespace}/g` } as never);
  const held = await c.refresh("g");
  assert.equal(status(held)?.conditions?.find((x) => x.type === "Ready")?.reason, "InUse");
  assert.match(status(held)?.conditions?.[0]?.message ?? "", /ElastiCacheCluster cache/);
  assert.equal(aws.sent.length, 0, "nothing asked of AWS while held");
  c.clusters.clear();
  await c.reconcile({ key: `${namespace}/g` } as never);
  assert.ok(aws.sent.includes("DeleteCacheSubnetGroup"), aws.sent.join(","));
  aws.group = undefined;
  await c.refresh("g");
  await c.reconcile({ key: `${namespace}/g` } as never);
  assert.equal(await c.refresh("g"), undefined, "the finalizer went once the group was gone");
});

test("no Ready provider: both conditions say why, no AWS call", async () => {
  const c = setup("missing");
  aws.sent.length = 0;
  await create("h");
  await c.refresh("h");
  await c.reconcile({ key: `${namespace}/h` } as never);
  const o = await c.refresh("h");
  assert.equal(status(o)?.conditions?.find((x) => x.type === "Synced")?.reason, "ProviderNotFound");
  assert.deepEqual(aws.sent, []);
});
