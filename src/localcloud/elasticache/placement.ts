// Where nodes go, as AWS decides it: Availability Zones (PreferredAvailabilityZone(s), AZMode,
// PreferredCacheClusterAZs, NodeGroupConfiguration's zones) and each shard's replica count and slots.
// There is one machine behind the local cloud; the zones are recorded and reported, as AWS would.
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { QueryObject } from "../protocol/query-input.ts";
import { nodeGroupIdOf, slotRanges, totalSlots } from "./topology.ts";

/** The zones the local cloud offers in a region: <region>a, b and c. */
export function regionZones(region: string): string[] {
  return ["a", "b", "c"].map((letter) => `${region}${letter}`);
}

function validZone(zone: unknown, region: string, parameter: string): string {
  const z = String(zone);
  if (!regionZones(region).includes(z)) {
    throw invalidParameter(
      `${parameter} '${z}' is not an Availability Zone of ${region}; use one of ${regionZones(region).join(", ")}.`,
    );
  }
  return z;
}

/** The Availability Zone AWS reports for a set of nodes: theirs, or "Multiple" when they differ. */
export function azOf(zones: string[]): string | undefined {
  const distinct = [...new Set(zones)];
  return distinct.length > 1 ? "Multiple" : distinct[0];
}

/** The default zone of the `index`-th node (0-based): nodes are spread over the region's zones. */
export function spreadZone(region: string, index: number): string {
  const zones = regionZones(region);
  return zones[index % zones.length] as string;
}

/**
 * Zones of a new cache cluster's nodes (CreateCacheCluster). Memcached takes one zone per node
 * (PreferredAvailabilityZones, which must name exactly NumCacheNodes zones) and AZMode cross-az
 * spreads the nodes over the region's zones; otherwise every node is in PreferredAvailabilityZone.
 */
export function cacheClusterZones(input: QueryObject, region: string, numNodes: number): string[] {
  const many = input.PreferredAvailabilityZones as string[] | undefined;
  const one = input.PreferredAvailabilityZone as string | undefined;
  const mode = input.AZMode as string | undefined;
  if (many !== undefined && many.length > 0) {
    if (many.length !== numNodes) {
      throw invalidCombination(
        "Must specify the same number of preferred availability zones as requested number of nodes.",
      );
    }
    const zones = many.map((z) => validZone(z, region, "PreferredAvailabilityZones"));
    if (new Set(zones).size > 1 && mode !== "cross-az") {
      throw invalidCombination("Several PreferredAvailabilityZones need AZMode cross-az.");
    }
    return zones;
  }
  if (mode === "cross-az") {
    if (String(input.Engine ?? "") !== "memcached")
      throw invalidParameter("AZMode cross-az is only supported for memcached clusters.");
    if (numNodes < 2)
      throw invalidCombination("AZMode cross-az needs at least two nodes (NumCacheNodes >= 2).");
    const start =
      one === undefined
        ? 0
        : regionZones(region).indexOf(validZone(one, region, "PreferredAvailabilityZone"));
    return Array.from({ length: numNodes }, (_, i) => spreadZone(region, start + i));
  }
  const zone = one === undefined ? `${region}a` : validZone(one, region, "PreferredAvailabilityZone");
  return Array.from({ length: numNodes }, () => zone);
}

/** One shard of a new replication group: its id, slots (cluster mode), replicas and zones. */
export interface ShardPlan {
  nodeGroupId: string;
  slots?: string;
  replicas: number;
  /** Absent: the member's default zone. */
  primaryAz?: string;
  replicaAzs: (string | undefined)[];
}

interface NodeGroupConfig {
  NodeGroupId?: string;
  Slots?: string;
  ReplicaCount?: number;
  PrimaryAvailabilityZone?: string;
  ReplicaAvailabilityZones?: string[];
}

/** "0-999,2000-2999" as inclusive ranges; refuses anything else. */
export function parseSlots(text: string, nodeGroupId: string): [number, number][] {
  return text.split(",").map((part) => {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    const start = Number(m?.[1]);
    const end = Number(m?.[2]);
    if (m === null || start > end || end >= totalSlots) {
      throw invalidParameter(
        `Slots '${text}' of node group ${nodeGroupId} is invalid: use start-end ranges between 0 and ${totalSlots - 1}, e.g. 0-5460.`,
      );
    }
    return [start, end];
  });
}

