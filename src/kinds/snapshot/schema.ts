// ElastiCacheSnapshot: a manual snapshot (backup) of a Redis/Valkey cache, which a new
// ElastiCacheCluster restores with spec.restoreFromSnapshot. A snapshot is immutable.
import { z } from "zod";
import { celRules } from "../../api/cel-rule.ts";
import type { KindDefinition } from "../../api/kinds.ts";
import { immutableName, managedSpecShape, managedStatusShape } from "../../api/managed-kind.ts";

const KIND = "ElastiCacheSnapshot";

const unchanged = (field: string) =>
  celRules({
    rule: "self == oldSelf",
    message: `${field} cannot be changed after creation (a snapshot is taken once): create a new ${KIND} (and delete this one)`,
  });

export const snapshotSpec = z
  .object({
    ...managedSpecShape("snapshot"),
    snapshotName: immutableName("snapshotName", KIND, 255, {
      rule: "self.matches('^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$')",
      message:
        "snapshotName must be letters, digits and hyphens, begin with a letter, and contain neither two consecutive hyphens nor a trailing hyphen (AWS rule)",
    }).describe(
      "Name of the snapshot in AWS (what ElastiCacheCluster.spec.restoreFromSnapshot names). Immutable.",
    ),
    clusterID: z
      .string()
      .min(1)
      .max(63)
      .optional()
      .meta(
        celRules(
          {
            rule: "self.matches('^[A-Za-z][A-Za-z0-9-]*$')",
            message:
              "clusterID must be the cache's ID in AWS: letters, digits and hyphens, beginning with a letter",
          },
          {
            rule: "self == oldSelf",
            message: `clusterID cannot be changed after creation (a snapshot is taken once): create a new ${KIND} (and delete this one)`,
          },
        ),
      )
      .describe(
        "The cache to snapshot, as AWS knows it: a replication group ID or a cache cluster ID (ElastiCacheCluster.spec.clusterID). An ElastiCacheCluster of this namespace with that clusterID is waited for until Ready. Immutable.",
      ),
    clusterRef: z
      .object({
        name: z.string().min(1).max(253).describe("Name of an ElastiCacheCluster of this namespace."),
      })
      .optional()
      .meta(unchanged("clusterRef"))
      .describe(
        "The cache to snapshot, as an ElastiCacheCluster object of this namespace: waited for until Ready, and its clusterID used. Immutable.",
      ),
  })
  .describe("Desired state of the snapshot.")
  .meta(
    celRules(
      {
        rule: "has(self.clusterID) != has(self.clusterRef)",
        message:
          "give exactly one of clusterID (the cache's ID in AWS) or clusterRef (an ElastiCacheCluster of this namespace)",
        fieldPath: ".clusterID",
      },
      {
        rule: "has(self.clusterID) == has(oldSelf.clusterID) && has(self.clusterRef) == has(oldSelf.clusterRef)",
        message: `the snapshot's source (clusterID or clusterRef) cannot be changed after creation: create a new ${KIND} (and delete this one)`,
        fieldPath: ".clusterID",
      },
    ),
  );

const nodeSnapshot = z.object({
  cacheClusterID: z.string().optional(),
  nodeGroupID: z.string().optional(),
  cacheSize: z.string().optional(),
  snapshotCreateTime: z.string().optional(),
});

export const snapshotStatus = z
  .object({
    ...managedStatusShape,
    snapshotStatus: z
      .string()
      .optional()
      .describe("AWS's status: creating, available, restoring, copying, exporting, deleting, failed."),
    replicationGroupID: z.string().optional().describe("The replication group snapshotted (AWS)."),
    cacheClusterID: z
      .string()
      .optional()
      .describe("The cache cluster snapshotted (AWS), for a single cache."),
    engine: z.string().optional(),
    engineVersion: z.string().optional(),
    nodeType: z.string().optional().describe("The source's node type (CacheNodeType)."),
    numNodeGroups: z.int().optional().describe("Shards in the snapshot."),
    snapshotSource: z.string().optional().describe("manual or automated."),
    createTime: z.string().optional().describe("When AWS took the snapshot (its first node snapshot)."),
    nodeSnapshots: z
      .array(nodeSnapshot)
      .optional()
      .describe("One per shard: its size as AWS reports it (the progress of a snapshot being made)."),
  })
  .describe("What AWS reports about the snapshot.");

export type SnapshotSpec = z.infer<typeof snapshotSpec>;

export const snapshotDefinition: KindDefinition = {
  kind: KIND,
  plural: "elasticachesnapshots",
  singular: "elasticachesnapshot",
  shortNames: ["ecsnap"],
  description:
    "An AWS ElastiCache snapshot (manual backup of a Redis/Valkey cache) managed by infra-operator.",
  spec: snapshotSpec,
  status: snapshotStatus,
  printerColumns: [
    { name: "Name", type: "string", jsonPath: ".spec.snapshotName" },
    { name: "Status", type: "string", jsonPath: ".status.snapshotStatus" },
    { name: "Engine", type: "string", jsonPath: ".status.engine" },
    { name: "Ready", type: "boolean", jsonPath: ".status.ready" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
};
