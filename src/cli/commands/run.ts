// `infra-operator run`: the Kubernetes operator.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isName, isNamespace } from "../../api/object-names.ts";
import { parseLogFormat, parseLogLevel } from "../../kube/logger.ts";
import { parseAllowedEndpoints } from "../../operator/endpoint-allowlist.ts";
import { FINGERPRINT_KEY_SECRET } from "../../operator/fingerprint-key.ts";
import { parseNamespaceList } from "../../operator/identity-policy.ts";
import { runOperator } from "../../operator/manager.ts";
import { makeGateway } from "../../reconcile/make-cache-gateway.ts";
import { parseDuration } from "../duration.ts";
import { leaseTimingDefaults, parseLeaseTimings } from "../lease-timings.ts";

const SERVICE_ACCOUNT_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

export const usage = `Usage: infra-operator run [flags]

Watches AWSProvider and ElastiCacheCluster objects and makes AWS match them.

Flags:
  --kubeconfig PATH                 kubeconfig (default: in-cluster, then $KUBECONFIG, then ~/.kube/config)
  --namespace NS                    watch only this namespace (default: all)
  --leader-elect=true|false         leader election on a Lease (default: true in a cluster, false outside)
  --leader-election-namespace NS    namespace of the Lease (default: the pod's namespace, else infra-operator-system)
  --leader-election-lease-duration DURATION  how long the Lease is valid without renewal (default 15s)
  --leader-election-renew-deadline DURATION  the leader stops acting (and sends no AWS change) when it could
                                    not renew for this long; shorter than the lease duration (default 10s)
  --leader-election-retry-period DURATION    time between acquire and renew attempts (default 2s)
  --metrics-bind-address ADDR       /metrics, /healthz and /readyz (default :8080)
  --log-level debug|info|warn|error (default info)
  --log-format json|text            (default json)
  --concurrency N                   clusters reconciled at once (default 4)
  --kube-api-qps N                  API server requests per second, sustained (default 100; 0: unlimited)
  --kube-api-burst N                API server requests at once after a quiet time (default 200)
  --resync-period DURATION          look at every cluster again, correcting drift (default 20m): one
                                    DescribeEvents per provider names the caches changed in AWS, and
                                    only those are re-read
  --full-resync-period DURATION     re-read every cache from AWS (default 6h; one listing per provider),
                                    for the changes AWS reports no event for
  --provider-recheck-period DURATION  re-verify provider credentials (default 10m): one STS
                                    GetCallerIdentity, skipped when a call with them succeeded
                                    within the period
  --tag-check-period DURATION       re-read tags for drift (default 24h; every force-sync too)
  --token-rotation-grace DURATION   time between adding a new auth token and removing the old one (default 60s)
  --allow-cross-namespace-secrets   allow authTokenRef.namespace other than the object's own
  --token-fingerprint-secret NS/NAME  Secret holding the key of status.authTokenHash, made on first
                                    use (default: <the pod's namespace>/infra-operator-token-fingerprint-key)
  --allowed-endpoints PREFIXES      comma-separated URL prefixes a provider's spec.endpoint may name
                                    (default: none; AWS's own endpoints are always allowed; plain
                                    http only to loopback)
  --operator-identity-namespaces NS comma-separated namespaces whose AWSProviders may use the
                                    operator's own AWS identity (default chain, its IRSA token);
                                    "*" for all (default: none; ClusterAWSProviders always may)
  --cluster-resource-namespace NS   where ClusterAWSProviders' Secrets and ServiceAccounts are read
                                    (default: the pod's namespace, else infra-operator-system)
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: "string" },
      namespace: { type: "string" },
      "leader-elect": { type: "string" },
      "leader-election-namespace": { type: "string" },
      "leader-election-lease-duration": { type: "string", default: leaseTimingDefaults.leaseDuration },
      "leader-election-renew-deadline": { type: "string", default: leaseTimingDefaults.renewDeadline },
      "leader-election-retry-period": { type: "string", default: leaseTimingDefaults.retryPeriod },
      "metrics-bind-address": { type: "string", default: ":8080" },
      "log-level": { type: "string", default: "info" },
      "log-format": { type: "string", default: "json" },
      concurrency: { type: "string", default: "4" },
      "kube-api-qps": { type: "string", default: "100" },
      "kube-api-burst": { type: "string", default: "200" },
      "resync-period": { type: "string", default: "20m" },
      "full-resync-period": { type: "string", default: "6h" },
      "provider-recheck-period": { type: "string", default: "10m" },
      "tag-check-period": { type: "string", default: "24h" },
      "token-rotation-grace": { type: "string", default: "60s" },
      "allow-cross-namespace-secrets": { type: "boolean", default: false },
      "token-fingerprint-secret": { type: "string" },
      "allowed-endpoints": { type: "string", default: "" },
      "operator-identity-namespaces": { type: "string", default: "" },
      "cluster-resource-namespace": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const inCluster = process.env.KUBERNETES_SERVICE_HOST !== undefined && values.kubeconfig === undefined;
  const podNamespace = existsSync(SERVICE_ACCOUNT_NAMESPACE)
    ? readFileSync(SERVICE_ACCOUNT_NAMESPACE, "utf8").trim()
    : undefined;
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error("--concurrency must be a whole number >= 1");
  const kubeApi = { qps: Number(values["kube-api-qps"]), burst: Number(values["kube-api-burst"]) };
  if (!Number.isFinite(kubeApi.qps) || kubeApi.qps < 0)
    throw new Error("--kube-api-qps must be a number >= 0 (0: unlimited)");
  if (!Number.isInteger(kubeApi.burst) || kubeApi.burst < 1)
    throw new Error("--kube-api-burst must be a whole number >= 1");
  const leaseTimings = parseLeaseTimings({
    leaseDuration: values["leader-election-lease-duration"],
    renewDeadline: values["leader-election-renew-deadline"],
    retryPeriod: values["leader-election-retry-period"],
  });
  const identityPolicy = {
    allowedEndpoints: parseAllowedEndpoints(values["allowed-endpoints"]),
    operatorIdentityNamespaces: parseNamespaceList(
      values["operator-identity-namespaces"],
      "--operator-identity-namespaces",
    ),
  };

  const operatorNamespace = values["leader-election-namespace"] ?? podNamespace ?? "infra-operator-system";
  const fingerprintKeySecret = parseSecretRef(
    values["token-fingerprint-secret"] ?? `${operatorNamespace}/${FINGERPRINT_KEY_SECRET}`,
    "--token-fingerprint-secret",
  );

  const resyncMs = parseDuration(values["resync-period"], "--resync-period");
  const fullResyncMs = parseDuration(values["full-resync-period"], "--full-resync-period");
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  const outcome = await runOperator(
    {
      kubeconfig: values.kubeconfig,
      kubeApi,
      namespace: values.namespace,
      leaderElection: values["leader-elect"] === undefined ? inCluster : values["leader-elect"] === "true",
      leaderElectionNamespace: operatorNamespace,
      clusterResourceNamespace:
        values["cluster-resource-namespace"] ?? podNamespace ?? "infra-operator-system",
      leaseTimings,
      metricsAddress: values["metrics-bind-address"],
      logLevel: parseLogLevel(values["log-level"]),
      logFormat: parseLogFormat(values["log-format"]),
      concurrency,
      resyncMs,
      providerRecheckMs: parseDuration(values["provider-recheck-period"], "--provider-recheck-period"),
      tagCheckMs: parseDuration(values["tag-check-period"], "--tag-check-period"),
      rotationGraceSeconds: parseDuration(values["token-rotation-grace"], "--token-rotation-grace") / 1000,
      allowCrossNamespaceSecrets: values["allow-cross-namespace-secrets"],
      fingerprintKeySecret,
      identityPolicy,
      // One DescribeEvents answers the reconciles of one resync tick, spread over its first half.
      makeGateway: (clients, hooks) =>
        makeGateway(clients, { fullResyncMs, eventPollMs: Math.max(1000, resyncMs / 2), ...hooks }),
    },
    stop.signal,
  );
  // Lost leadership: exit non-zero so the pod restarts as a candidate.
  return outcome === "stopped" ? 0 : 1;
}

/** NAMESPACE/NAME of a Secret, both DNS-1123 names. */
function parseSecretRef(value: string, flag: string): { namespace: string; name: string } {
  const [namespace, name, ...rest] = value.split("/");
  if (!isNamespace(namespace) || !isName(name) || rest.length > 0)
    throw new Error(`${flag} must be NAMESPACE/NAME of a Secret (got "${value}")`);
  return { namespace, name };
}
