// What to do next with a snapshot (pure): take it (one CreateSnapshot of its source cache), wait
// while AWS makes it, or nothing. A snapshot is never changed: only its tags (the runtime's).
import type { Decision, ManagedObserved, PlanInput, Reference } from "../../runtime/kind.ts";
import type { SnapshotSpec } from "./schema.ts";

export interface NodeSnapshot {
  cacheClusterID?: string;
  nodeGroupID?: string;
  cacheSize?: string;
  snapshotCreateTime?: string;
}

export interface ObservedSnapshot extends ManagedObserved {
  /** AWS's SnapshotStatus, lower case. */
  status: string;
  replicationGroupID?: string;
  cacheClusterID?: string;
  engine?: string;
  engineVersion?: string;
  nodeType?: string;
  numNodeGroups?: number;
  source?: string;
  createTime?: string;
  nodeSnapshots: NodeSnapshot[];
}

export type SnapshotAction = { type: "create"; sourceID: string } | { type: "delete" };

/** AWS statuses of a snapshot it is still working on (no delete possible meanwhile). */
export const BUSY_STATUSES = ["creating", "restoring", "copying", "exporting"];

/** The snapshot exists (its status has its ARN): its source is no longer needed. */
function taken(status: Record<string, unknown> | undefined): boolean {
  return typeof status?.arn === "string" && status.arn !== "";
}

/** The source cache, until the snapshot is taken: the cache may be deleted after that. */
export function snapshotReferences(spec: SnapshotSpec, status?: Record<string, unknown>): Reference[] {
  if (taken(status)) return [];
  if (spec.clusterRef !== undefined)
    return [{ kind: "ElastiCacheCluster", name: spec.clusterRef.name, field: "spec.clusterRef" }];
  if (spec.clusterID !== undefined)
    return [
      { kind: "ElastiCacheCluster", name: spec.clusterID, awsName: spec.clusterID, field: "spec.clusterID" },
    ];
  return [];
}

export function planSnapshot(input: PlanInput<SnapshotSpec, ObservedSnapshot>): Decision<SnapshotAction> {
  const { spec, observed } = input;
  const what = `snapshot ${spec.snapshotName}`;
  const sourceID = input.resolved[0] ?? spec.clusterID;
  if (observed === undefined) {
    if (taken(input.status))
      return {
        type: "invalid",
        reason: "SnapshotGone",
        message: `${what} is gone from AWS (deleted outside the operator); a new one would hold other data: delete this object, and create a new ElastiCacheSnapshot to take a new snapshot`,
      };
    if (sourceID === undefined)
      return {
        type: "invalid",
        reason: "NoSource",
        message: `${what} names no cache: set spec.clusterID or spec.clusterRef`,
      };
    return {
      type: "act",
      action: { type: "create", sourceID },
      reason: "Creating",
      message: `taking ${what} of ${sourceID}`,
    };
  }
  if (observed.status === "failed")
    return {
      type: "invalid",
      reason: "SnapshotFailed",
      message: `AWS reports ${what} as failed: delete this object (deletionPolicy Delete removes the failed snapshot) and create it again`,
    };
  if (BUSY_STATUSES.includes(observed.status))
    return {
      type: "wait",
      reason: observed.status === "creating" ? "Creating" : "Busy",
      message: `AWS reports ${what} as ${observed.status}; waiting for available`,
    };
  if (input.resolved[0] !== undefined && !isSourceOf(observed, input.resolved[0]))
    return {
      type: "invalid",
      reason: "SourceMismatch",
      message: `${what} exists in AWS as a snapshot of ${sourceOf(observed)}, not ${input.resolved[0]}: choose another snapshotName`,
    };
  if (observed.status !== "available")
    return {
      type: "wait",
      reason: "Busy",
      message: `AWS reports ${what} as ${observed.status}; waiting for available`,
    };
  return { type: "ready", message: `${what} of ${sourceOf(observed)} is available` };
}

function sourceOf(o: ObservedSnapshot): string {
  return o.replicationGroupID ?? o.cacheClusterID ?? "an unknown cache";
}

/** AWS keeps IDs in lower case; a cache cluster's snapshot may also name its replication group. */
function isSourceOf(o: ObservedSnapshot, id: string): boolean {
  const wanted = id.toLowerCase();
  return [o.replicationGroupID, o.cacheClusterID].some((x) => x?.toLowerCase() === wanted);
}
