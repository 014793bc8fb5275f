// The cost lines of `plan`: what each cache will cost once applied, and the difference from what
// runs now (`cache.t3.micro → cache.r6g.xlarge: +$396/month`).
import type { ElastiCacheClusterSpec } from "../api/elasticache-cluster.ts";
import type { ObservedCache } from "../planner/model.ts";
import {
  type CostEstimate,
  estimateObserved,
  estimateSpec,
  formatBasis,
  formatCost,
  formatMonthlyDifference,
} from "./estimate.ts";

export interface PlannedCost {
  line: string;
  /** Monthly USD after apply and now (0 when nothing runs); undefined when not priced. */
  afterUSD?: number;
  beforeUSD?: number;
}

export function plannedCost(
  region: string,
  spec: ElastiCacheClusterSpec,
  observed: ObservedCache | undefined,
): PlannedCost {
  const after = estimateSpec(region, spec);
  if (!after.ok) return { line: `cost: not estimated: ${after.reason}` };
  const line = `cost: ${formatCost(after.cost)} (${formatBasis(after.cost)})`;
  if (observed === undefined) {
    return {
      line: `${line}; new: ${formatMonthlyDifference(0, after.cost.monthlyUSD)}`,
      afterUSD: after.cost.monthlyUSD,
      beforeUSD: 0,
    };
  }
  const before = estimateObserved(observed);
  if (!before.ok)
    return { line: `${line}; now: not estimated: ${before.reason}`, afterUSD: after.cost.monthlyUSD };
  const change = changeOf(before.cost, after.cost);
  return {
    line:
      change === undefined
        ? `${line}; unchanged`
        : `${line}; ${change}: ${formatMonthlyDifference(before.cost.monthlyUSD, after.cost.monthlyUSD)}`,
    afterUSD: after.cost.monthlyUSD,
    beforeUSD: before.cost.monthlyUSD,
  };
}

/** `cache.t3.micro → cache.r6g.xlarge`, `1 → 3 nodes`, both, or undefined when the same. */
function changeOf(before: CostEstimate, after: CostEstimate): string | undefined {
  const parts: string[] = [];
  if (before.nodeType !== after.nodeType) parts.push(`${before.nodeType} → ${after.nodeType}`);
  if (before.nodes !== after.nodes) parts.push(`${before.nodes} → ${after.nodes} nodes`);
  if (before.region !== after.region) parts.push(`${before.region} → ${after.region}`);
  return parts.length ? parts.join(", ") : undefined;
}
