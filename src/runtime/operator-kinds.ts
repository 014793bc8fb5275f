// The operator's side of the runtime: an informer and a controller per managed kind, and the
// handlers that wake an object when what it depends on changes (its provider, its Secrets, the
// objects it names, the objects that name it).

import { familyGraph } from "../kinds/graph.ts";
import { managedKinds } from "../kinds/registry.ts";
import type { ControllerMetrics } from "../kube/controller-metrics.ts";
import type { Enqueuer } from "../kube/handlers.ts";
import * as kit from "../kube/index.ts";
import type { KubeObject, KubeRest } from "../kube/rest.ts";
import { controllerOf } from "../operator/connection-secret.ts";
import { providerShard, usingProvider } from "../operator/provider-users.ts";
import type { ProviderRef, ProviderResolution } from "../operator/ready-provider.ts";
import type { TokenFingerprint } from "../planner/token-fingerprint.ts";
import type { SecretObject } from "../secrets/secret-values.ts";
import type { AnyManagedKind } from "./kind.ts";
import { kindReconciler } from "./kind-controller.ts";
import type { ObjectLookup, ReferenceGraph } from "./references.ts";
import { defaultRequeuePolicy, type RequeuePolicy } from "./requeue-policy.ts";
import { resourceOf } from "./resource-of.ts";

export interface OperatorKindsDeps {
  rest: KubeRest;
  namespace?: string;
  logger: kit.Logger;
  resyncMs: number;
  workers: number;
  secrets: kit.Informer<SecretObject>;
  clusters: kit.Informer<KubeObject>;
  provider(namespace: string, ref: ProviderRef): ProviderResolution;
  events: kit.EventRecorder;
  now: () => number;
  metrics: ControllerMetrics;
  policy?: RequeuePolicy;
  /** The keyed fingerprint of secret values (passwords) kept in status. */
  fingerprint?: () => Promise<TokenFingerprint>;
}

export interface OperatorKinds {
  informers: kit.Informer<KubeObject>[];
  controllers: kit.Controller[];
  graph: ReferenceGraph;
  /** Wakes the family's objects using a provider (its status changed). */
  providerChanged(provider: KubeObject): void;
  /** Wires the cluster controller: clusters wake when what they name changes. */
  wakeClusters(clusterController: Enqueuer): void;
}

export function operatorKinds(deps: OperatorKindsDeps): OperatorKinds {
  const entries = managedKinds.map((kind) => ({
    kind,
    resource: resourceOf(kind.definition),
    informer: new kit.Informer<KubeObject>(deps.rest, resourceOf(kind.definition), {
      namespace: deps.namespace,
      logger: deps.logger,
      resyncMs: deps.resyncMs,
    }),
  }));
  const informers = new Map<string, kit.Informer<KubeObject>>(
    entries.map((e) => [e.kind.definition.kind, e.informer]),
  );
  informers.set("ElastiCacheCluster", deps.clusters);
  const graph = familyGraph((kind) => informers.get(kind) ?? emptyLookup);
  const controllers = entries.map(
    (e) =>
      new kit.Controller({
        kind: e.kind.definition.kind,
        backoff: (deps.policy ?? defaultRequeuePolicy).backoff,
        workers: deps.workers,
        shardOf: (key) => providerShard(e.informer, key),
        maxInFlightPerShard: Math.max(1, Math.ceil(deps.workers / 2)),
        metrics: deps.metrics,
        logger: deps.logger,
        reconcile: kindReconciler({
          rest: deps.rest,
          kind: e.kind,
          resource: e.resource,
          objects: e.informer,
          graph,
          secrets: deps.secrets,
          provider: deps.provider,
          events: deps.events,
          now: deps.now,
          policy: deps.policy,
          fingerprint: deps.fingerprint,
        }),
      }),
  );
  entries.forEach((e, i) => {
    const controller = controllers[i] as kit.Controller;
    e.informer.addHandlers(kit.enqueueObject(controller));
    // Its Secrets (passwords), and its connection Secret's name when another holds it (a
    // SecretConflict clears once that Secret is gone).
    deps.secrets.addHandlers(
      kit.enqueueMapped(controller, (s) =>
        e.informer
          .list()
          .filter((o) => o.metadata?.namespace === s.metadata?.namespace)
          .filter(
            (o) =>
              secretNames(e.kind, o).includes(s.metadata?.name ?? "") ||
              (connectionSecretName(e.kind, o) === s.metadata?.name &&
                controllerOf(s)?.uid !== o.metadata?.uid),
          )
          .map((o) => kit.objectKey(o)),
      ),
    );
    // The objects it names (becoming Ready), and those that name it (a deletion held for them).
    for (const other of entries) {
      other.informer.addHandlers(
        kit.enqueueMapped(
          controller,
          (changed) => [
            ...graph.dependents(e.kind.definition.kind, changed, other.kind.definition.kind),
            ...graph.targets(other.kind.definition.kind, changed, e.kind.definition.kind),
          ],
          { onlySignificant: false },
        ),
      );
    }
    deps.clusters.addHandlers(
      kit.enqueueMapped(
        controller,
        (c) => [
          ...graph.dependents(e.kind.definition.kind, c, "ElastiCacheCluster"),
          ...graph.targets("ElastiCacheCluster", c, e.kind.definition.kind),
        ],
        { onlySignificant: false },
      ),
    );
  });
  return {
    informers: entries.map((e) => e.informer),
    controllers,
    graph,
    providerChanged(provider) {
      entries.forEach((e, i) => {
        for (const key of usingProvider(e.informer, provider)) controllers[i]?.enqueue(key);
      });
    },
    wakeClusters(clusterController) {
      for (const e of entries)
        e.informer.addHandlers(
          kit.enqueueMapped(
            clusterController,
            (o) => graph.dependents("ElastiCacheCluster", o, e.kind.definition.kind),
            {
              onlySignificant: false,
            },
          ),
        );
    },
  };
}

const emptyLookup: ObjectLookup = { get: () => undefined, list: () => [] };

function connectionSecretName(kind: AnyManagedKind, obj: KubeObject): string | undefined {
  if (kind.connectionSecret === undefined) return undefined;
  try {
    return kind.connectionSecret.name(
      kind.parseSpec((obj as { spec?: unknown }).spec),
      obj.metadata?.name ?? "",
    );
  } catch {
    return undefined;
  }
}

function secretNames(kind: AnyManagedKind, obj: KubeObject): string[] {
  try {
    return (kind.secretInputs?.(kind.parseSpec((obj as { spec?: unknown }).spec)) ?? []).map((s) => s.name);
  } catch {
    return [];
  }
}
