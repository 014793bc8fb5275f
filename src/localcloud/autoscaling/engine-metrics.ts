// ElastiCache's engine metrics (namespace AWS/ElastiCache) computed from the real engines' INFO, one
// datapoint per node and metric period: what CloudWatch would hold for the local cloud's nodes.
//   EngineCPUUtilization   Δ(used_cpu_sys + used_cpu_user) / Δt of the engine process, in %
//   CPUUtilization         the same share of the host's CPUs (the node's "host" is this machine)
//   DatabaseMemoryUsagePercentage                   used_memory / maxmemory, in %
//   DatabaseMemoryUsageCountedForEvictPercentage    (used_memory - mem_not_counted_for_evict) / maxmemory
//   CurrConnections, Evictions, CacheHits, CacheMisses (the last three per period, from the counters)
import { availableParallelism } from "node:os";

export const metricNames = [
  "CPUUtilization",
  "EngineCPUUtilization",
  "DatabaseMemoryUsagePercentage",
  "DatabaseMemoryUsageCountedForEvictPercentage",
  "CurrConnections",
  "Evictions",
  "CacheHits",
  "CacheMisses",
] as const;
export type MetricName = (typeof metricNames)[number];

export interface EngineSample {
  at: number;
  cpuSeconds: number;
  usedMemory: number;
  maxMemory: number;
  notCountedForEvict: number;
  connections: number;
  evictions: number;
  hits: number;
  misses: number;
}

export interface Datapoint {
  at: number;
  values: Record<MetricName, number>;
}

const number = (info: Map<string, string>, key: string) => Number(info.get(key) ?? 0);

export function sampleOf(info: Map<string, string>, at: number): EngineSample {
  return {
    at,
    cpuSeconds: number(info, "used_cpu_sys") + number(info, "used_cpu_user"),
    usedMemory: number(info, "used_memory"),
    maxMemory: number(info, "maxmemory"),
    notCountedForEvict: number(info, "mem_not_counted_for_evict"),
    connections: number(info, "connected_clients"),
    evictions: number(info, "evicted_keys"),
    hits: number(info, "keyspace_hits"),
    misses: number(info, "keyspace_misses"),
  };
}

/** One period's datapoint from two consecutive samples of a node (the first has none). */
export function datapointOf(
  previous: EngineSample,
  current: EngineSample,
  cpus = availableParallelism(),
): Datapoint {
  const seconds = Math.max(0.001, (current.at - previous.at) / 1000);
  const engineCpu = Math.min(100, (Math.max(0, current.cpuSeconds - previous.cpuSeconds) / seconds) * 100);
  const percentOfMax = (bytes: number) => (current.maxMemory > 0 ? (bytes / current.maxMemory) * 100 : 0);
  const delta = (a: number, b: number) => Math.max(0, b - a);
  return {
    at: current.at,
    values: {
      EngineCPUUtilization: engineCpu,
      CPUUtilization: engineCpu / cpus,
      DatabaseMemoryUsagePercentage: percentOfMax(current.usedMemory),
      DatabaseMemoryUsageCountedForEvictPercentage: percentOfMax(
        Math.max(0, current.usedMemory - current.notCountedForEvict),
      ),
      CurrConnections: current.connections,
      Evictions: delta(previous.evictions, current.evictions),
      CacheHits: delta(previous.hits, current.hits),
      CacheMisses: delta(previous.misses, current.misses),
    },
  };
}
