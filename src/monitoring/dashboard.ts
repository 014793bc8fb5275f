// The Grafana dashboard shipped with the operator (a ConfigMap labelled grafana_dashboard: "1",
// which Grafana's dashboard sidecar loads): reconciles, errors by reason, queue depth, AWS calls
// by action and outcome, caches by status. Written to the chart and config/ by `npm run generate`;
// test/e2e/operator/monitoring.test.ts checks every metric its queries use against /metrics.

interface Target {
  expr: string;
  legendFormat: string;
}

interface PanelSpec {
  title: string;
  description: string;
  type: "timeseries" | "stat";
  unit: string;
  targets: Target[];
  /** Grid width (of 24) and height. */
  w: number;
  h: number;
}

/** The data source the viewer picks (the dashboard's `datasource` variable). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template.
const DATASOURCE = { type: "prometheus", uid: "${datasource}" };
/** Every replica serves the object metrics from its own informers: take one, not the sum. */
const objects = (metric: string, by: string) => `max by (${by}) (${metric})`;

export const panels: PanelSpec[] = [
  {
    title: "Caches",
    description: "ElastiCacheClusters known to the operator.",
    type: "stat",
    unit: "short",
    targets: [
      {
        expr: `sum(${objects("infra_operator_elasticache_clusters", "status, ready")})`,
        legendFormat: "caches",
      },
    ],
    w: 6,
    h: 4,
  },
  {
    title: "Caches not Ready",
    description: "ElastiCacheClusters whose Ready condition is not True.",
    type: "stat",
    unit: "short",
    targets: [
      {
        expr: `count(${objects("infra_operator_elasticache_cluster_ready", "namespace, name")} == 0) or vector(0)`,
        legendFormat: "not ready",
      },
    ],
    w: 6,
    h: 4,
  },
  {
    title: "Providers not Ready",
    description: "AWSProviders whose credentials could not be verified.",
    type: "stat",
    unit: "short",
    targets: [
      {
        expr: `count(${objects("infra_operator_awsprovider_ready", "kind, namespace, name")} == 0) or vector(0)`,
        legendFormat: "not ready",
      },
    ],
    w: 6,
    h: 4,
  },
  {
    title: "Operator replicas scraped",
    description: "Operator processes Prometheus scrapes (one leader, the others standby).",
    type: "stat",
    unit: "short",
    targets: [
      { expr: 'count(infra_operator_workqueue_depth{kind="ElastiCacheCluster"})', legendFormat: "replicas" },
    ],
    w: 6,
    h: 4,
  },
  {
    title: "Caches by status",
    description: "ElastiCacheClusters by the status AWS reports (available, creating, modifying, ...).",
    type: "timeseries",
    unit: "short",
    targets: [
      {
        expr: `sum by (status) (${objects("infra_operator_elasticache_clusters", "status, ready")})`,
        legendFormat: "{{status}}",
      },
    ],
    w: 12,
    h: 8,
  },
  {
    title: "Reconciles",
    description: "Reconciles per second by kind and result (success, requeue, error, terminal).",
    type: "timeseries",
    unit: "ops",
    targets: [
      {
        expr: "sum by (kind, result) (rate(infra_operator_reconcile_total[$__rate_interval]))",
        legendFormat: "{{kind}} {{result}}",
      },
    ],
    w: 12,
    h: 8,
  },
  {
    title: "Errors by reason",
    description:
      "Caches whose Synced condition is False, by reason (AWSRejected, AccessDenied, Throttled, ...); and failed AWS calls per second by error class.",
    type: "timeseries",
    unit: "short",
    targets: [
      {
        expr: `sum by (reason) (${objects("infra_operator_elasticache_clusters_not_synced", "reason")})`,
        legendFormat: "caches: {{reason}}",
      },
      {
        expr: 'sum by (outcome) (rate(infra_operator_aws_calls_total{outcome!="ok"}[$__rate_interval]))',
        legendFormat: "AWS calls/s: {{outcome}}",
      },
    ],
    w: 12,
    h: 8,
  },
  {
    title: "Work queue depth",
    description:
      "Keys waiting for a worker, by kind; one that keeps growing means --concurrency or AWS cannot keep up.",
    type: "timeseries",
    unit: "short",
    targets: [{ expr: "max by (kind) (infra_operator_workqueue_depth)", legendFormat: "{{kind}}" }],
    w: 12,
    h: 8,
  },
  {
    title: "AWS calls by action and outcome",
    description: "AWS API calls per second, by action and outcome (ok, or the error class).",
    type: "timeseries",
    unit: "reqps",
    targets: [
      {
        expr: "sum by (action, outcome) (rate(infra_operator_aws_calls_total[$__rate_interval]))",
        legendFormat: "{{action}} {{outcome}}",
      },
    ],
    w: 12,
    h: 8,
  },
  {
    title: "AWS call latency (p95)",
    description: "95th percentile duration of AWS API calls, by action.",
    type: "timeseries",
    unit: "s",
    targets: [
      {
        expr: "histogram_quantile(0.95, sum by (le, action) (rate(infra_operator_aws_call_duration_seconds_bucket[$__rate_interval])))",
        legendFormat: "{{action}}",
      },
    ],
    w: 12,
    h: 8,
  },
  {
    title: "Reconcile duration (p95)",
    description: "95th percentile time of one reconcile, by kind.",
    type: "timeseries",
    unit: "s",
    targets: [
      {
        expr: "histogram_quantile(0.95, sum by (le, kind) (rate(infra_operator_reconcile_duration_seconds_bucket[$__rate_interval])))",
        legendFormat: "{{kind}}",
      },
    ],
    w: 12,
    h: 8,
  },
];

/** The dashboard JSON (Grafana schema 39), panels laid out left to right, top to bottom. */
export function dashboard(): object {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const laidOut = panels.map((p, i) => {
    if (x + p.w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w: p.w, h: p.h };
    x += p.w;
    rowHeight = Math.max(rowHeight, p.h);
    return {
      id: i + 1,
      type: p.type,
      title: p.title,
      description: p.description,
      datasource: DATASOURCE,
      gridPos,
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options:
        p.type === "stat"
          ? { reduceOptions: { calcs: ["lastNotNull"] } }
          : { legend: { displayMode: "list" } },
      targets: p.targets.map((t, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: DATASOURCE,
        expr: t.expr,
        legendFormat: t.legendFormat,
      })),
    };
  });
  return {
    uid: "infra-operator",
    title: "infra-operator",
    description: "Health of infra-operator and of the ElastiCache caches it manages (docs/metrics.md).",
    tags: ["infra-operator", "elasticache"],
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: "now-6h", to: "now" },
    refresh: "30s",
    templating: {
      list: [
        {
          name: "datasource",
          label: "Data source",
          type: "datasource",
          query: "prometheus",
          current: {},
          hide: 0,
        },
      ],
    },
    panels: laidOut,
  };
}

/** Every PromQL expression of the dashboard. */
export function dashboardExpressions(): string[] {
  return panels.flatMap((p) => p.targets.map((t) => t.expr));
}
