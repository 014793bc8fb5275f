// `plan`'s view of spec.autoScaling: the Application Auto Scaling calls apply would make (read-only:
// only Describe calls), and which counts auto scaling owns, so numNodeGroups/replicasPerNodeGroup
// changes it will not revert are not shown as pending.
import type { ElastiCacheClusterSpec, ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import {
  type AutoScalingCall,
  autoScalingCalls,
  describeCall,
  desiredAutoScaling,
  dimensions,
} from "../planner/auto-scaling.ts";
import type { ObservedCache } from "../planner/model.ts";
import type { CacheGateway } from "../reconcile/cache-gateway.ts";

export async function plannedAutoScaling(
  spec: ElastiCacheClusterSpec,
  status: ElastiCacheClusterStatus,
  observed: ObservedCache | undefined,
  gateway: CacheGateway,
): Promise<{ calls: string[]; owned: string[] }> {
  const registered = dimensions.filter((d) => status.autoScaling?.[d] !== undefined);
  if (spec.autoScaling === undefined && registered.length === 0) return { calls: [], owned: [] };
  const desired = desiredAutoScaling(spec.autoScaling);
  let calls: AutoScalingCall[];
  if (observed === undefined || gateway.autoScaling === undefined) {
    calls = autoScalingCalls(desired, { targets: [], policies: [], scheduledActions: [] }, []);
  } else {
    calls = autoScalingCalls(desired, await gateway.autoScaling.observe(observed.id), registered);
  }
  const owned: string[] = [];
  for (const d of dimensions) {
    const range = spec.autoScaling?.[d];
    if (range && observed)
      owned.push(
        `${d} ${d === "shards" ? observed.shards.length : "per shard"} now: left to auto scaling within ${range.min}-${range.max} (${d === "shards" ? "numNodeGroups" : "replicasPerNodeGroup"} is the initial count only)`,
      );
  }
  return { calls: calls.map(describeCall), owned };
}
