// `get`'s table: the same columns as kubectl's printer columns of the kind (ElastiCacheCluster by default)
// (from the kind definition), plus NAME first, in kubectl's layout; `-o wide` adds the columns of
// priority > 0, as kubectl does.
import { elastiCacheClusterKind, type KindDefinition } from "../api/kinds.ts";
import type { StoredObject } from "./state-store.ts";

export function clusterTable(
  objects: StoredObject[],
  now: Date,
  withNamespace = false,
  wide = false,
  kind: KindDefinition = elastiCacheClusterKind,
): string {
  const columns = kind.printerColumns.filter((c) => wide || !c.priority);
  const header = [
    ...(withNamespace ? ["NAMESPACE"] : []),
    "NAME",
    ...columns.map((c) => c.name.toUpperCase()),
  ];
  const rows = objects.map((o) => [
    ...(withNamespace ? [o.metadata.namespace] : []),
    o.metadata.name,
    ...columns.map((c) => cell(valueAt(o, c.jsonPath), c.type, now)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
        .join("   ")
        .trimEnd(),
    )
    .join("\n");
}

function valueAt(object: unknown, jsonPath: string): unknown {
  let value: unknown = object;
  for (const key of jsonPath.replace(/^\./, "").split(".")) {
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function cell(value: unknown, type: string, now: Date): string {
  if (value === undefined || value === null) return type === "boolean" ? "false" : "";
  if (type === "date") return age(Date.parse(String(value)), now.getTime());
  return String(value);
}

/** kubectl's short age: 45s, 12m, 3h, 5d. */
export function age(since: number, now: number): string {
  const s = Math.max(0, Math.floor((now - since) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
