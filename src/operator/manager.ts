// Wires the operator: informers, the two controllers, leader election, health and metrics,
// and a graceful stop (in-flight reconciles finish, the Lease is released).
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { parseStoredAWSProvider } from "../api/stored-objects.ts";
import type { AwsClients } from "../cloud/clients.ts";
import { ClientCache } from "../cloud/clients.ts";
import { iamActionOf } from "../cloud/errors.ts";
import * as kit from "../kube/index.ts";
import { Manager, type ManagerOutcome } from "../kube/manager.ts";
import type { CacheGateway } from "../reconcile/gateway.ts";
import { AwsRecovery } from "./aws-recovery.ts";
import { clusterReconciler, type ReadyProvider } from "./cluster-controller.ts";
import { controllerOf } from "./connection-secret.ts";
import { type IdentityPolicy, providerRefusal } from "./identity-policy.ts";
import { providerAuth, providerSecretNames } from "./provider-auth.ts";
import { providerReconciler } from "./provider-controller.ts";
import { clusterResource, providerResource } from "./resources.ts";
import type { SecretObject } from "./secret-values.ts";
import { serviceAccountTokenSource } from "./service-account-token.ts";

export interface OperatorOptions {
  kubeconfig?: string;
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
  /** Which endpoints and identities providers may use (`--allowed-endpoints`, `--operator-identity-namespaces`). */
  identityPolicy: IdentityPolicy;
  /** Builds the cache gateway of a provider's clients (the cloud layer's gateway + batch observer). */
  makeGateway: (clients: AwsClients) => CacheGateway;
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
  const { rest } = kit.makeKubeClients(config);
  const registry = new kit.Registry();
  const controllerMetrics = kit.createControllerMetrics(registry);
  const awsMetrics = kit.createAwsCallMetrics(registry);
  const events = new kit.EventRecorder({ rest, logger });
  const now = () => Date.now();

  const informerOptions = { namespace: options.namespace, logger };
  const providers = new kit.Informer<kit.KubeObject>(rest, providerResource, informerOptions);
  const clusters = new kit.Informer<kit.KubeObject>(rest, clusterResource, {
    ...informerOptions,
    resyncMs: options.resyncMs,
  });
  const secrets = new kit.Informer<SecretObject>(rest, kit.coreResources.secrets, informerOptions);
  const informers = [providers, clusters, secrets];

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
  const gateways = new WeakMap<AwsClients, CacheGateway>();

  const readyProvider = (
    namespace: string,
    name: string,
  ): ReadyProvider | { reason: string; message: string } => {
    const raw = providers.get(`${namespace}/${name}`);
    if (raw === undefined) {
      return {
        reason: "ProviderNotFound",
        message: `AWSProvider ${namespace}/${name} does not exist: create it (see examples/localstack.yaml)`,
      };
    }
    const status = (raw as { status?: { ready?: boolean; conditions?: kit.Condition[] } }).status;
    if (status?.ready !== true) {
      const why = status?.conditions?.find((c) => c.type === "Ready")?.message ?? "not verified yet";
      return { reason: "ProviderNotReady", message: `AWSProvider ${namespace}/${name} is not ready: ${why}` };
    }
    const provider = parseStoredAWSProvider(raw);
    // The provider controller refuses such a provider too; checked again here so that no call is
    // made with a status written before the operator's flags changed.
    const refused = providerRefusal(
      provider.spec,
      name,
      { kind: "AWSProvider", namespace },
      options.identityPolicy,
    );
    if (refused !== undefined)
      return {
        reason: "ProviderNotReady",
        message: `AWSProvider ${namespace}/${name} is not ready: ${refused.message}`,
      };
    const auth = providerAuth(provider.spec, namespace, secrets, serviceAccountTokens);
    const clients = clientCache.get(
      { uid: provider.metadata.uid ?? `${namespace}/${name}`, generation: provider.metadata.generation ?? 0 },
      auth,
    );
    let gateway = gateways.get(clients);
    if (gateway === undefined) {
      gateway = options.makeGateway(clients);
      gateways.set(clients, gateway);
    }
    return { defaultTags: provider.spec.defaultTags ?? {}, gateway };
  };

  const providerController = new kit.Controller({
    kind: "AWSProvider",
    workers: 2,
    metrics: controllerMetrics,
    logger,
    reconcile: providerReconciler({
      rest,
      providers,
      secrets,
      clients: clientCache,
      events,
      now,
      recheckMs: options.providerRecheckMs,
      identityPolicy: options.identityPolicy,
      serviceAccountTokens,
    }),
  });
  const recovery = new AwsRecovery({
    enqueue: (key) => clusterController.enqueue(key),
    forget: (key) => clusterController.queue.forget(key),
  });
  const clusterController: kit.Controller = new kit.Controller({
    kind: "ElastiCacheCluster",
    workers: options.concurrency,
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
      tagCheckMs: options.tagCheckMs,
      recovery,
    }),
  });

  providers.addHandlers(kit.enqueueObject(providerController));
  // A provider turning Ready (a status change) must wake its clusters: not only significant updates.
  providers.addHandlers(
    kit.enqueueMapped(clusterController, (p) => clustersUsingProvider(clusters, p), {
      onlySignificant: false,
    }),
  );
  clusters.addHandlers(kit.enqueueObject(clusterController));
  secrets.addHandlers(kit.enqueueMapped(providerController, (s) => providersUsingSecret(providers, s)));
  secrets.addHandlers(kit.enqueueMapped(clusterController, (s) => clustersUsingSecret(clusters, s)));

  // The kit's Manager orders start-up and shutdown (and runs only while leading, with election).
  manager = new Manager({
    informers,
    controllers: [providerController, clusterController],
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

function clustersUsingProvider(clusters: kit.Informer<kit.KubeObject>, provider: kit.KubeObject): string[] {
  const ns = provider.metadata?.namespace;
  return clusters
    .list()
    .filter(
      (c) =>
        c.metadata?.namespace === ns &&
        (c as { spec?: { providerRef?: { name?: string } } }).spec?.providerRef?.name ===
          provider.metadata?.name,
    )
    .map((c) => kit.objectKey(c));
}

function providersUsingSecret(providers: kit.Informer<kit.KubeObject>, secret: kit.KubeObject): string[] {
  const ns = secret.metadata?.namespace;
  return providers
    .list()
    .filter((p) => p.metadata?.namespace === ns)
    .filter((p) => {
      try {
        return providerSecretNames(parseStoredAWSProvider(p).spec).includes(secret.metadata?.name ?? "");
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
