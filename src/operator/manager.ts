// Wires the operator: informers, the controllers, leader election, health and metrics,
// and a graceful stop (in-flight reconciles finish, the Lease is released).
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { AwsClients } from "../aws/clients.ts";
import { ClientCache } from "../aws/clients.ts";
import { iamActionOf } from "../aws/errors.ts";
import { clusterReferences } from "../kinds/cluster-references.ts";
import * as kit from "../kube/index.ts";
import { Manager, type ManagerOutcome } from "../kube/manager.ts";
import type { CacheGateway } from "../reconcile/cache-gateway.ts";
import { operatorKinds } from "../runtime/operator-kinds.ts";
import { clusterRequeuePolicy } from "../runtime/requeue-policy.ts";
import { providerSecretNames } from "../secrets/provider-auth.ts";
import type { SecretObject } from "../secrets/secret-values.ts";
import { AwsRecovery } from "./aws-recovery.ts";
import { clusterReconciler } from "./cluster-controller.ts";
import { controllerOf } from "./connection-secret.ts";
import { lazyFingerprint, loadOrCreateFingerprintKey } from "./fingerprint-key.ts";
import type { IdentityPolicy } from "./identity-policy.ts";
import { selects } from "./label-selector.ts";
import { registerObjectMetrics } from "./object-metrics.ts";
import { providerReconciler } from "./provider-controller.ts";
import { clusterProviderKind, namespacedProviderKind } from "./provider-kinds.ts";
import { providerRefOf, providerShard, usingProvider } from "./provider-users.ts";
import { readyProviderResolver } from "./ready-provider.ts";
import { clusterProviderResource, clusterResource, providerResource } from "./resources.ts";
import { serviceAccountTokenSource } from "./service-account-token.ts";

export interface OperatorOptions {
  kubeconfig?: string;
  /** API server requests per second and burst (`--kube-api-qps`, `--kube-api-burst`); qps 0: unlimited. */
  kubeApi?: kit.RateLimit;
  /** Watch one namespace; all when undefined. */
  namespace?: string;
  leaderElection: boolean;
  leaderElectionNamespace: string;
  /** Lease validity without renewal; renew deadline (< duration); time between attempts. */
  leaseTimings: LeaseTimings;
  metricsAddress: string;
  logLevel: kit.LogLevel;
  logFormat: kit.LogFormat;
  concurrency: number;
  resyncMs: number;
  providerRecheckMs: number;
  tagCheckMs: number;
  rotationGraceSeconds: number;
  allowCrossNamespaceSecrets: boolean;
  /** Where the key of the auth token fingerprints lives (made on first use). */
  fingerprintKeySecret: { namespace: string; name: string };
  /** Which endpoints and identities providers may use (`--allowed-endpoints`, `--operator-identity-namespaces`). */
  identityPolicy: IdentityPolicy;
  /** Where ClusterAWSProviders' Secrets and ServiceAccounts are read (`--cluster-resource-namespace`). */
  clusterResourceNamespace: string;
  /**
   * Builds the cache gateway of a provider's clients (the AWS layer's gateway, batch observer,
   * event feed); `onChanged` is told of each cache an AWS event names.
   */
  makeGateway: (clients: AwsClients, hooks: { onChanged: (id: string) => void }) => CacheGateway;
}

