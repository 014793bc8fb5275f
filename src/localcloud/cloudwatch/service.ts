// CloudWatch for the AWS/ElastiCache metrics the local cloud computes from its engines
// (autoscaling/engine-metrics.ts): ListMetrics, GetMetricStatistics and GetMetricData (MetricStat
// queries), over the Query protocol and JSON 1.0. Dimensions as ElastiCache publishes them: per node
// (CacheClusterId + CacheNodeId, and CacheClusterId alone) and per shard (ReplicationGroupId +
// NodeGroupId, averaging the shard's nodes). One datapoint per metric period (config metricPeriodMs).
import { type MetricName, metricNames } from "../autoscaling/engine-metrics.ts";
import type { MetricStore, NodeSeries } from "../autoscaling/metric-store.ts";
import type { Handler, RequestContext } from "../context.ts";
import { scopedHandlers } from "../elasticache/scoped-handlers.ts";
import { invalidParameter } from "../protocol/errors.ts";
import { currentScope } from "../state/scope.ts";

const namespace = "AWS/ElastiCache";
type Dimensions = Record<string, string>;
interface Series {
  metric: MetricName;
  dimensions: Dimensions;
  points: { at: number; value: number }[];
}

const units: Record<MetricName, string> = {
  CPUUtilization: "Percent",
  EngineCPUUtilization: "Percent",
  DatabaseMemoryUsagePercentage: "Percent",
  DatabaseMemoryUsageCountedForEvictPercentage: "Percent",
  CurrConnections: "Count",
  Evictions: "Count",
  CacheHits: "Count",
  CacheMisses: "Count",
};

/** Every series the scope has: per node, per cache cluster and per shard. */
function allSeries(metrics: MetricStore): Series[] {
  const nodes = metrics.seriesOf(currentScope());
  const out: Series[] = [];
  const shards = new Map<string, NodeSeries[]>();
  for (const n of nodes) {
    for (const metric of metricNames) {
      const points = n.datapoints.map((d) => ({ at: d.at, value: d.values[metric] }));
      out.push({
        metric,
        dimensions: { CacheClusterId: n.cacheClusterId, CacheNodeId: n.cacheNodeId },
        points,
      });
      out.push({ metric, dimensions: { CacheClusterId: n.cacheClusterId }, points });
    }
    if (n.replicationGroupId && n.nodeGroupId) {
      const key = `${n.replicationGroupId}|${n.nodeGroupId}`;
      shards.set(key, [...(shards.get(key) ?? []), n]);
    }
  }
  for (const [key, members] of shards) {
    const [ReplicationGroupId = "", NodeGroupId = ""] = key.split("|");
    for (const metric of metricNames) {
      // Datapoints of one period share their sampling time across nodes.
      const byTime = new Map<number, number[]>();
      for (const m of members)
        for (const d of m.datapoints) byTime.set(d.at, [...(byTime.get(d.at) ?? []), d.values[metric]]);
      const points = [...byTime].map(([at, vs]) => ({
        at,
        value: vs.reduce((a, b) => a + b, 0) / vs.length,
      }));
      out.push({
        metric,
        dimensions: { ReplicationGroupId, NodeGroupId },
        points: points.sort((a, b) => a.at - b.at),
      });
    }
  }
  return out;
}

const dimensionsOf = (input: unknown): Dimensions =>
  Object.fromEntries(
    ((input as { Name: string; Value?: string }[] | undefined) ?? []).map((d) => [d.Name, d.Value ?? ""]),
  );
const sameDimensions = (a: Dimensions, b: Dimensions) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
const renderDimensions = (d: Dimensions) => Object.entries(d).map(([Name, Value]) => ({ Name, Value }));

function find(
  metrics: MetricStore,
  ns: unknown,
  metric: unknown,
  dimensions: Dimensions,
): Series | undefined {
  if (ns !== namespace) return undefined;
  return allSeries(metrics).find((s) => s.metric === metric && sameDimensions(s.dimensions, dimensions));
}

interface Bucket {
  at: number;
  values: number[];
}

/** The series' points grouped into periods of `periodSeconds` between start and end. */
function buckets(series: Series | undefined, start: Date, end: Date, periodSeconds: number): Bucket[] {
  if (!(periodSeconds >= 1)) throw invalidParameter("Period must be at least 1 second");
  const period = periodSeconds * 1000;
  const out = new Map<number, number[]>();
  for (const p of series?.points ?? []) {
    if (p.at < start.getTime() || p.at >= end.getTime()) continue;
    const at = start.getTime() + Math.floor((p.at - start.getTime()) / period) * period;
    out.set(at, [...(out.get(at) ?? []), p.value]);
  }
  return [...out].map(([at, values]) => ({ at, values })).sort((a, b) => a.at - b.at);
}

