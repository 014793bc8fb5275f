// A replication group's capacity in each scalable dimension, as Application Auto Scaling counts it:
// NodeGroups is the number of shards, Replicas the replicas per shard (the smallest shard's, so a
// shard short of replicas is brought up to the count).
import { maxReplicas, maxShards } from "../elasticache/replication-groups.ts";
import type { ReplicationGroupRecord } from "../state/records.ts";
import type { ScalableDimension } from "./records.ts";

export function currentCapacity(rg: ReplicationGroupRecord, dimension: ScalableDimension): number {
  if (dimension === "elasticache:replication-group:NodeGroups") return rg.nodeGroups.length;
  return Math.min(...rg.nodeGroups.map((g) => g.members.length - 1));
}

/** What ElastiCache allows in the dimension (the range a target's min and max must fall in). */
export function capacityLimits(dimension: ScalableDimension): { min: number; max: number } {
  return dimension === "elasticache:replication-group:NodeGroups"
    ? { min: 1, max: maxShards }
    : { min: 0, max: maxReplicas };
}
