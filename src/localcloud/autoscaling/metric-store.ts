// The metric series of every engine node, per scope: one datapoint per metric period, computed from
// two consecutive INFO samples (engine-metrics.ts). Nodes are named by their cache cluster and
// replication group, as CloudWatch's AWS/ElastiCache dimensions name them.
import type { Cloud } from "../elasticache/cloud.ts";
import { type Scope, scopeKey } from "../state/scope.ts";
import { type Datapoint, datapointOf, type EngineSample, sampleOf } from "./engine-metrics.ts";

/** About a day of one-minute periods. */
const keptDatapoints = 1440;

export interface NodeSeries {
  scope: string;
  cacheClusterId: string;
  cacheNodeId: string;
  replicationGroupId?: string;
  nodeGroupId?: string;
  role?: "primary" | "replica";
  last?: EngineSample;
  datapoints: Datapoint[];
}

export class MetricStore {
  readonly #series = new Map<string, NodeSeries>();

  /** Samples every available Redis/Valkey node of the scope once (errors leave a gap, as a missed period). */
  async sampleScope(cloud: Cloud, scope: Scope, now: number): Promise<void> {
    const key = scopeKey(scope);
    const state = cloud.stateOf(scope);
    const live = new Set<string>();
    await Promise.all(
      Object.values(state.clusters).flatMap((cluster) =>
        cluster.engine === "memcached" || cluster.status !== "available"
          ? []
          : cluster.nodes.map(async (node) => {
              const id = node.engineNodeId;
              live.add(id);
              let info: Map<string, string>;
              try {
                info = await cloud.engines.info(id);
              } catch {
                return;
              }
              const series = this.#series.get(id) ?? {
                scope: key,
                cacheClusterId: cluster.id,
                cacheNodeId: node.cacheNodeId,
                datapoints: [],
              };
              Object.assign(series, {
                ...(cluster.replicationGroupId ? { replicationGroupId: cluster.replicationGroupId } : {}),
                ...(cluster.nodeGroupId ? { nodeGroupId: cluster.nodeGroupId } : {}),
                ...(cluster.role ? { role: cluster.role } : {}),
              });
              const sample = sampleOf(info, now);
              if (series.last) series.datapoints.push(datapointOf(series.last, sample));
              if (series.datapoints.length > keptDatapoints) series.datapoints.shift();
              series.last = sample;
              this.#series.set(id, series);
            }),
      ),
    );
    // Nodes that are gone stop reporting; their series are kept until the bound drops them.
    for (const [id, s] of this.#series)
      if (s.scope === key && !live.has(id) && s.datapoints.length === 0) this.#series.delete(id);
  }

  /** Every node's series in a scope. */
  seriesOf(scope: Scope): NodeSeries[] {
    const key = scopeKey(scope);
    return [...this.#series.values()].filter((s) => s.scope === key);
  }

  /** The newest datapoint of each named cache cluster, when it was taken at `at` (this period). */
  latest(scope: Scope, cacheClusterIds: string[], at: number): Datapoint[] | undefined {
    const key = scopeKey(scope);
    const points: Datapoint[] = [];
    for (const id of cacheClusterIds) {
      const series = [...this.#series.values()].find((s) => s.scope === key && s.cacheClusterId === id);
      const point = series?.datapoints[series.datapoints.length - 1];
      if (point === undefined || point.at !== at) return undefined;
      points.push(point);
    }
    return points;
  }
}
