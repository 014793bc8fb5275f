// ElastiCacheCluster: finalizer, provider and Secret resolution, then the shared reconcile step
// (src/reconcile), status, Events and the connection Secret.
import type { ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import { type ElastiCacheCluster, InvalidObjectError } from "../api/object-schemas.ts";
import { parseStoredElastiCacheCluster } from "../api/stored-objects.ts";
import type { AwsClients } from "../cloud/clients.ts";
import { ADOPT_ANNOTATION } from "../engine/ownership.ts";
import { NO_TOKEN_FINGERPRINT, type TokenFingerprint } from "../engine/token-fingerprint.ts";
import { done, type Reconciler, requeueAfter } from "../kube/controller.ts";
import type { EventRecorder } from "../kube/events.ts";
import { addFinalizer, hasFinalizer, removeFinalizer } from "../kube/finalizers.ts";
import type { Informer } from "../kube/informer.ts";
import { OwnWrites } from "../kube/own-writes.ts";
import type { KubeObject, KubeRest } from "../kube/rest.ts";
import { writeStatus } from "../kube/status.ts";
import { clusterStep, type StepEvent } from "../reconcile/cluster-step.ts";
import type { CacheGateway } from "../reconcile/gateway.ts";
import { blocked as writeBlocked } from "../runtime/kind-controller.ts";
import { AuthTokenError, readAuthToken } from "../secrets/auth-token.ts";
import type { SecretLookup } from "../secrets/secret-values.ts";
import type { AwsRecovery } from "./aws-recovery.ts";
import {
  connectionSecretConflict,
  connectionSecretName,
  SecretConflictError,
  writeConnectionSecret,
} from "./connection-secret.ts";
import { FingerprintKeyError } from "./fingerprint-key.ts";
import type { ProviderRef } from "./ready-provider.ts";
import { CLUSTER_FINALIZER, clusterResource, FORCE_SYNC_ANNOTATION } from "./resources.ts";

export interface ReadyProvider {
  defaultTags: Record<string, string>;
  gateway: CacheGateway;
  /** The provider's AWS clients (the other kinds of the family call through them). */
  clients: AwsClients;
}

export interface ClusterControllerDeps {
  rest: KubeRest;
  clusters: Informer<KubeObject>;
  secrets: SecretLookup;
  /** The provider's gateway when the provider is Ready; otherwise why not. */
  provider(namespace: string, ref: ProviderRef): ReadyProvider | { reason: string; message: string };
  events: EventRecorder;
  now: () => number;
  rotationGraceSeconds: number;
  allowCrossNamespaceSecrets: boolean;
  /** The keyed fingerprint of auth tokens (its key is loaded on first use). */
  fingerprint: () => Promise<TokenFingerprint>;
  /** Tags are re-read from AWS (drift check) at most this often per cluster, and at each force-sync. */
  tagCheckMs: number;
  /** Wakes clusters waiting on a provider's AWS as soon as it answers again. */
  recovery?: AwsRecovery;
  /** What the cluster names of the family (parameter group, subnet group, ...) that is not Ready yet. */
  references?: (
    namespace: string,
    spec: unknown,
    status: Record<string, unknown>,
  ) => { reason: string; message: string } | undefined;
}

export function clusterReconciler(deps: ClusterControllerDeps): Reconciler {
  const lastTagCheck = new Map<string, { at: number; forceSync?: string }>();
  // A reconcile right after our own write must not act on the informer's older copy (own-writes.ts).
  const writes = new OwnWrites((k) => deps.clusters.get(k));

  return async ({ key }) => {
    let raw = writes.freshest(key);
    if (raw === undefined) {
      lastTagCheck.delete(key);
      deps.recovery?.drop(key);
      return done;
    }
    const deleting = raw.metadata?.deletionTimestamp !== undefined;
    if (deleting && !hasFinalizer(raw, CLUSTER_FINALIZER)) return done;

    let cluster: ElastiCacheCluster;
    try {
      cluster = parseStoredElastiCacheCluster(raw);
    } catch (err) {
      if (!(err instanceof InvalidObjectError)) throw err;
      await blocked(deps, raw, "InvalidSpec", err.message);
      return done;
    }
    if (!deleting && !hasFinalizer(raw, CLUSTER_FINALIZER)) {
      const added = await addFinalizer(deps.rest, clusterResource, raw, CLUSTER_FINALIZER);
      if (added.object === undefined) return done;
      raw = added.object;
      writes.wrote(key, raw);
    }

    const namespace = cluster.metadata.namespace ?? "default";
    const provider = deps.provider(namespace, cluster.spec.providerRef);
    if (!("gateway" in provider)) {
      // Retain and Orphan never wait for a provider (the documentation's finalizer recovery).
      if (deleting && ["Retain", "Orphan"].includes(cluster.spec.deletionPolicy)) {
        await deps.events.warning(
          raw,
          "Released",
          `${provider.message}; deletionPolicy ${cluster.spec.deletionPolicy}: nothing done in AWS`,
        );
        await removeFinalizer(deps.rest, clusterResource, raw, CLUSTER_FINALIZER);
        return done;
      }
      await blocked(deps, raw, provider.reason, provider.message);
      return deleting ? requeueAfter(30_000) : done;
    }

    // A parameter group, subnet group, ... of the namespace that the cluster names must be Ready first.
    const waiting = deleting ? undefined : deps.references?.(namespace, cluster.spec, cluster.status ?? {});
    if (waiting !== undefined) {
      await blocked(deps, raw, waiting.reason, waiting.message);
      return done;
    }

    let authToken: string | undefined;
    try {
      authToken = readAuthToken(cluster, deps.secrets, deps.allowCrossNamespaceSecrets);
    } catch (err) {
      if (!(err instanceof AuthTokenError) || deleting) throw err;
      await blocked(deps, raw, err.reason, err.message);
      return done;
    }

    // Another's Secret under the connection Secret's name: refused before anything is made in AWS.
    const secretName = connectionSecretName(cluster);
    const conflict = deleting
      ? undefined
      : connectionSecretConflict(deps.secrets.get(`${namespace}/${secretName}`), cluster);
    if (conflict !== undefined) {
      await blocked(deps, raw, "SecretConflict", conflict);
      return done;
    }

    let fingerprint: TokenFingerprint = NO_TOKEN_FINGERPRINT;
    if (authToken !== undefined) {
      try {
        fingerprint = await deps.fingerprint();
      } catch (err) {
        if (!(err instanceof FingerprintKeyError) || deleting) throw err;
        await blocked(deps, raw, err.reason, err.message);
        return requeueAfter(30_000);
      }
    }

    const forceSync = cluster.metadata.annotations?.[FORCE_SYNC_ANNOTATION];
    // What this process saw, else what the status remembers (so a restart re-reads nothing early).
    const previous = lastTagCheck.get(key) ?? persistedTagCheck(cluster.status);
    // A forced sync (and the first look at a cluster never checked) re-reads everything from AWS, fresh.
    const forced = previous === undefined || previous.forceSync !== forceSync;
    const checkTags = forced || deps.now() - previous.at >= deps.tagCheckMs;

    const result = await clusterStep({
      owner: { namespace, name: cluster.metadata.name, uid: cluster.metadata.uid ?? "" },
      generation: cluster.metadata.generation ?? 0,
      spec: cluster.spec,
      status: cluster.status ?? {},
      deleting,
      adopt: cluster.metadata.annotations?.[ADOPT_ANNOTATION] === "true",
      defaultTags: provider.defaultTags,
      authToken,
      fingerprint,
      gateway: provider.gateway,
      now: new Date(deps.now()),
      rotationGraceSeconds: deps.rotationGraceSeconds,
      checkTags,
      freshRead: forced,
    });
    if (checkTags && result.backoff === false) {
      lastTagCheck.set(key, { at: deps.now(), forceSync });
      result.status.tagsCheckedAt = new Date(deps.now()).toISOString();
      if (forceSync === undefined) delete result.status.forceSyncHandled;
      else result.status.forceSyncHandled = forceSync;
    }
    const providerKey = `${namespace}/${cluster.spec.providerRef.name}`;
    if (result.awsDown) deps.recovery?.waiting(providerKey, key);
    else deps.recovery?.answered(providerKey, key);

    if (!result.release) {
      const status = await writeStatus(deps.rest, clusterResource, raw, result.status);
      if (status.written) writes.wrote(key, status.object);
    }
    await record(deps, raw, result.events);
    if (result.connection) {
      try {
        await writeConnectionSecret(
          deps.rest,
          raw as ElastiCacheCluster,
          secretName,
          result.connection,
          cluster.spec.authTokenRef !== undefined,
        );
      } catch (err) {
        if (!(err instanceof SecretConflictError)) throw err;
        await blocked(deps, raw, err.reason, err.message);
        return done;
      }
    }
    if (result.release) {
      await removeFinalizer(deps.rest, clusterResource, raw, CLUSTER_FINALIZER);
      lastTagCheck.delete(key);
      writes.forget(key);
      return done;
    }
    if (result.backoff) {
      const synced = result.status.conditions?.find((c) => c.type === "Synced");
      throw new Error(synced?.message ?? "reconcile failed; retrying");
    }
    // A settled cluster waits for the informer's periodic resync, which wakes every cluster at once,
    // so one batched listing per provider serves them all.
    return result.requeueAfterMs === undefined ? done : requeueAfter(result.requeueAfterMs);
  };
}

/** The last tag check recorded in status by an earlier run of the operator, if any. */
export function persistedTagCheck(
  status: ElastiCacheClusterStatus | undefined,
): { at: number; forceSync?: string } | undefined {
  const at = status?.tagsCheckedAt === undefined ? Number.NaN : Date.parse(status.tagsCheckedAt);
  if (!Number.isFinite(at)) return undefined;
  return status?.forceSyncHandled === undefined ? { at } : { at, forceSync: status.forceSyncHandled };
}

async function record(deps: ClusterControllerDeps, obj: KubeObject, events: StepEvent[]): Promise<void> {
  for (const e of events) {
    if (e.type === "Normal") await deps.events.normal(obj, e.reason, e.message);
    else await deps.events.warning(obj, e.reason, e.message);
  }
}

/** Reports why nothing can be done in AWS yet (no call was made), as conditions and an Event. */
function blocked(
  deps: ClusterControllerDeps,
  raw: KubeObject,
  reason: string,
  message: string,
): Promise<void> {
  return writeBlocked({ ...deps, resource: clusterResource }, raw, reason, message);
}
