// Starting and stopping the engine processes behind a cache cluster's nodes.
import type { NodeOptions } from "../engines/contract.ts";
import type { CacheClusterRecord, CacheNodeRecord } from "../state/records.ts";
import { scopedName } from "../state/scope.ts";
import type { Cloud } from "./cloud.ts";
import { engineSettingsOf } from "./parameter-apply.ts";
import { aclUsersForCluster } from "./rbac-sync.ts";
import { maxMemoryMb } from "./validation.ts";

export function cacheNodeId(index: number): string {
  return String(index).padStart(4, "0");
}

export function newNode(clusterId: string, index: number, now: string): CacheNodeRecord {
  const id = cacheNodeId(index);
  // The 4-digit suffix keeps engine node ids unique across clusters, the scope across accounts/regions.
  return {
    cacheNodeId: id,
    engineNodeId: scopedName(`${clusterId}-${id}`),
    status: "creating",
    createTime: now,
  };
}

export interface StartOptions {
  clusterEnabled?: boolean;
  restoreRdbFile?: string;
}

export async function startNode(
  cloud: Cloud,
  cluster: CacheClusterRecord,
  node: CacheNodeRecord,
  options: StartOptions = {},
) {
  // Background work that outlived a stop must not start engines nobody will stop.
  if (cloud.stopping)
    throw new Error(`node ${node.engineNodeId} is not started: the local cloud is stopping`);
  const nodeOptions: NodeOptions = {
    nodeId: node.engineNodeId,
    engine: cluster.engine,
    engineVersion: cluster.engineVersion,
    dataDir: cloud.nodeDir(node.engineNodeId),
    // At least 4 MiB: what an engine needs for itself, whatever the divisor.
    maxMemoryMb: Math.max(4, Math.floor(maxMemoryMb(cluster.nodeType) / cloud.nodeMemoryDivisor)),
    ...(node.port !== undefined ? { port: node.port } : {}),
    ...(cluster.authTokenDigests.length > 0 ? { authTokenDigests: cluster.authTokenDigests } : {}),
    ...(cluster.transitEncryption ? { tls: await cloud.tlsFiles() } : {}),
    // RBAC users at every start, so a restarted or added node has the user group's current users.
    ...(cluster.engine !== "memcached" ? { aclUsers: aclUsersForCluster(cloud, cluster) } : {}),
    ...(options.clusterEnabled ? { clusterEnabled: true } : {}),
    ...(options.restoreRdbFile ? { restoreRdbFile: options.restoreRdbFile } : {}),
    ...engineSettingsOf(cloud, cluster),
  };
  const running = await cloud.engines.startNode(nodeOptions);
  node.port = running.endpoint.port;
  node.address = running.endpoint.address;
  node.status = "available";
}

export async function startNodes(
  cloud: Cloud,
  cluster: CacheClusterRecord,
  options: StartOptions = {},
): Promise<void> {
  await Promise.all(cluster.nodes.map((n) => startNode(cloud, cluster, n, options)));
}

export async function stopNodes(cloud: Cloud, nodes: CacheNodeRecord[], removeData: boolean): Promise<void> {
  await Promise.all(nodes.map((n) => cloud.engines.stopNode(n.engineNodeId, removeData)));
}
