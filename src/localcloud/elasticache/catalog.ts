// The engine versions the local cloud offers (a subset of AWS's) and the name of their default
// parameter groups (the groups themselves are in parameter-groups.ts).

export interface EngineVersionEntry {
  engine: "redis" | "valkey" | "memcached";
  version: string;
  family: string;
  description: string;
  isDefault: boolean;
}

export const engineVersions: EngineVersionEntry[] = [
  { engine: "redis", version: "6.2.6", family: "redis6.x", description: "Redis 6.2.6", isDefault: false },
  { engine: "redis", version: "7.0.7", family: "redis7", description: "Redis 7.0.7", isDefault: false },
  { engine: "redis", version: "7.1.0", family: "redis7", description: "Redis 7.1.0", isDefault: true },
  { engine: "valkey", version: "7.2.6", family: "valkey7", description: "Valkey 7.2.6", isDefault: false },
  { engine: "valkey", version: "8.0.1", family: "valkey8", description: "Valkey 8.0.1", isDefault: true },
  {
    engine: "memcached",
    version: "1.6.17",
    family: "memcached1.6",
    description: "memcached 1.6.17",
    isDefault: false,
  },
  {
    engine: "memcached",
    version: "1.6.22",
    family: "memcached1.6",
    description: "memcached 1.6.22",
    isDefault: true,
  },
];

/** The version AWS would report for a requested one: "7.0" -> "7.0.7"; unknown -> invalid. */
export function resolveEngineVersion(
  engine: string,
  requested: string | undefined,
): EngineVersionEntry | undefined {
  const candidates = engineVersions.filter((v) => v.engine === engine);
  if (requested === undefined) return candidates.find((v) => v.isDefault);
  const matches = candidates.filter((v) => v.version === requested || v.version.startsWith(`${requested}.`));
  return matches[matches.length - 1];
}

export function defaultParameterGroup(family: string, clusterMode: boolean): string {
  return clusterMode ? `default.${family}.cluster.on` : `default.${family}`;
}