const stat = (name: string, values: number[]): number | undefined => {
  switch (name) {
    case "Average":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "Sum":
      return values.reduce((a, b) => a + b, 0);
    case "Minimum":
      return Math.min(...values);
    case "Maximum":
      return Math.max(...values);
    case "SampleCount":
      return values.length;
    default:
      return undefined;
  }
};

function listMetrics(metrics: MetricStore, ctx: RequestContext): Record<string, unknown> {
  const { Namespace: ns, MetricName: metric } = ctx.input;
  const filters = (ctx.input.Dimensions as { Name: string; Value?: string }[] | undefined) ?? [];
  if (ns !== undefined && ns !== namespace) return { Metrics: [] };
  const listed = allSeries(metrics).filter(
    (s) =>
      s.points.length > 0 &&
      (metric === undefined || s.metric === metric) &&
      filters.every(
        (f) => f.Name in s.dimensions && (f.Value === undefined || s.dimensions[f.Name] === f.Value),
      ),
  );
  return {
    Metrics: listed.map((s) => ({
      Namespace: namespace,
      MetricName: s.metric,
      Dimensions: renderDimensions(s.dimensions),
    })),
  };
}

function getMetricStatistics(metrics: MetricStore, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const statistics = (input.Statistics as string[] | undefined) ?? [];
  if (statistics.length === 0)
    throw invalidParameter(
      "Statistics must name at least one of Average, Sum, Minimum, Maximum, SampleCount",
    );
  for (const s of statistics)
    if (stat(s, [1]) === undefined)
      throw invalidParameter(`Statistic ${s} is not one of Average, Sum, Minimum, Maximum, SampleCount`);
  const series = find(metrics, input.Namespace, input.MetricName, dimensionsOf(input.Dimensions));
  const points = buckets(series, input.StartTime as Date, input.EndTime as Date, input.Period as number);
  return {
    Label: String(input.MetricName),
    Datapoints: points.map((b) => ({
      Timestamp: new Date(b.at).toISOString(),
      ...Object.fromEntries(statistics.map((s) => [s, stat(s, b.values)])),
      Unit: units[input.MetricName as MetricName] ?? "None",
    })),
  };
}

function getMetricData(metrics: MetricStore, ctx: RequestContext): Record<string, unknown> {
  const queries = ctx.input.MetricDataQueries as Record<string, unknown>[];
  const results = queries
    .filter((q) => q.ReturnData !== false)
    .map((q) => {
      if (q.Expression !== undefined)
        throw invalidParameter(
          `MetricDataQueries ${String(q.Id)}: metric math expressions are not supported by the local cloud; use MetricStat`,
        );
      const ms = q.MetricStat as
        | { Metric: Record<string, unknown>; Period: number; Stat: string }
        | undefined;
      if (ms === undefined) throw invalidParameter(`MetricDataQueries ${String(q.Id)} needs a MetricStat`);
      if (stat(ms.Stat, [1]) === undefined)
        throw invalidParameter(
          `Stat ${ms.Stat} is not supported by the local cloud: use Average, Sum, Minimum, Maximum or SampleCount`,
        );
      const series = find(
        metrics,
        ms.Metric.Namespace,
        ms.Metric.MetricName,
        dimensionsOf(ms.Metric.Dimensions),
      );
      const points = buckets(series, ctx.input.StartTime as Date, ctx.input.EndTime as Date, ms.Period);
      if (ctx.input.ScanBy !== "TimestampAscending") points.reverse();
      return {
        Id: q.Id,
        Label: (q.Label as string | undefined) ?? String(ms.Metric.MetricName),
        Timestamps: points.map((b) => new Date(b.at).toISOString()),
        Values: points.map((b) => stat(ms.Stat, b.values)),
        StatusCode: "Complete",
      };
    });
  return { MetricDataResults: results, Messages: [] };
}

export function cloudWatchHandlers(metrics: MetricStore): Record<string, Handler> {
  return scopedHandlers({
    ListMetrics: async (ctx) => listMetrics(metrics, ctx),
    GetMetricStatistics: async (ctx) => getMetricStatistics(metrics, ctx),
    GetMetricData: async (ctx) => getMetricData(metrics, ctx),
  });
}
