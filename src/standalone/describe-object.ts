// `describe`: an ElastiCacheCluster from the state dir as kubectl describe shows it: what it is,
// its status, its conditions and the recent events kept with it.
import { stringify } from "yaml";
import { type CostEstimate, formatBasis, formatCost, regionOfArn } from "../cost/estimate.ts";
import { age } from "./object-table.ts";
import type { StoredObject } from "./state-store.ts";

interface ConditionLike {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export function describeCluster(o: StoredObject, now: Date): string {
  const spec = o.spec as { clusterID?: string; engine?: string; providerRef?: { name?: string } };
  const { conditions, ...status } = (o.status ?? {}) as { conditions?: ConditionLike[] } & Record<
    string,
    unknown
  >;
  const lines = [
    `Name:          ${o.metadata.name}`,
    `Namespace:     ${o.metadata.namespace}`,
    `Kind:          ${o.kind}`,
    ...(o.kind === "ElastiCacheCluster"
      ? [`Cluster ID:    ${spec.clusterID ?? ""}`, `Engine:        ${spec.engine ?? ""}`]
      : []),
    `Provider:      ${spec.providerRef?.name ?? ""}`,
    ...(o.kind === "ElastiCacheCluster" ? [`Cost:          ${costLine(status)}`] : []),
    `UID:           ${o.metadata.uid}`,
    `Generation:    ${o.metadata.generation}`,
    `Created:       ${o.metadata.creationTimestamp}`,
    "Spec:",
    indent(stringify(o.spec).trimEnd()),
    "Status:",
    Object.keys(status).length ? indent(stringify(status).trimEnd()) : "  (none yet)",
    "Conditions:",
  ];
  if (conditions?.length) {
    lines.push(
      ...table(
        ["Type", "Status", "Reason", "Last Transition", "Message"],
        conditions.map((c) => [c.type, c.status, c.reason, c.lastTransitionTime, c.message]),
      ),
    );
  } else lines.push("  (none)");
  lines.push("Events:");
  if (o.events?.length) {
    lines.push(
      ...table(
        ["Type", "Reason", "Age", "Count", "Message"],
        o.events.map((e) => [
          e.type,
          e.reason,
          age(Date.parse(e.lastTimestamp), now.getTime()),
          String(e.count),
          e.message,
        ]),
      ),
    );
  } else lines.push("  <none>");
  return `${lines.join("\n")}\n`;
}

/** The status's on-demand estimate, or why there is none. */
function costLine(status: Record<string, unknown>): string {
  const cost = status.estimatedCost as CostEstimate | undefined;
  if (cost) return `${formatCost(cost)} (${formatBasis(cost)})`;
  const nodeType = status.cacheNodeType;
  const region = typeof status.cacheClusterARN === "string" ? regionOfArn(status.cacheClusterARN) : undefined;
  if (typeof nodeType !== "string" || region === undefined) return "<none> (not running yet)";
  return `<none> (the price table has no price for ${nodeType} in ${region}: src/cost/price-table.ts)`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, header.map((h) => "-".repeat(h.length)), ...rows].map(
    (r) => `  ${r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join("  ")}`,
  );
}
