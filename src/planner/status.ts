// The documented status fields, taken from what AWS reports (never copied from the spec).
import type { ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import { estimateObserved } from "../cost/estimate.ts";
import type { Endpoint, ObservedCache } from "./model.ts";

export type ObservedStatus = Pick<
  ElastiCacheClusterStatus,
  | "clusterStatus"
  | "cacheClusterARN"
  | "configurationEndpoint"
  | "primaryEndpoint"
  | "readerEndpoint"
  | "nodeEndpoints"
  | "endpoint"
  | "cacheNodeType"
  | "engineVersion"
  | "memberClusters"
  | "clusterCreateTime"
  | "estimatedCost"
>;

export function observedStatus(observed: ObservedCache): ObservedStatus {
  // A single-node Redis has no primary endpoint in AWS; its node's endpoint is the primary one.
  const primary =
    observed.primaryEndpoint ??
    (observed.topology === "CacheCluster" && observed.engine !== "memcached"
      ? observed.nodeEndpoints[0]
      : undefined);
  const main = observed.configurationEndpoint ?? primary;
  const estimate = estimateObserved(observed);
  const status: ObservedStatus = {
    clusterStatus: observed.status,
    cacheClusterARN: observed.arn,
    configurationEndpoint: copy(observed.configurationEndpoint),
    primaryEndpoint: copy(primary),
    readerEndpoint: copy(observed.readerEndpoint),
    nodeEndpoints: observed.nodeEndpoints.length
      ? observed.nodeEndpoints.map((n) => ({ address: n.address, port: n.port, nodeID: n.nodeID }))
      : undefined,
    endpoint: main ? `${main.address}:${main.port}` : undefined,
    cacheNodeType: observed.nodeType || undefined,
    engineVersion: observed.engineVersion || undefined,
    memberClusters: observed.memberClusters.length ? [...observed.memberClusters] : undefined,
    clusterCreateTime: observed.createTime,
    estimatedCost: estimate.ok ? estimate.cost : undefined,
  };
  return Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) as ObservedStatus;
}

function copy(e: Endpoint | undefined): Endpoint | undefined {
  return e ? { address: e.address, port: e.port } : undefined;
}
