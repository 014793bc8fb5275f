// The snapshot planner: its source by reference until taken, one create, waits while AWS makes it,
// a failed, mismatched or vanished snapshot refused with what to do; and the cluster's restore reference.
import assert from "node:assert/strict";
import { test } from "node:test";
import { elastiCacheClusterSpec } from "../../api/elasticache-cluster.ts";
import { requestFor } from "../../aws/action-mapping.ts";
import { createParams } from "../../planner/desired.ts";
import type { PlanInput } from "../../runtime/kind.ts";
import { clusterReferences } from "../cluster-references.ts";
import { type ObservedSnapshot, planSnapshot, snapshotReferences } from "./plan.ts";
import type { SnapshotSpec } from "./schema.ts";

const spec = (extra: Partial<SnapshotSpec> = {}): SnapshotSpec => ({
  providerRef: { name: "p" },
  deletionPolicy: "Delete",
  snapshotName: "app-backup",
  clusterRef: { name: "app" },
  ...extra,
});

const observed = (extra: Partial<ObservedSnapshot> = {}): ObservedSnapshot => ({
  arn: "arn:aws:elasticache:us-east-1:000000000000:snapshot:app-backup",
  tags: {},
  status: "available",
  replicationGroupID: "app-cache",
  engine: "redis",
  nodeSnapshots: [],
  ...extra,
});

const input = (
  over: Partial<PlanInput<SnapshotSpec, ObservedSnapshot>> = {},
): PlanInput<SnapshotSpec, ObservedSnapshot> => ({
  spec: spec(),
  observed: observed(),
  owner: { namespace: "ns", name: "app-backup", uid: "uid-1" },
  tags: {},
  secrets: [],
  resolved: ["app-cache"],
  status: {},
  ...over,
});

test("references: the source cluster by object or by AWS ID, until the snapshot is taken", () => {
  assert.deepEqual(snapshotReferences(spec()), [
    { kind: "ElastiCacheCluster", name: "app", field: "spec.clusterRef" },
  ]);
  assert.deepEqual(snapshotReferences(spec({ clusterRef: undefined, clusterID: "app-cache" })), [
    { kind: "ElastiCacheCluster", name: "app-cache", awsName: "app-cache", field: "spec.clusterID" },
  ]);
  assert.deepEqual(snapshotReferences(spec(), { arn: "arn:snap" }), []);
});

test("create from the resolved source; wait while creating; ready when available", () => {
  assert.deepEqual(planSnapshot(input({ observed: undefined })), {
    type: "act",
    action: { type: "create", sourceID: "app-cache" },
    reason: "Creating",
    message: "taking snapshot app-backup of app-cache",
  });
  const noRef = input({
    observed: undefined,
    resolved: [],
    spec: spec({ clusterRef: undefined, clusterID: "x" }),
  });
  assert.deepEqual((planSnapshot(noRef) as { action: unknown }).action, { type: "create", sourceID: "x" });
  const creating = planSnapshot(input({ observed: observed({ status: "creating" }) }));
  assert.deepEqual([creating.type, (creating as { reason: string }).reason], ["wait", "Creating"]);
  assert.equal(planSnapshot(input({ observed: observed({ status: "copying" }) })).type, "wait");
  const ready = planSnapshot(input());
  assert.deepEqual(ready, { type: "ready", message: "snapshot app-backup of app-cache is available" });
  // Once taken, the source is not needed (nor checked): the cache may be gone.
  assert.equal(planSnapshot(input({ resolved: [], status: { arn: "arn:snap" } })).type, "ready");
});

test("failed, of another cache, or gone after it was taken: invalid, with what to do", () => {
  const failed = planSnapshot(input({ observed: observed({ status: "failed" }) }));
  assert.equal(failed.type, "invalid");
  assert.match((failed as { message: string }).message, /failed: delete this object/);
  const other = planSnapshot(input({ resolved: ["other-cache"] }));
  assert.deepEqual([other.type, (other as { reason: string }).reason], ["invalid", "SourceMismatch"]);
  assert.match(
    (other as { message: string }).message,
    /of app-cache, not other-cache: choose another snapshotName/,
  );
  // A cache cluster's snapshot names it (and maybe its group): either matches, in any case.
  const cc = input({
    resolved: ["App-Node"],
    observed: observed({ replicationGroupID: undefined, cacheClusterID: "app-node" }),
  });
  assert.equal(planSnapshot(cc).type, "ready");
  const gone = planSnapshot(input({ observed: undefined, status: { arn: "arn:snap" }, resolved: [] }));
  assert.deepEqual([gone.type, (gone as { reason: string }).reason], ["invalid", "SnapshotGone"]);
});

test("a cluster restoring a snapshot waits for it until the cache exists, and sends SnapshotName once", () => {
  const clusterSpec = {
    providerRef: { name: "p" },
    clusterID: "restored",
    engine: "redis",
    engineVersion: "7.0",
    nodeType: "cache.t3.micro",
    restoreFromSnapshot: "app-backup",
  };
  assert.deepEqual(clusterReferences(clusterSpec), [
    {
      kind: "ElastiCacheSnapshot",
      name: "app-backup",
      awsName: "app-backup",
      field: "spec.restoreFromSnapshot",
    },
  ]);
  assert.deepEqual(clusterReferences(clusterSpec, { cacheClusterARN: "arn:cc" }), []);
  const parsed = elastiCacheClusterSpec.parse(clusterSpec);
  const owner = { namespace: "ns", name: "restored", uid: "u" };
  const request = requestFor({ type: "create", params: createParams(parsed, {}, owner) });
  assert.equal(request?.operation, "CreateCacheCluster");
  assert.equal((request?.command.input as { SnapshotName?: string } | undefined)?.SnapshotName, "app-backup");
  const group = requestFor({
    type: "create",
    params: createParams(
      elastiCacheClusterSpec.parse({ ...clusterSpec, replicasPerNodeGroup: 1 }),
      {},
      owner,
    ),
  });
  assert.equal(group?.operation, "CreateReplicationGroup");
  assert.equal((group?.command.input as { SnapshotName?: string } | undefined)?.SnapshotName, "app-backup");
});
