// Cost estimates: nodes × the node type's on-demand hourly price in the region (src/cost/
// price-table.ts), per hour and per 730-hour month. The node count is what AWS bills: every
// primary and replica of every shard, or every memcached / single-Redis node.
import type { ElastiCacheClusterSpec } from "../api/elasticache-cluster.ts";
import { topologyOf } from "../api/topology.ts";
import { effectiveNodeType } from "../planner/desired.ts";
import type { ObservedCache } from "../planner/model.ts";
import { HOURS_PER_MONTH, PRICE_TABLE } from "./price-table.ts";

export interface CostEstimate {
  region: string;
  nodeType: string;
  nodes: number;
  /** USD per node-hour, from the price table. */
  nodeHourlyUSD: number;
  hourlyUSD: number;
  monthlyUSD: number;
  /** The price table's date for the region. */
  priceDate: string;
}

export type Estimate = { ok: true; cost: CostEstimate } | { ok: false; reason: string };

export function estimateCost(region: string, nodeType: string, nodes: number): Estimate {
  const table = PRICE_TABLE[region];
  if (table === undefined) {
    return {
      ok: false,
      reason: `no price table for region ${region} (regions priced: ${Object.keys(PRICE_TABLE).join(", ")}; add it to src/cost/price-table.ts)`,
    };
  }
  const price = table.hourly[nodeType];
  if (price === undefined) {
    return {
      ok: false,
      reason: `no price for ${nodeType} in ${region} (add it to src/cost/price-table.ts)`,
    };
  }
  const hourly = round(price * nodes, 6);
  return {
    ok: true,
    cost: {
      region,
      nodeType,
      nodes,
      nodeHourlyUSD: price,
      hourlyUSD: hourly,
      monthlyUSD: round(hourly * HOURS_PER_MONTH, 2),
      priceDate: table.date,
    },
  };
}

/** The nodes a spec asks for: shards × (1 + replicas) for a replication group, else numCacheNodes. */
export function specNodes(spec: ElastiCacheClusterSpec): number {
  if (topologyOf(spec) === "CacheCluster") return spec.numCacheNodes ?? 1;
  return (spec.numNodeGroups ?? 1) * (1 + (spec.replicasPerNodeGroup ?? 0));
}

export function estimateSpec(region: string, spec: ElastiCacheClusterSpec): Estimate {
  return estimateCost(region, effectiveNodeType(spec), specNodes(spec));
}

/** The nodes AWS reports running: a replication group's member clusters, or a cluster's nodes. */
export function observedNodes(observed: ObservedCache): number {
  if (observed.topology === "CacheCluster") return observed.numCacheNodes ?? 1;
  const fromShards = observed.shards.reduce((n, s) => n + s.nodes.length, 0);
  return observed.memberClusters.length || fromShards;
}

/** The region of an ARN (`arn:aws:elasticache:us-east-1:123456789012:cluster:x`). */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region ? region : undefined;
}

export function estimateObserved(observed: ObservedCache): Estimate {
  const region = regionOfArn(observed.arn);
  if (region === undefined) return { ok: false, reason: "AWS reported no region in the ARN" };
  return estimateCost(region, observed.nodeType, observedNodes(observed));
}

/** `$0.017/hour, $12.41/month`. */
export function formatCost(c: Pick<CostEstimate, "hourlyUSD" | "monthlyUSD">): string {
  return `${dollars(c.hourlyUSD, 3)}/hour, ${monthly(c.monthlyUSD)}/month`;
}

/** `6 × cache.r6g.xlarge ($0.560/hour each) in us-east-1`. */
export function formatBasis(c: CostEstimate): string {
  const each = c.nodes === 1 ? "" : " each";
  return `${c.nodes} × ${c.nodeType} (${dollars(c.nodeHourlyUSD, 3)}/hour${each}) in ${c.region}, on-demand, prices of ${c.priceDate}`;
}

/** `+$396/month`, `-$12.41/month`, `±$0/month`. */
export function formatMonthlyDifference(before: number, after: number): string {
  const diff = round(after - before, 2);
  const sign = diff > 0 ? "+" : diff < 0 ? "-" : "±";
  return `${sign}${monthly(Math.abs(diff))}/month`;
}

/** Whole dollars from $100 on (as the documentation writes ~$409/month), cents below. */
function monthly(usd: number): string {
  return usd >= 100 ? `$${Math.round(usd).toLocaleString("en-US")}` : dollars(usd, 2);
}

function dollars(usd: number, digits: number): string {
  return `$${usd.toFixed(digits)}`;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