export interface LeaseTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** Runs the operator until `stop` aborts ("stopped") or leadership is lost ("lost-leadership"). */
export async function runOperator(options: OperatorOptions, stop: AbortSignal): Promise<ManagerOutcome> {
  const logger = kit.createLogger({ level: options.logLevel, format: options.logFormat });
  const { config } = kit.loadKubeConfig({ path: options.kubeconfig });
  const { rest } = kit.makeKubeClients(config, { rateLimit: options.kubeApi });
  const registry = new kit.Registry();
  const controllerMetrics = kit.createControllerMetrics(registry);
  const awsMetrics = kit.createAwsCallMetrics(registry);
  const events = new kit.EventRecorder({ rest, logger });
  const now = () => Date.now();

  // Informers keep lean copies: no managedFields, no last-applied annotation (src/kube/lean.ts).
  const informerOptions = { namespace: options.namespace, logger, transform: kit.leanObject };
  const providers = new kit.Informer<kit.KubeObject>(rest, providerResource, informerOptions);
  const clusters = new kit.Informer<kit.KubeObject>(rest, clusterResource, {
    ...informerOptions,
    resyncMs: options.resyncMs,
  });
  const secrets = new kit.Informer<SecretObject>(rest, kit.coreResources.secrets, informerOptions);
  const informers: kit.Informer<kit.KubeObject>[] = [providers, clusters, secrets];

  // Set once the manager exists; no AWS call is made before it runs.
  let manager: Manager | undefined;
  // One name for this process: the Lease holder, and the app id of its AWS calls (CloudTrail's
  // userAgent; the local cloud counts calls per app id), so every AWS call names its replica.
  const identity = `${hostname()}_${randomBytes(4).toString("hex")}`;
  const clientCache = new ClientCache({
    appId: identity,
    // No mutation leaves a replica that does not hold the Lease at that instant.
    fence: () => manager?.holdsLease() ?? false,
    onCall: (operation, outcome, ms) => {
      const service = iamActionOf(operation).split(":")[0] ?? "elasticache";
      kit.recordAwsCall(awsMetrics, { service, action: operation }, outcome, ms);
    },
  });
  const serviceAccountTokens = (ns: string, name: string) => serviceAccountTokenSource(rest, ns, name);

  // ClusterAWSProviders, and the namespace labels their namespaceSelector is matched against.
  const clusterKind = clusterProviderKind(options.clusterResourceNamespace);
  const clusterProviders = new kit.Informer<kit.KubeObject>(rest, clusterProviderResource, {
    logger,
    transform: kit.leanObject,
  });
  const namespaces = new kit.Informer<kit.KubeObject>(rest, kit.coreResources.namespaces, {
    logger,
    transform: kit.leanObject,
  });
  // Their Secrets live in the cluster resource namespace, which a one-namespace operator may not watch.
  const clusterSecrets =
    options.namespace === undefined || options.namespace === options.clusterResourceNamespace
      ? secrets
      : new kit.Informer<SecretObject>(rest, kit.coreResources.secrets, {
          namespace: options.clusterResourceNamespace,
          logger,
          transform: kit.leanObject,
        });
  informers.push(clusterProviders, namespaces);
  registerObjectMetrics(registry, {
    clusters,
    providers: [
      { kind: "AWSProvider", informer: providers },
      { kind: "ClusterAWSProvider", informer: clusterProviders },
    ],
  });
  if (clusterSecrets !== secrets) informers.push(clusterSecrets);

  const readyProvider = readyProviderResolver({
    namespaced: { kind: namespacedProviderKind, informer: providers, secrets },
    cluster: { kind: clusterKind, informer: clusterProviders, secrets: clusterSecrets },
    namespaces,
    clients: clientCache,
    identityPolicy: options.identityPolicy,
    serviceAccountTokens,
    // A cache an AWS event names (a change made outside the operator, say) is looked at again now.
    makeGateway: (clients) =>
      options.makeGateway(clients, {
        onChanged: (id) => {
          for (const c of clusters.list())
            if (clusterIdOf(c) === id) clusterController.enqueue(kit.objectKey(c));
        },
      }),
  });

  const providerDeps = {
    rest,
    clients: clientCache,
    events,
    now,
    recheckMs: options.providerRecheckMs,
    identityPolicy: options.identityPolicy,
    serviceAccountTokens,
  };

  // Fair shares: one tenant's providers (a hung endpoint, say) hold at most half the provider
  // workers, and one provider's clusters at most half the cluster workers; the rest serve the others.
  const providerController = new kit.Controller({
    kind: "AWSProvider",
    workers: 4,
    shardOf: (key) => kit.splitKey(key).namespace ?? "",
    maxInFlightPerShard: 2,
    metrics: controllerMetrics,
    logger,
    reconcile: providerReconciler({ ...providerDeps, kind: namespacedProviderKind, providers, secrets }),
  });
  // An operator watching one namespace verifies only the ClusterAWSProviders that namespace may
  // use: several such operators never fight over the status of one they do not serve.
  const watched = options.namespace;
  const clusterProviderController = new kit.Controller({
    kind: "ClusterAWSProvider",
    workers: 1,
    metrics: controllerMetrics,
    logger,
    reconcile: providerReconciler({
      ...providerDeps,
      kind: clusterKind,
      providers: clusterProviders,
      secrets: clusterSecrets,
      ignores: (p) =>
        watched !== undefined &&
        !selects(p.spec.namespaceSelector, namespaces.get(watched)?.metadata?.labels),
    }),
  });
  // One key for the fingerprints of auth tokens and user passwords in status (ADR 0010).
  const fingerprint = lazyFingerprint(() =>
    loadOrCreateFingerprintKey(
      rest,
      options.fingerprintKeySecret.namespace,
      options.fingerprintKeySecret.name,
    ),
  );
  // The rest of the family (parameter groups, subnet groups, ...): one informer and controller per kind.
  const family = operatorKinds({
    rest,
    namespace: options.namespace,
    logger,
    resyncMs: options.resyncMs,
    workers: options.concurrency,
    secrets,
    clusters,
    provider: readyProvider,
    events,
    now,
    metrics: controllerMetrics,
    fingerprint,
  });
  informers.push(...family.informers);
  const recovery = new AwsRecovery({
    enqueue: (key) => clusterController.enqueue(key),
    forget: (key) => clusterController.queue.forget(key),
  });
  const clusterController: kit.Controller = new kit.Controller({
    kind: "ElastiCacheCluster",
    backoff: clusterRequeuePolicy.backoff,
    workers: options.concurrency,
    shardOf: (key) => providerShard(clusters, key),
    maxInFlightPerShard: Math.max(1, Math.ceil(options.concurrency / 2)),
    metrics: controllerMetrics,
    logger,
    reconcile: clusterReconciler({
      rest,
      clusters,
      secrets,
      provider: readyProvider,
      events,
      now,
      rotationGraceSeconds: options.rotationGraceSeconds,
      allowCrossNamespaceSecrets: options.allowCrossNamespaceSecrets,
      fingerprint,
      tagCheckMs: options.tagCheckMs,
      policy: clusterRequeuePolicy,
      recovery,
      references: (namespace, spec, status) =>
        family.graph.waitFor(namespace, clusterReferences(spec, status)),
    }),
  });
  family.wakeClusters(clusterController);
  const wakeFamily = (p: kit.KubeObject) => family.providerChanged(p);
  for (const informer of [providers, clusterProviders])
    informer.addHandlers({ add: wakeFamily, update: (_old, p) => wakeFamily(p), delete: wakeFamily });

  providers.addHandlers(kit.enqueueObject(providerController));
  // A provider turning Ready (a status change) must wake its clusters: not only significant updates.
  providers.addHandlers(
    kit.enqueueMapped(clusterController, (p) => usingProvider(clusters, p), {
      onlySignificant: false,
    }),
  );
  clusters.addHandlers(kit.enqueueObject(clusterController));
  secrets.addHandlers(kit.enqueueMapped(providerController, (s) => providersUsingSecret(providers, s)));
  secrets.addHandlers(kit.enqueueMapped(clusterController, (s) => clustersUsingSecret(clusters, s)));
  clusterProviders.addHandlers(kit.enqueueObject(clusterProviderController));
  clusterProviders.addHandlers(
    kit.enqueueMapped(clusterController, (p) => usingProvider(clusters, p), {
      onlySignificant: false,
    }),
  );
  clusterSecrets.addHandlers(
    kit.enqueueMapped(clusterProviderController, (s) =>
      s.metadata?.namespace === options.clusterResourceNamespace
        ? providersUsingSecret(clusterProviders, s)
        : [],
    ),
  );
  // A namespace's labels decide which ClusterAWSProviders it may use.
  namespaces.addHandlers(
    kit.enqueueMapped(clusterProviderController, () => clusterProviders.list().map((p) => kit.objectKey(p))),
  );
  namespaces.addHandlers(
    kit.enqueueMapped(clusterController, (n) =>
      clusters
        .list()
        .filter(
          (c) => c.metadata?.namespace === n.metadata?.name && providerRefOf(c).kind === "ClusterAWSProvider",
        )
        .map((c) => kit.objectKey(c)),
    ),
  );

  // The kit's Manager orders start-up and shutdown (and runs only while leading, with election).
  manager = new Manager({
    informers,
    controllers: [providerController, clusterProviderController, clusterController, ...family.controllers],
    leaderElection: options.leaderElection
      ? {
          rest,
          namespace: options.leaderElectionNamespace,
          name: "infra-operator-leader",
          identity,
          ...options.leaseTimings,
        }
      : undefined,
    shutdownGraceMs: 20_000,
    logger,
  });
  const health = await kit.startHealthServer(...hostPort(options.metricsAddress), {
    registry,
    liveness: manager.liveness(),
    readiness: manager.readiness(),
    logger,
  });
  logger.info("operator starting", {
    namespace: options.namespace ?? "(all)",
    leaderElection: options.leaderElection,
    identity,
  });
  try {
    return await manager.run(stop);
  } finally {
    recovery.stop();
    clientCache.clear();
    await health.close();
  }
}