/** Every slot owned exactly once over all shards, as AWS requires of NodeGroupConfiguration Slots. */
function checkSlotCoverage(plans: ShardPlan[]): void {
  const owner: (string | undefined)[] = new Array(totalSlots).fill(undefined);
  for (const p of plans) {
    for (const [start, end] of parseSlots(p.slots ?? "", p.nodeGroupId)) {
      for (let slot = start; slot <= end; slot++) {
        if (owner[slot] !== undefined) {
          throw invalidParameter(
            `Slot ${slot} is given to node groups ${owner[slot]} and ${p.nodeGroupId}; each slot belongs to one node group.`,
          );
        }
        owner[slot] = p.nodeGroupId;
      }
    }
  }
  const missing = owner.indexOf(undefined);
  if (missing >= 0) {
    throw invalidParameter(
      `The Slots of NodeGroupConfiguration must cover all ${totalSlots} slots (0-${totalSlots - 1}); slot ${missing} belongs to no node group.`,
    );
  }
}

/**
 * The shards of a new replication group from NumNodeGroups / ReplicasPerNodeGroup /
 * NumCacheClusters, refined per shard by NodeGroupConfiguration and, without cluster mode, by
 * PreferredCacheClusterAZs (one zone per cache cluster, primary first).
 */
export function shardPlans(
  input: QueryObject,
  size: { clusterMode: boolean; shards: number; replicas: number },
  region: string,
  maxReplicas: number,
): ShardPlan[] {
  const configs = (input.NodeGroupConfiguration as NodeGroupConfig[] | undefined) ?? [];
  if (configs.length > 0 && configs.length !== size.shards) {
    throw invalidCombination(
      `NodeGroupConfiguration has ${configs.length} entries for ${size.shards} node group(s); give one per node group (NumNodeGroups).`,
    );
  }
  const preferred = (input.PreferredCacheClusterAZs as string[] | undefined) ?? [];
  if (preferred.length > 0) {
    if (size.shards > 1)
      throw invalidCombination("PreferredCacheClusterAZs can only be specified for one node group.");
    if (input.NumCacheClusters === undefined || preferred.length !== size.replicas + 1) {
      throw invalidParameter(
        "When specifying preferred availability zones, the number of cache clusters must be specified and must match the number of preferred availability zones.",
      );
    }
  }
  const even = slotRanges(size.shards);
  const plans = Array.from({ length: size.shards }, (_, i): ShardPlan => {
    const config = configs[i] ?? {};
    const nodeGroupId =
      config.NodeGroupId === undefined ? nodeGroupIdOf(i + 1) : validNodeGroupId(config.NodeGroupId);
    const replicas = config.ReplicaCount ?? size.replicas;
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > maxReplicas) {
      throw invalidParameter(
        `ReplicaCount of node group ${nodeGroupId} must be between 0 and ${maxReplicas}.`,
      );
    }
    const replicaZones = config.ReplicaAvailabilityZones;
    if (replicaZones !== undefined && replicaZones.length > 0 && replicaZones.length !== replicas) {
      throw invalidParameter(
        `ReplicaAvailabilityZones of node group ${nodeGroupId} names ${replicaZones.length} zone(s) for ${replicas} replica(s); give one per replica.`,
      );
    }
    const primaryAz =
      config.PrimaryAvailabilityZone !== undefined
        ? validZone(config.PrimaryAvailabilityZone, region, "PrimaryAvailabilityZone")
        : preferred[0] !== undefined
          ? validZone(preferred[0], region, "PreferredCacheClusterAZs")
          : undefined;
    const replicaAzs = Array.from({ length: replicas }, (_, r) => {
      const zone = replicaZones?.[r] ?? preferred[r + 1];
      return zone === undefined ? undefined : validZone(zone, region, "ReplicaAvailabilityZones");
    });
    if (config.Slots !== undefined && !size.clusterMode)
      throw invalidCombination("Slots in NodeGroupConfiguration need cluster mode.");
    const slots = size.clusterMode
      ? (config.Slots ?? (configs.some((c) => c.Slots) ? undefined : even[i]))
      : undefined;
    if (size.clusterMode && slots === undefined) {
      throw invalidCombination(
        `Node group ${nodeGroupId} has no Slots while others do; give Slots to every NodeGroupConfiguration or to none.`,
      );
    }
    return {
      nodeGroupId,
      ...(slots ? { slots } : {}),
      replicas,
      ...(primaryAz ? { primaryAz } : {}),
      replicaAzs,
    };
  });
  if (new Set(plans.map((p) => p.nodeGroupId)).size !== plans.length)
    throw invalidParameter("NodeGroupId values in NodeGroupConfiguration must be distinct.");
  if (size.clusterMode) checkSlotCoverage(plans);
  return plans;
}

function validNodeGroupId(value: unknown): string {
  const id = String(value);
  if (!/^\d{1,4}$/.test(id))
    throw invalidParameter(`NodeGroupId '${id}' is invalid: use 1 to 4 digits, e.g. 0001.`);
  return id.padStart(4, "0");
}
