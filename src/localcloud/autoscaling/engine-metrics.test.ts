import assert from "node:assert/strict";
import { test } from "node:test";
import { datapointOf, sampleOf } from "./engine-metrics.ts";

const info = (fields: Record<string, number>) =>
  new Map(Object.entries(fields).map(([k, v]) => [k, String(v)]));

test("engine metrics: CPU from the used_cpu_* deltas, memory from used_memory over maxmemory", () => {
  const first = sampleOf(
    info({
      used_cpu_sys: 1.0,
      used_cpu_user: 2.0,
      used_memory: 1_000_000,
      maxmemory: 8_388_608,
      keyspace_hits: 10,
    }),
    0,
  );
  const second = sampleOf(
    info({
      used_cpu_sys: 1.2,
      used_cpu_user: 2.3,
      used_memory: 5_194_304,
      mem_not_counted_for_evict: 1_000_000,
      maxmemory: 8_388_608,
      keyspace_hits: 25,
      connected_clients: 3,
    }),
    1000,
  );
  const point = datapointOf(first, second, 2);
  assert.ok(Math.abs(point.values.EngineCPUUtilization - 50) < 1e-9, "0.5 s of CPU in 1 s is 50 %");
  assert.ok(Math.abs(point.values.CPUUtilization - 25) < 1e-9, "half of that on a 2-CPU host");
  assert.ok(Math.abs(point.values.DatabaseMemoryUsagePercentage - 61.92) < 0.01);
  assert.ok(Math.abs(point.values.DatabaseMemoryUsageCountedForEvictPercentage - 50) < 0.01);
  assert.equal(point.values.CacheHits, 15);
  assert.equal(point.values.CurrConnections, 3);
});

test("engine metrics: a restarted engine's counters do not go negative", () => {
  const before = sampleOf(info({ used_cpu_sys: 50, evicted_keys: 100, maxmemory: 1 }), 0);
  const after = sampleOf(info({ used_cpu_sys: 0.1, evicted_keys: 0, maxmemory: 1 }), 1000);
  const point = datapointOf(before, after, 1);
  assert.equal(point.values.EngineCPUUtilization, 0);
  assert.equal(point.values.Evictions, 0);
});
