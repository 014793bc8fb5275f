// What CreateReplicationGroup restores from: a node-based snapshot (SnapshotName) or, as AWS allows,
// a serverless cache snapshot (ServerlessCacheSnapshotName), which is one RDB file for one shard.
import { invalidCombination } from "../protocol/errors.ts";
import type { QueryObject } from "../protocol/query-input.ts";
import type { SnapshotRecord } from "../state/records.ts";
import { resolveEngineVersion } from "./catalog.ts";
import type { Cloud } from "./cloud.ts";
import { getServerlessSnapshot, requireSnapshotAvailable } from "./serverless-snapshots.ts";
import { availableSnapshot } from "./snapshot-work.ts";

export type RestoreSource = Pick<
  SnapshotRecord,
  "name" | "engine" | "engineVersion" | "clusterMode" | "files"
> & {
  /** Absent for serverless snapshots (serverless caches have no node type). */
  nodeType?: string;
};

export function restoreSourceOf(cloud: Cloud, input: QueryObject): RestoreSource | undefined {
  if (input.ServerlessCacheSnapshotName === undefined)
    return input.SnapshotName === undefined ? undefined : availableSnapshot(cloud, input.SnapshotName);
  if (input.SnapshotName !== undefined)
    throw invalidCombination("Give SnapshotName or ServerlessCacheSnapshotName, not both.");
  const snapshot = getServerlessSnapshot(cloud, input.ServerlessCacheSnapshotName);
  requireSnapshotAvailable(snapshot);
  return {
    name: snapshot.name,
    engine: snapshot.engine,
    engineVersion:
      resolveEngineVersion(snapshot.engine, snapshot.majorEngineVersion)?.version ??
      snapshot.majorEngineVersion,
    clusterMode: false,
    files: [
      {
        nodeGroupId: "0001",
        cacheClusterId: snapshot.cacheName,
        file: snapshot.file,
        size: snapshot.bytes ?? 0,
      },
    ],
  };
}
