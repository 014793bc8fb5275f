// Builders for planner tests: a spec, and the ObservedCache AWS would report for it.
import type { ElastiCacheClusterSpec } from "../api/elasticache-cluster.ts";
import { isClusterMode, topologyOf } from "../api/topology.ts";
import { effectiveNodeType } from "./desired.ts";
import type { ObservedCache, ObservedShard } from "./model.ts";
import type { PlanInput } from "./plan-types.ts";

export const OWNER = { namespace: "default", name: "app-cache", uid: "uid-1" };
export const NOW = new Date("2026-11-27T03:00:00Z");

export function spec(overrides: Partial<ElastiCacheClusterSpec> = {}): ElastiCacheClusterSpec {
  return {
    providerRef: { name: "localstack" },
    clusterID: "app-cache",
    engine: "redis",
    engineVersion: "7.0",
    nodeType: "cache.t3.micro",
    deletionPolicy: "Delete",
    ...overrides,
  };
}

/** What AWS reports for a cache created from `s`, available. */
export function observedFor(
  s: ElastiCacheClusterSpec,
  overrides: Partial<ObservedCache> = {},
): ObservedCache {
  const topology = topologyOf(s);
  const group = topology === "ReplicationGroup";
  const shardCount = group ? (s.numNodeGroups ?? 1) : 0;
  const replicas = s.replicasPerNodeGroup ?? 0;
  const shards: ObservedShard[] = Array.from({ length: shardCount }, (_, i) => ({
    id: String(i + 1).padStart(4, "0"),
    nodes: Array.from({ length: replicas + 1 }, (_, n) => ({
      id: `${s.clusterID}-${String(i + 1).padStart(4, "0")}-${String(n + 1).padStart(3, "0")}`,
      role: n === 0 ? ("primary" as const) : ("replica" as const),
    })),
  }));
  const nodes = group ? 0 : (s.numCacheNodes ?? 1);
  return {
    topology,
    id: s.clusterID,
    arn: `arn:aws:elasticache:us-east-1:000000000000:${group ? "replicationgroup" : "cluster"}:${s.clusterID}`,
    status: "available",
    engine: s.engine,
    engineVersion: s.engineVersion === "7.0" ? "7.0.7" : s.engineVersion,
    nodeType: effectiveNodeType(s),
    clusterMode: group && isClusterMode(s),
    numCacheNodes: group ? undefined : nodes,
    shards,
    memberClusters: shards.flatMap((sh) => sh.nodes.map((n) => n.id)),
    automaticFailover: group ? (s.automaticFailoverEnabled ? "enabled" : "disabled") : undefined,
    multiAZ: group ? (s.multiAZEnabled ?? false) : undefined,
    transitEncryption: s.transitEncryptionEnabled ?? false,
    atRestEncryption: s.atRestEncryptionEnabled ?? false,
    authTokenEnabled: s.authTokenRef !== undefined,
    snapshotRetentionLimit: s.snapshotRetentionLimit ?? 0,
    snapshotWindow: s.snapshotWindow ?? "05:00-06:00",
    maintenanceWindow: s.preferredMaintenanceWindow ?? "sun:23:00-mon:01:30",
    securityGroupIds: s.securityGroupIds ?? [],
    description: s.replicationGroupDescription,
    nodeEndpoints: Array.from({ length: nodes }, (_, i) => ({
      nodeID: String(i + 1).padStart(4, "0"),
      address: "127.0.0.1",
      port: 7000 + i,
    })),
    pendingChanges: false,
    ...overrides,
  };
}

export function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    owner: OWNER,
    spec: spec(),
    defaultTags: {},
    adopt: false,
    memory: {},
    observed: undefined,
    now: NOW,
    pollSeconds: 1,
    rotationGraceSeconds: 30,
    ...overrides,
  };
}
