// The PrometheusRule shipped with the operator (Helm `prometheusRule.enabled`, kustomize
// component config/components/monitoring): one alert per way the operator or its caches go wrong,
// each with a runbook section in docs/troubleshooting.md ("Alerts"). Written to the chart and
// config/ by `npm run generate`; test/e2e/operator/monitoring.test.ts parses the rules with
// Prometheus's own parser and checks every metric they use against the operator's /metrics.

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "critical" | "warning" };
  annotations: { summary: string; description: string; runbook: string };
}

/** Where the alert's runbook is: its own section under "Alerts" in docs/troubleshooting.md. */
const runbook = (alert: string) => `docs/troubleshooting.md#${alert.toLowerCase()}`;

/** Minutes a cache may stay not Ready (creating a replication group in AWS takes up to ~20). */
export const CACHE_NOT_READY_FOR = "30m";

export const alertRules: AlertRule[] = [
  {
    alert: "InfraOperatorDown",
    // absent(): also fires when the Deployment is scaled to zero or the target vanished (up == 0 would not).
    expr: "absent(infra_operator_workqueue_depth)",
    for: "5m",
    labels: { severity: "critical" },
    annotations: {
      summary: "No infra-operator is being scraped",
      description:
        "No infra-operator metrics for 5 minutes: the operator is down, not scheduled, or Prometheus cannot scrape it. Caches keep running in AWS, but no change, rotation or deletion is applied.",
      runbook: runbook("InfraOperatorDown"),
    },
  },
  {
    alert: "InfraOperatorReconcileErrors",
    expr: 'sum by (kind) (rate(infra_operator_reconcile_total{result=~"error|terminal"}[5m])) > 0',
    for: "15m",
    labels: { severity: "warning" },
    annotations: {
      summary: "{{ $labels.kind }} reconciles keep failing",
      description:
        "{{ $labels.kind }} reconciles have failed for 15 minutes ({{ $value | humanize }}/s). The objects' Synced condition says why and what to change.",
      runbook: runbook("InfraOperatorReconcileErrors"),
    },
  },
  {
    alert: "InfraOperatorAWSThrottling",
    expr: 'sum by (service, action) (rate(infra_operator_aws_calls_total{outcome="Throttled"}[5m])) > 0',
    for: "15m",
    labels: { severity: "warning" },
    annotations: {
      summary: "AWS throttles {{ $labels.service }}:{{ $labels.action }}",
      description:
        "AWS has throttled {{ $labels.action }} calls for 15 minutes ({{ $value | humanize }}/s); changes are delayed by backoff.",
      runbook: runbook("InfraOperatorAWSThrottling"),
    },
  },
  {
    alert: "InfraOperatorCacheNotReady",
    expr: "max by (namespace, name) (infra_operator_elasticache_cluster_ready) == 0",
    for: CACHE_NOT_READY_FOR,
    labels: { severity: "warning" },
    annotations: {
      summary: "ElastiCacheCluster {{ $labels.namespace }}/{{ $labels.name }} is not Ready",
      description: `ElastiCacheCluster {{ $labels.namespace }}/{{ $labels.name }} has not been Ready for ${CACHE_NOT_READY_FOR}. Its Ready and Synced conditions say why.`,
      runbook: runbook("InfraOperatorCacheNotReady"),
    },
  },
  {
    alert: "InfraOperatorProviderNotReady",
    expr: "max by (kind, namespace, name) (infra_operator_awsprovider_ready) == 0",
    for: "10m",
    labels: { severity: "critical" },
    annotations: {
      summary: "{{ $labels.kind }} {{ $labels.namespace }}/{{ $labels.name }} is not Ready",
      description:
        "{{ $labels.kind }} {{ $labels.namespace }}/{{ $labels.name }} has not been Ready for 10 minutes: no cache that uses it is reconciled. Its Ready condition names the credential or permission problem.",
      runbook: runbook("InfraOperatorProviderNotReady"),
    },
  },
];

/** The rule groups (what a Prometheus rule file and a PrometheusRule's spec hold). */
export function ruleGroups(): { groups: Array<{ name: string; rules: AlertRule[] }> } {
  return { groups: [{ name: "infra-operator", rules: alertRules }] };
}

export function prometheusRule(): object {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: "infra-operator",
      namespace: "infra-operator-system",
      labels: { "app.kubernetes.io/name": "infra-operator" },
    },
    spec: ruleGroups(),
  };
}
