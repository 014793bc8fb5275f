// The engine processes behind a serverless cache: always TLS (as on AWS). Redis/Valkey caches are a
// single-shard Redis Cluster, as AWS's serverless endpoints present themselves to clients: the primary
// (all 16384 slots) behind the endpoint, its replica behind the reader endpoint (reads after READONLY),
// so cluster-mode clients find their topology with CLUSTER SLOTS/SHARDS and CROSSSLOT applies as on
// AWS. Memcached gets one node. Engine node ids use `--`, which no cache cluster id may contain, so they
// never clash with clusters'.
import { rm } from "node:fs/promises";
import type { NodeOptions } from "../engines/contract.ts";
import type { CacheNodeRecord, ServerlessCacheRecord } from "../state/records.ts";
import { scopedName } from "../state/scope.ts";
import type { Cloud } from "./cloud.ts";
import { cacheNodeId } from "./nodes.ts";
import { aclUsersOfGroups } from "./rbac-sync.ts";

/** Memory limit of the engines: DataStorage.Maximum when set (GB), else 1 GiB. */
export function serverlessMaxMemoryMb(cache: ServerlessCacheRecord): number {
  const max = cache.usageLimits?.DataStorage?.Maximum;
  return max !== undefined ? max * 1024 : 1024;
}

export function newServerlessNodes(cache: Pick<ServerlessCacheRecord, "name" | "engine">, now: string) {
  const count = cache.engine === "memcached" ? 1 : 2;
  return Array.from({ length: count }, (_, i): CacheNodeRecord => {
    const id = cacheNodeId(i + 1);
    return {
      cacheNodeId: id,
      engineNodeId: scopedName(`serverless--${cache.name}--${id}`),
      status: "creating",
      createTime: now,
    };
  });
}

/**
 * Starts the cache's engines. At creation (`restoreRdbFile` or not) the Redis/Valkey pair is joined
 * into a cluster; after a restart of the local cloud they rejoin from their saved cluster config.
 */
export async function startServerlessNodes(
  cloud: Cloud,
  cache: ServerlessCacheRecord,
  how: { created: true; restoreRdbFile?: string } | { created: false },
): Promise<void> {
  const restoreRdbFile = how.created ? how.restoreRdbFile : undefined;
  const tls = await cloud.tlsFiles();
  await Promise.all(
    cache.nodes.map(async (node, i) => {
      const options: NodeOptions = {
        nodeId: node.engineNodeId,
        engine: cache.engine,
        engineVersion: cache.fullEngineVersion,
        dataDir: cloud.nodeDir(node.engineNodeId),
        maxMemoryMb: serverlessMaxMemoryMb(cache),
        tls,
        ...(cache.engine !== "memcached" ? { clusterEnabled: true } : {}),
        ...(node.port !== undefined ? { port: node.port } : {}),
        ...(cache.engine !== "memcached"
          ? { aclUsers: aclUsersOfGroups(cloud, cache.userGroupId ? [cache.userGroupId] : []) }
          : {}),
        ...(i === 0 && restoreRdbFile ? { restoreRdbFile } : {}),
      };
      const running = await cloud.engines.startNode(options);
      node.port = running.endpoint.port;
      node.address = running.endpoint.address;
      node.status = "available";
    }),
  );
  const [primary, reader] = cache.nodes;
  if (cache.engine === "memcached" || !primary) return;
  if (how.created) {
    await cloud.engines.createCluster([
      { primary: primary.engineNodeId, replicas: reader ? [reader.engineNodeId] : [] },
    ]);
  } else {
    await cloud.engines.awaitClusterHealthy(cache.nodes.map((n) => n.engineNodeId));
  }
}

/** A new DataStorage.Maximum reaches running Redis/Valkey engines live; memcached takes it at its next start. */
export async function applyMemoryLimit(cloud: Cloud, cache: ServerlessCacheRecord): Promise<void> {
  if (cache.engine === "memcached") return;
  const settings = { maxmemory: `${serverlessMaxMemoryMb(cache)}mb` };
  await Promise.all(cache.nodes.map((n) => cloud.engines.applySettings(n.engineNodeId, settings)));
}

export async function stopServerlessNodes(cloud: Cloud, cache: ServerlessCacheRecord, removeData: boolean) {
  await Promise.all(cache.nodes.map((n) => cloud.engines.stopNode(n.engineNodeId, removeData)));
}

/** After a restart of the local cloud: engines back on their ports, interrupted work settled. */
export async function recoverServerless(cloud: Cloud): Promise<void> {
  const s = cloud.state;
  for (const snap of Object.values(s.serverlessSnapshots))
    if (snap.status === "creating") snap.status = "failed";
  await Promise.all(
    Object.values(s.serverlessCaches).map(async (cache) => {
      if (cache.status === "deleting") {
        // Its engines are not running in this process: the node folders go directly.
        await Promise.all(
          cache.nodes.map((n) => rm(cloud.nodeDir(n.engineNodeId), { recursive: true, force: true })),
        );
        delete s.serverlessCaches[cache.name];
        delete s.tags[cache.arn];
        return;
      }
      try {
        // A cache stopped while creating may not have formed its cluster yet.
        await startServerlessNodes(cloud, cache, { created: cache.status === "creating" });
        if (cache.status === "creating" || cache.status === "modifying") cache.status = "available";
      } catch (e) {
        cloud.log(`local cloud: cannot restart serverless cache ${cache.name}: ${(e as Error).message}`);
        cache.status = "create-failed";
      }
    }),
  );
}
