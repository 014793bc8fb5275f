// ElastiCacheCluster's adapter to the shared controller shell (src/runtime/object-reconciler.ts):
// what only clusters have around their step (src/reconcile/cluster-step.ts): the auth token from
// its Secret, the tag drift check's interval and force-sync, wake-ups when AWS answers again.
import type { ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import type { ElastiCacheCluster } from "../api/object-schemas.ts";
import { parseStoredElastiCacheCluster } from "../api/stored-objects.ts";
import type { Reconciler } from "../kube/controller.ts";
import type { EventRecorder } from "../kube/events.ts";
import type { Informer } from "../kube/informer.ts";
import type { KubeObject, KubeRest } from "../kube/rest.ts";
import { ADOPT_ANNOTATION } from "../planner/ownership.ts";
import { NO_TOKEN_FINGERPRINT, type TokenFingerprint } from "../planner/token-fingerprint.ts";
import { clusterStep } from "../reconcile/cluster-step.ts";
import { Blocked, objectReconciler, type StepAdapter } from "../runtime/object-reconciler.ts";
import { clusterRequeuePolicy, type RequeuePolicy } from "../runtime/requeue-policy.ts";
import { AuthTokenError, readAuthToken } from "../secrets/auth-token.ts";
import type { SecretLookup } from "../secrets/secret-values.ts";
import type { AwsRecovery } from "./aws-recovery.ts";
import { connectionSecretName } from "./connection-secret.ts";
import { FingerprintKeyError } from "./fingerprint-key.ts";
import type { ProviderRef, ProviderResolution } from "./ready-provider.ts";
import { clusterResource, FORCE_SYNC_ANNOTATION } from "./resources.ts";

export interface ClusterControllerDeps {
  rest: KubeRest;
  clusters: Informer<KubeObject>;
  secrets: SecretLookup;
  /** The provider's gateway when the provider is Ready; otherwise why not. */
  provider(namespace: string, ref: ProviderRef): ProviderResolution;
  events: EventRecorder;
  now: () => number;
  rotationGraceSeconds: number;
  allowCrossNamespaceSecrets: boolean;
  /** The keyed fingerprint of auth tokens (its key is loaded on first use). */
  fingerprint: () => Promise<TokenFingerprint>;
  /** Tags are re-read from AWS (drift check) at most this often per cluster, and at each force-sync. */
  tagCheckMs: number;
  /** When to look again (default clusterRequeuePolicy). */
  policy?: RequeuePolicy;
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
  return objectReconciler(
    { ...deps, resource: clusterResource, objects: deps.clusters },
    clusterAdapter(deps),
  );
}

/** The auth token read from the cluster's Secret (never stored; only its keyed fingerprint is). */
interface ClusterInputs {
  authToken: string | undefined;
}

function clusterAdapter(deps: ClusterControllerDeps): StepAdapter<ElastiCacheCluster, ClusterInputs> {
  const lastTagCheck = new Map<string, { at: number; forceSync?: string }>();
  const policy = deps.policy ?? clusterRequeuePolicy;
  return {
    parse: parseStoredElastiCacheCluster,
    providerRef: (cluster) => cluster.spec.providerRef,
    deletionPolicy: (cluster) => cluster.spec.deletionPolicy,
    inputs: ({ parsed: cluster, namespace, deleting }) => {
      // A parameter group, subnet group, ... of the namespace that the cluster names must be Ready first.
      const waiting = deleting ? undefined : deps.references?.(namespace, cluster.spec, cluster.status ?? {});
      if (waiting !== undefined) throw new Blocked(waiting, policy.missingInputMs);
      try {
        return { authToken: readAuthToken(cluster, deps.secrets, deps.allowCrossNamespaceSecrets) };
      } catch (err) {
        if (!(err instanceof AuthTokenError) || deleting) throw err;
        throw new Blocked(err, policy.missingInputMs);
      }
    },
    secrets: ({ authToken }) => (authToken === undefined ? [] : [authToken]),
    connectionSecret: ({ parsed: cluster }) => ({
      name: connectionSecretName(cluster),
      keepToken: cluster.spec.authTokenRef !== undefined,
    }),
    step: async ({ key, parsed: cluster, namespace, deleting }, { authToken }, provider) => {
      let fingerprint: TokenFingerprint = NO_TOKEN_FINGERPRINT;
      if (authToken !== undefined) {
        try {
          fingerprint = await deps.fingerprint();
        } catch (err) {
          if (!(err instanceof FingerprintKeyError) || deleting) throw err;
          throw new Blocked(err, policy.keyUnavailableMs);
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
        policy,
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
      return result;
    },
    gone: (key) => {
      lastTagCheck.delete(key);
      deps.recovery?.drop(key);
    },
    released: (key) => lastTagCheck.delete(key),
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