function hostPort(address: string): [string, number] {
  const { host, port } = kit.parseListenAddress(address, "--metrics-bind-address");
  return [host, port];
}

function clusterIdOf(cluster: kit.KubeObject): string | undefined {
  return (cluster as { spec?: { clusterID?: string } }).spec?.clusterID?.toLowerCase();
}

/** Providers naming the Secret (both kinds: the caller passes Secrets of the right namespace only). */
function providersUsingSecret(providers: kit.Informer<kit.KubeObject>, secret: kit.KubeObject): string[] {
  const ns = secret.metadata?.namespace;
  return providers
    .list()
    .filter((p) => p.metadata?.namespace === undefined || p.metadata?.namespace === ns)
    .filter((p) => {
      try {
        const spec = (p as { spec?: unknown }).spec as Parameters<typeof providerSecretNames>[0];
        return providerSecretNames(spec).includes(secret.metadata?.name ?? "");
      } catch {
        return false;
      }
    })
    .map((p) => kit.objectKey(p));
}

/**
 * Clusters reading the Secret (auth token), and the cluster whose connection Secret name it has
 * when it is not that cluster's own (a SecretConflict clears once the Secret is gone).
 */
function clustersUsingSecret(clusters: kit.Informer<kit.KubeObject>, secret: kit.KubeObject): string[] {
  return clusters
    .list()
    .filter((c) => {
      const spec = (
        c as {
          spec?: {
            authTokenRef?: { name?: string; namespace?: string };
            connectionSecret?: { name?: string };
          };
        }
      ).spec;
      const ns = c.metadata?.namespace;
      const connection = spec?.connectionSecret?.name ?? `${c.metadata?.name}-connection`;
      if (
        ns === secret.metadata?.namespace &&
        connection === secret.metadata?.name &&
        controllerOf(secret)?.uid !== c.metadata?.uid
      )
        return true;
      const ref = spec?.authTokenRef;
      if (ref === undefined) return false;
      return ref.name === secret.metadata?.name && (ref.namespace ?? ns) === secret.metadata?.namespace;
    })
    .map((c) => kit.objectKey(c));
}
