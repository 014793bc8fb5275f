// The optional KIND argument of get/describe/delete, as kubectl takes it: the kind, its plural,
// singular or a short name (elasticachesubnetgroup, ecsg, ...). Without one, ElastiCacheCluster.
import { elastiCacheClusterKind, type KindDefinition } from "../api/kinds.ts";
import { managedKinds } from "../kinds/registry.ts";

/** The kinds the CLI applies and records (providers are recorded, not listed). */
export const cliKinds: KindDefinition[] = [elastiCacheClusterKind, ...managedKinds.map((k) => k.definition)];

export function kindNamed(word: string): KindDefinition | undefined {
  const w = word.toLowerCase();
  return cliKinds.find(
    (k) => k.kind.toLowerCase() === w || k.plural === w || k.singular === w || k.shortNames.includes(w),
  );
}

/** The kind the positionals start with (consumed), else ElastiCacheCluster. */
export function splitKindArg(positionals: string[]): { kind: KindDefinition; names: string[] } {
  const first = positionals[0];
  const named = first !== undefined && !first.includes("/") ? kindNamed(first) : undefined;
  return named
    ? { kind: named, names: positionals.slice(1) }
    : { kind: elastiCacheClusterKind, names: positionals };
}
