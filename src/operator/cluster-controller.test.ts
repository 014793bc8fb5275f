// The cluster reconciler against a real kube-apiserver with a scripted gateway (no AWS), when its
// informer lags behind its own writes: a reconcile that starts before the status write's watch
// event arrived must not create the cache a second time.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sharedControlPlane } from "../../test/support/controlplane.ts";
import { installCrds } from "../../test/support/crds.ts";
import { createTestNamespace } from "../../test/support/namespace.ts";
import { parseStoredElastiCacheCluster } from "../api/stored-objects.ts";
import type { AwsClients } from "../aws/clients.ts";
import { loadKubeConfig } from "../kube/client.ts";
import { EventRecorder } from "../kube/events.ts";
import type { Informer } from "../kube/informer.ts";
import { type KubeObject, KubeRest } from "../kube/rest.ts";
import type { Action, ObservedCache } from "../planner/model.ts";
import { OWNER_TAG, UID_TAG } from "../planner/ownership.ts";
import { observedFor } from "../planner/testing.ts";
import { NO_TOKEN_FINGERPRINT } from "../planner/token-fingerprint.ts";
import type { CacheGateway } from "../reconcile/cache-gateway.ts";
import { clusterReconciler } from "./cluster-controller.ts";
import { clusterResource } from "./resources.ts";

let rest: KubeRest;
let namespace: string;

before(async () => {
  await installCrds();
  const cp = await sharedControlPlane();
  rest = new KubeRest(loadKubeConfig({ path: cp.kubeconfig }).config);
  namespace = await createTestNamespace("clusterctl");
});

after(async () => {
  await (await sharedControlPlane()).stop();
});

test("an informer that has the finalizer but not the status written after the create: no second create", async () => {
  const created = await rest.create<KubeObject>(clusterResource, {
    apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
    kind: "ElastiCacheCluster",
    metadata: { name: "lagging", namespace },
    spec: {
      providerRef: { name: "p" },
      clusterID: "lagging",
      engine: "memcached",
      engineVersion: "1.6.22",
      nodeType: "cache.t3.micro",
      numCacheNodes: 1,
    },
  });
  const spec = parseStoredElastiCacheCluster(created).spec;
  const calls: string[] = [];
  let cache: ObservedCache | undefined;
  const gateway: CacheGateway = {
    observe: async (id) => {
      calls.push(`observe ${id}`);
      return cache;
    },
    listTags: async () => cache?.tags ?? {},
    execute: async (action: Action) => {
      calls.push(action.type);
      if (action.type !== "create") return;
      if (cache !== undefined) throw Object.assign(new Error("exists"), { kind: "AlreadyExists" });
      const owner = { [OWNER_TAG]: `${namespace}/lagging`, [UID_TAG]: created.metadata?.uid ?? "" };
      cache = { ...observedFor(spec, { tags: owner }), status: "creating" };
    },
  };
  // The informer stand-in serves whatever the test puts in it.
  let informed: KubeObject | undefined = created;
  const reconcile = clusterReconciler({
    rest,
    clusters: {
      get: () => informed,
      list: () => (informed ? [informed] : []),
    } as unknown as Informer<KubeObject>,
    secrets: { get: () => undefined },
    provider: () => ({ defaultTags: {}, gateway, clients: {} as AwsClients }),
    events: new EventRecorder({ rest }),
    now: () => Date.now(),
    rotationGraceSeconds: 60,
    allowCrossNamespaceSecrets: false,
    fingerprint: async () => NO_TOKEN_FINGERPRINT,
    tagCheckMs: 3_600_000,
  });

  await reconcile({ key: `${namespace}/lagging` } as never);
  assert.deepEqual(calls, ["create"]);
  const written = await rest.get<KubeObject>(clusterResource, { namespace, name: "lagging" });
  assert.equal((written as { status?: { topology?: string } }).status?.topology, "CacheCluster");

  // The version the finalizer add made: finalizer present, no status yet, an older resourceVersion.
  informed = {
    ...written,
    metadata: { ...written.metadata, resourceVersion: String(Number(written.metadata?.resourceVersion) - 1) },
    status: undefined,
  } as KubeObject;
  calls.length = 0;
  await reconcile({ key: `${namespace}/lagging` } as never);
  assert.deepEqual(calls, ["observe lagging"], "the cache is looked at, not created again");

  // Once the informer has the write, it is the informer's copy that is used.
  informed = await rest.get<KubeObject>(clusterResource, { namespace, name: "lagging" });
  calls.length = 0;
  await reconcile({ key: `${namespace}/lagging` } as never);
  assert.deepEqual(calls, ["observe lagging"]);
});
