// ElastiCache parameter names -> the engines' own settings. Redis/Valkey: CONFIG SET names and values
// (ElastiCache splits client-output-buffer-limit into one parameter per class and limit). memcached:
// command-line options (`-I 2097152`, `-o idle_timeout=30`), applied when the process starts.
// Parameters that only mean something to ElastiCache itself (reserved-memory-percent,
// close-on-replica-write, rename-commands...) or that the local cloud sets itself (cluster-enabled,
// maxmemory) have no engine setting and are only recorded.

/** Parameters recorded but not passed to Redis/Valkey. */
const notEngineSettings = new Set([
  "reserved-memory",
  "reserved-memory-percent",
  "close-on-replica-write",
  "rename-commands",
  "cluster-enabled",
  "databases",
  "maxclients",
  "activerehashing",
  "appendonly",
  "appendfsync",
  "replica-allow-chaining",
  "lua-time-limit",
]);

const outputBufferParameter =
  /^client-output-buffer-limit-(normal|pubsub|replica)-(hard-limit|soft-limit|soft-seconds)$/;
const outputBufferDefaults: Record<string, [string, string, string]> = {
  normal: ["0", "0", "0"],
  pubsub: ["33554432", "8388608", "60"],
  replica: ["268435456", "67108864", "60"],
};

/**
 * CONFIG SET pairs for the parameters `names`, given every parameter's value in effect (`values`).
 * Output buffer limits become one `client-output-buffer-limit` setting naming each changed class.
 */
export function redisSettings(
  values: Record<string, string>,
  names: Iterable<string>,
): Record<string, string> {
  const settings: Record<string, string> = {};
  const classes = new Set<string>();
  for (const name of names) {
    const buffer = outputBufferParameter.exec(name);
    if (buffer) classes.add(buffer[1] as string);
    else if (!notEngineSettings.has(name) && values[name] !== undefined) settings[name] = values[name];
  }
  if (classes.size > 0) {
    settings["client-output-buffer-limit"] = [...classes]
      .map((c) => {
        const [hard, soft, seconds] = outputBufferDefaults[c] as [string, string, string];
        const v = (limit: string, fallback: string) =>
          values[`client-output-buffer-limit-${c}-${limit}`] ?? fallback;
        return `${c} ${v("hard-limit", hard)} ${v("soft-limit", soft)} ${v("soft-seconds", seconds)}`;
      })
      .join(" ");
  }
  return settings;
}

type MemcachedOption = (value: string) => string[];
const flag =
  (letter: string): MemcachedOption =>
  (v) =>
    v === "1" ? [letter] : [];
const withValue =
  (letter: string): MemcachedOption =>
  (v) => [letter, v];
const extended =
  (name: string, convert: (v: string) => string = (v) => v): MemcachedOption =>
  (v) => ["-o", `${name}=${convert(v)}`];
const toggle =
  (name: string): MemcachedOption =>
  (v) => ["-o", v === "1" ? name : `no_${name}`];
const onlyWhenSet =
  (name: string): MemcachedOption =>
  (v) =>
    v === "1" ? ["-o", name] : [];

/** memcached 1.6's options for the ElastiCache parameters that have one. */
const memcachedOptions: Record<string, MemcachedOption> = {
  max_item_size: withValue("-I"),
  chunk_size: withValue("-n"),
  chunk_size_growth_factor: withValue("-f"),
  binding_protocol: withValue("-B"),
  cas_disabled: flag("-C"),
  error_on_memory_exhausted: flag("-M"),
  disable_flush_all: flag("-F"),
  idle_timeout: extended("idle_timeout"),
  hash_algorithm: extended("hash_algorithm"),
  slab_automove: extended("slab_automove"),
  // ElastiCache gives bytes; memcached takes kilobytes.
  slab_chunk_max: extended("slab_chunk_max", (v) => String(Math.max(1, Math.round(Number(v) / 1024)))),
  watcher_logbuf_size: extended("watcher_logbuf_size"),
  worker_logbuf_size: extended("worker_logbuf_size"),
  lru_crawler: toggle("lru_crawler"),
  lru_maintainer: toggle("lru_maintainer"),
  maxconns_fast: toggle("maxconns_fast"),
  slab_reassign: onlyWhenSet("slab_reassign"),
  track_sizes: onlyWhenSet("track_sizes"),
};

/** memcached command-line arguments for a group's values (only the ones set in the group). */
export function memcachedArguments(values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([name, value]) => memcachedOptions[name]?.(value) ?? []);
}
