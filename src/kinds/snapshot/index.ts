// ElastiCacheSnapshot on the runtime: describe, take (CreateSnapshot), delete. Its source is a
// cache by AWS ID or an ElastiCacheCluster object (a reference, until the snapshot is taken).
import {
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeReplicationGroupsCommand,
  DescribeSnapshotsCommand,
  type ReplicationGroup,
  type Snapshot,
} from "@aws-sdk/client-elasticache";
import type { ElastiCacheApi } from "../../runtime/elasticache-api.ts";
import { tagList } from "../../runtime/elasticache-api.ts";
import type { ManagedKind } from "../../runtime/kind.ts";
import { parseSpecWith } from "../../runtime/parse-spec.ts";
import {
  BUSY_STATUSES,
  type ObservedSnapshot,
  planSnapshot,
  type SnapshotAction,
  snapshotReferences,
} from "./plan.ts";
import { type SnapshotSpec, snapshotDefinition, snapshotSpec } from "./schema.ts";

/** Whether AWS knows the ID as a replication group (else it is a single cache cluster). */
async function isReplicationGroup(api: ElastiCacheApi, id: string): Promise<boolean> {
  const out = await api.find<{ ReplicationGroups?: ReplicationGroup[] }>(
    new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }),
  );
  return (out?.ReplicationGroups ?? []).some((g) => g.ReplicationGroupId?.toLowerCase() === id.toLowerCase());
}

export const snapshotKind: ManagedKind<SnapshotSpec, ObservedSnapshot, SnapshotAction> = {
  definition: snapshotDefinition,
  parseSpec: parseSpecWith(snapshotSpec, "ElastiCacheSnapshot"),
  awsName: (spec) => spec.snapshotName,
  describe: (spec) => `snapshot ${spec.snapshotName}`,
  references: snapshotReferences,

  async observe(api, spec) {
    const out = await api.find<{ Snapshots?: Snapshot[] }>(
      new DescribeSnapshotsCommand({ SnapshotName: spec.snapshotName }),
    );
    const s = out?.Snapshots?.find((x) => x.SnapshotName === spec.snapshotName);
    if (s?.ARN === undefined) return undefined;
    const status = (s.SnapshotStatus ?? "").toLowerCase();
    const nodes = (s.NodeSnapshots ?? []).map((n) => ({
      ...(n.CacheClusterId ? { cacheClusterID: n.CacheClusterId } : {}),
      ...(n.NodeGroupId ? { nodeGroupID: n.NodeGroupId } : {}),
      ...(n.CacheSize ? { cacheSize: n.CacheSize } : {}),
      ...(n.SnapshotCreateTime ? { snapshotCreateTime: new Date(n.SnapshotCreateTime).toISOString() } : {}),
    }));
    const created = nodes
      .map((n) => n.snapshotCreateTime)
      .filter((t) => t !== undefined)
      .sort()[0];
    return {
      arn: s.ARN,
      tags: await api.tags(s.ARN),
      busy: BUSY_STATUSES.includes(status),
      deleting: status === "deleting",
      status,
      replicationGroupID: s.ReplicationGroupId,
      cacheClusterID: s.CacheClusterId,
      engine: s.Engine,
      engineVersion: s.EngineVersion,
      nodeType: s.CacheNodeType,
      numNodeGroups: s.NumNodeGroups,
      source: s.SnapshotSource,
      createTime: created,
      nodeSnapshots: nodes,
    };
  },

  plan: planSnapshot,

  deleteAction: () => ({ type: "delete" }),

  async act(api, action, { spec, tags }) {
    if (action.type === "delete") {
      await api.send(new DeleteSnapshotCommand({ SnapshotName: spec.snapshotName }));
      return;
    }
    // A replication group is snapshotted by its ID (every shard); a single cache by its own.
    const source = (await isReplicationGroup(api, action.sourceID))
      ? { ReplicationGroupId: action.sourceID }
      : { CacheClusterId: action.sourceID };
    await api.send(
      new CreateSnapshotCommand({ SnapshotName: spec.snapshotName, ...source, Tags: tagList(tags) }),
    );
  },

  status(observed) {
    if (observed === undefined) return {};
    return {
      snapshotStatus: observed.status,
      replicationGroupID: observed.replicationGroupID,
      cacheClusterID: observed.cacheClusterID,
      engine: observed.engine,
      engineVersion: observed.engineVersion,
      nodeType: observed.nodeType,
      numNodeGroups: observed.numNodeGroups,
      snapshotSource: observed.source,
      createTime: observed.createTime,
      nodeSnapshots: observed.nodeSnapshots,
    };
  },
};
