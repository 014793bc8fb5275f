// The node types the local cloud knows (memory and on-demand price, kept as data in
// node-types.json with its source) and ListAllowedNodeTypeModifications, which ACK calls on every
// sync of a replication group: the types with more memory are scale-ups, those with less (but still
// more than the data the cache holds needs, which the local cloud does not weigh) scale-downs.
import type { Handler, RequestContext } from "../context.ts";
import { invalidParameter } from "../protocol/errors.ts";
import { getCluster } from "./cache-clusters.ts";
import type { Cloud } from "./cloud.ts";
import catalog from "./node-types.json" with { type: "json" };
import { getGroup } from "./replication-groups.ts";

export interface NodeType {
  cacheNodeType: string;
  memoryGiB: number;
  onDemandUsdPerHour: number;
}

export const nodeTypes: NodeType[] = catalog.nodeTypes;
export const productPriceFactor: Record<string, number> = catalog.productPriceFactor;
export const reservedOfferingTerms = catalog.reservedOfferings;

export function nodeTypeOf(name: string): NodeType | undefined {
  return nodeTypes.find((t) => t.cacheNodeType === name);
}

/** Scale-ups and scale-downs from `current`, by memory; a type outside the catalog gets every type as a scale-up. */
export function allowedModifications(current: string): { up: string[]; down: string[] } {
  const memory = nodeTypeOf(current)?.memoryGiB ?? 0;
  const others = nodeTypes.filter((t) => t.cacheNodeType !== current);
  const names = (list: NodeType[]) => list.map((t) => t.cacheNodeType).sort();
  return {
    up: names(others.filter((t) => t.memoryGiB > memory)),
    down: names(others.filter((t) => t.memoryGiB <= memory && memory > 0)),
  };
}

function listAllowed(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const { CacheClusterId: clusterId, ReplicationGroupId: groupId } = ctx.input;
  if ((clusterId === undefined) === (groupId === undefined)) {
    throw invalidParameter("Give exactly one of CacheClusterId or ReplicationGroupId.");
  }
  const current =
    groupId !== undefined ? getGroup(cloud, groupId).nodeType : getCluster(cloud, clusterId).nodeType;
  const { up, down } = allowedModifications(current);
  return { ScaleUpModifications: up, ScaleDownModifications: down };
}

export function nodeTypeHandlers(cloud: Cloud): Record<string, Handler> {
  return { ListAllowedNodeTypeModifications: async (ctx) => listAllowed(cloud, ctx) };
}
