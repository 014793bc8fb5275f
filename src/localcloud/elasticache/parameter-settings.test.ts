import assert from "node:assert/strict";
import { test } from "node:test";
import { memcachedArguments, redisSettings } from "./parameter-settings.ts";

test("Redis settings: CONFIG SET names, ElastiCache-only parameters left out, output buffers combined", () => {
  const values = {
    "maxmemory-policy": "allkeys-lru",
    "reserved-memory-percent": "30",
    "client-output-buffer-limit-pubsub-hard-limit": "67108864",
    "client-output-buffer-limit-pubsub-soft-limit": "8388608",
    "client-output-buffer-limit-pubsub-soft-seconds": "60",
  };
  assert.deepEqual(redisSettings(values, Object.keys(values)), {
    "maxmemory-policy": "allkeys-lru",
    "client-output-buffer-limit": "pubsub 67108864 8388608 60",
  });
  assert.deepEqual(redisSettings(values, ["cluster-enabled", "rename-commands"]), {});
});

test("memcached arguments: flags, values and extended options, in memcached's units", () => {
  assert.deepEqual(
    memcachedArguments({
      max_item_size: "2097152",
      cas_disabled: "1",
      error_on_memory_exhausted: "0",
      idle_timeout: "30",
      lru_crawler: "0",
      slab_chunk_max: "524288",
      memcached_connections_overhead: "100",
    }),
    ["-I", "2097152", "-C", "-o", "idle_timeout=30", "-o", "no_lru_crawler", "-o", "slab_chunk_max=512"],
  );
});
