// ElastiCacheCluster: spec and status, the single source of truth for the CRD,
// the TypeScript types and runtime validation.
import { z } from "zod";
import { autoScalingSpec, autoScalingStatus } from "./auto-scaling.ts";
import { celRules } from "./cel-rule.ts";
import { conditionSchema, endpointSchema, providerRefSchema, secretKeyRef, tagsSchema } from "./shared.ts";
import { CEL_IS_REPLICATION_GROUP } from "./topology.ts";

/** CEL: the boolean field is present and true. */
const on = (field: string) => `(has(self.${field}) && self.${field})`;
/** CEL guards use has() so a missing required field gives "Required value", not a rule error. */
const IS_MEMCACHED = "(has(self.engine) && self.engine == 'memcached')";
const memcachedForbids = (field: string, present: string, message: string) => ({
  rule: `!${IS_MEMCACHED} || !${present}`,
  message,
  fieldPath: `.${field}`,
});

// Window syntax as AWS takes it; the duration rules only run on well-formed values.
const SNAPSHOT_WINDOW = "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$";
const MAINTENANCE_WINDOW =
  "^(sun|mon|tue|wed|thu|fri|sat):([01][0-9]|2[0-3]):[0-5][0-9]-(sun|mon|tue|wed|thu|fri|sat):([01][0-9]|2[0-3]):[0-5][0-9]$";
const minutes = (hh: number, mm: number) =>
  `(int(self.substring(${hh}, ${hh + 2})) * 60 + int(self.substring(${mm}, ${mm + 2})))`;
const DAYS = "{'sun': 0, 'mon': 1, 'tue': 2, 'wed': 3, 'thu': 4, 'fri': 5, 'sat': 6}";
const weekMinutes = (day: number) =>
  `(${DAYS}[self.substring(${day}, ${day + 3})] * 1440 + ${minutes(day + 4, day + 7)})`;

const nodeTypeSchema = z
  .string()
  .max(64)
  .meta(
    celRules({
      rule: "self.matches('^cache\\\\.[a-z0-9-]+\\\\.[a-z0-9]+$')",
      message: "node type must be an ElastiCache node type such as cache.t3.micro or cache.r6g.large",
    }),
  );

const clusterID = z
  .string()
  .max(128)
  .describe(
    "Unique cache identifier in the region (2-63 characters: letters, digits, hyphens; starts with a letter; no leading, trailing or double hyphen). Immutable.",
  )
  .meta(
    celRules(
      {
        rule: "size(self) >= 2 && size(self) <= 63",
        message: "clusterID must be 2 to 63 characters long",
      },
      {
        rule: "self.matches('^[A-Za-z0-9-]*$')",
        message: "clusterID may contain only letters, digits and hyphens",
      },
      {
        rule: "!self.startsWith('-') && !self.endsWith('-')",
        message: "clusterID must not start or end with a hyphen",
      },
      { rule: "!self.contains('--')", message: "clusterID must not contain two consecutive hyphens" },
      {
        rule: "self.matches('^[A-Za-z]')",
        message: "clusterID must start with a letter (AWS requirement)",
      },
      {
        rule: "self == oldSelf",
        message:
          "clusterID cannot be changed after creation: create a new ElastiCacheCluster with the new clusterID (and delete this one)",
      },
    ),
  );

export const elastiCacheClusterSpec = z
  .object({
    providerRef: providerRefSchema,
    clusterID,
    engine: z
      .enum(["redis", "valkey", "memcached"])
      .describe("Cache engine. Immutable.")
      .meta(
        celRules({
          rule: "self == oldSelf",
          message:
            "engine cannot be changed after creation: create a new ElastiCacheCluster for the other engine",
        }),
      ),
    engineVersion: z
      .string()
      .min(1)
      .max(32)
      .describe('Engine version, e.g. "7.0" (Redis), "7.2" (Valkey), "1.6.22" (Memcached). Upgrades only.')
      .meta(
        celRules({
          rule: "self.matches('^[0-9]+(\\\\.[0-9]+){0,2}$')",
          message: 'engineVersion must look like "7.0" or "1.6.22"',
        }),
      ),
    nodeType: nodeTypeSchema.optional().describe("Node type, e.g. cache.t3.micro."),
    cacheNodeType: nodeTypeSchema
      .optional()
      .describe(
        "Alias of nodeType (used by the documentation's resize commands); when set it takes precedence.",
      ),
    numCacheNodes: z
      .int()
      .optional()
      .describe("Number of nodes (1-300). More than 1 only for memcached.")
      .meta(
        celRules({ rule: "self >= 1 && self <= 300", message: "numCacheNodes must be between 1 and 300" }),
      ),
    replicationGroupDescription: z
      .string()
      .max(1024)
      .optional()
      .describe("Description of the replication group (Redis/Valkey)."),
    numNodeGroups: z
      .int()
      .optional()
      .describe("Number of shards (1-500). Setting it enables cluster mode.")
      .meta(
        celRules({ rule: "self >= 1 && self <= 500", message: "numNodeGroups must be between 1 and 500" }),
      ),
    replicasPerNodeGroup: z
      .int()
      .optional()
      .describe("Replicas per shard (0-5).")
      .meta(
        celRules({ rule: "self >= 0 && self <= 5", message: "replicasPerNodeGroup must be between 0 and 5" }),
      ),
    automaticFailoverEnabled: z
      .boolean()
      .optional()
      .describe("Promote a replica automatically when the primary fails."),
    multiAZEnabled: z
      .boolean()
      .optional()
      .describe("Spread nodes over availability zones (needs automatic failover)."),
    subnetGroupName: z.string().max(255).optional().describe("Existing cache subnet group."),
    securityGroupIds: z
      .array(z.string().max(64))
      .max(16)
      .optional()
      .describe("VPC security group IDs.")
      .meta(
        celRules({
          rule: "self.all(id, id.startsWith('sg-'))",
          message: "securityGroupIds entries must be security group IDs starting with 'sg-'",
        }),
      ),
    parameterGroupName: z.string().max(255).optional().describe("Cache parameter group name."),
    transitEncryptionEnabled: z.boolean().optional().describe("TLS in transit."),
    userGroupIDs: z
      .array(z.string().min(1).max(40))
      .max(1)
      .optional()
      .describe(
        "ElastiCache user groups (RBAC) of the replication group: AWS takes one. An ElastiCacheUserGroup of this namespace with that userGroupID is waited for. Needs transitEncryptionEnabled; excludes authTokenRef. An empty list detaches the user group; leaving the field out leaves AWS as it is.",
      ),
    atRestEncryptionEnabled: z.boolean().optional().describe("Encryption at rest (Redis/Valkey)."),
    kmsKeyId: z.string().max(2048).optional().describe("KMS key for encryption at rest."),
    authTokenRef: secretKeyRef
      .extend({
        namespace: z
          .string()
          .max(63)
          .optional()
          .describe(
            "Namespace of the Secret; defaults to this object's namespace. Another namespace needs the operator flag --allow-cross-namespace-secrets and the Secret's consent (annotation aws-infra-operator.runner.codes/shared-with-namespaces listing this namespace).",
          ),
      })
      .optional()
      .describe("Secret key holding the Redis AUTH token. Changing the Secret's value rotates the token."),
    authToken: z.string().optional().describe("Not supported: keep tokens out of specs; use authTokenRef."),
    snapshotRetentionLimit: z
      .int()
      .optional()
      .describe("Days to keep automatic snapshots (0-35; 0 disables them). Redis/Valkey only.")
      .meta(
        celRules({
          rule: "self >= 0 && self <= 35",
          message: "snapshotRetentionLimit must be between 0 and 35 days",
        }),
      ),
    snapshotWindow: z
      .string()
      .max(11)
      .optional()
      .describe('Daily snapshot window in UTC, "HH:MM-HH:MM", at least 60 minutes.')
      .meta(
        celRules(
          {
            rule: `self.matches('${SNAPSHOT_WINDOW}')`,
            message: 'snapshotWindow must be "HH:MM-HH:MM" in UTC, e.g. "03:00-05:00"',
          },
          {
            rule: `!self.matches('${SNAPSHOT_WINDOW}') || (${minutes(6, 9)} - ${minutes(0, 3)} + 1440) % 1440 >= 60`,
            message: 'snapshotWindow must be at least 60 minutes long, e.g. "03:00-04:00"',
          },
        ),
      ),
    restoreFromSnapshot: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .meta(
        celRules({
          rule: "self == oldSelf",
          message:
            "restoreFromSnapshot cannot be changed after creation (a snapshot seeds a cache only when it is created): create a new ElastiCacheCluster to restore another snapshot",
        }),
      )
      .describe(
        "Name of a snapshot (AWS's SnapshotName) the cache is created from, with its keys. Used at creation only: removing it later does nothing, changing it is refused. An ElastiCacheSnapshot of this namespace with that snapshotName is waited for until Ready. Redis/Valkey.",
      ),
    preferredMaintenanceWindow: z
      .string()
      .max(19)
      .optional()
      .describe('Weekly maintenance window in UTC, "ddd:HH:MM-ddd:HH:MM", at least 60 minutes.')
      .meta(
        celRules(
          {
            rule: `self.matches('${MAINTENANCE_WINDOW}')`,
            message:
              'preferredMaintenanceWindow must be "ddd:HH:MM-ddd:HH:MM" in UTC, e.g. "sun:03:00-sun:04:00"',
          },
          {
            rule: `!self.matches('${MAINTENANCE_WINDOW}') || (${weekMinutes(10)} - ${weekMinutes(0)} + 10080) % 10080 >= 60`,
            message:
              'preferredMaintenanceWindow must be at least 60 minutes long, e.g. "sun:03:00-sun:04:00"',
          },
        ),
      ),
    enableAutoMinorVersionUpgrade: z
      .boolean()
      .optional()
      .describe("Apply minor engine upgrades automatically."),
    tags: tagsSchema.optional().describe("AWS tags; merged over the provider's defaultTags."),
    deletionPolicy: z
      .enum(["Delete", "Retain", "Orphan", "Snapshot"])
      .default("Delete")
      .describe(
        "On deletion of this object: Delete the cache, Retain it (left running, marked as retained by this object's uid, re-adopted by a new object of the same namespace/name), Orphan it (untagged, unmanaged; never adopted again without the adopt annotation), or take a final Snapshot then delete (Redis/Valkey).",
      ),
    finalSnapshotName: z
      .string()
      .max(255)
      .optional()
      .describe("Name of the final snapshot with deletionPolicy Snapshot (default <clusterID>-final)."),
    autoScaling: autoScalingSpec.optional(),
    connectionSecret: z
      .object({
        name: z
          .string()
          .min(1)
          .max(253)
          .optional()
          .describe("Secret name (default <metadata.name>-connection)."),
      })
      .optional()
      .describe("Where the operator writes host, port, endpoints, TLS flag, token and URL."),
  })
  .describe("Desired state of the cache.")
  .meta(
    celRules(
      {
        rule: "!has(self.authToken)",
        message:
          "spec.authToken is not supported (a token in a spec leaks): store it in a Secret and set spec.authTokenRef {name, key}; changing the Secret rotates the token",
        fieldPath: ".authToken",
      },
      {
        rule: "has(self.nodeType) || has(self.cacheNodeType)",
        message: "nodeType is required, e.g. nodeType: cache.t3.micro",
        fieldPath: ".nodeType",
      },
      {
        rule: "oldSelf.hasValue() || !has(self.nodeType) || !has(self.cacheNodeType) || self.nodeType == self.cacheNodeType",
        message: "set either nodeType or cacheNodeType (its alias), not both with different values",
        fieldPath: ".cacheNodeType",
        optionalOldSelf: true,
      },
      {
        rule: "!has(self.nodeType) || !has(self.cacheNodeType) || self.nodeType == self.cacheNodeType || (has(oldSelf.nodeType) && oldSelf.nodeType == self.nodeType)",
        message:
          "cacheNodeType is set and takes precedence over nodeType: change cacheNodeType to resize (or remove it and set nodeType)",
        fieldPath: ".nodeType",
      },
      {
        rule: `!has(self.numCacheNodes) || self.numCacheNodes <= 1 || ${IS_MEMCACHED}`,
        message:
          "numCacheNodes greater than 1 is for memcached only: for Redis/Valkey replicas use replicasPerNodeGroup (and numNodeGroups for shards)",
        fieldPath: ".numCacheNodes",
      },
      memcachedForbids(
        "snapshotRetentionLimit",
        "(has(self.snapshotRetentionLimit) && self.snapshotRetentionLimit > 0)",
        "memcached has no snapshots: remove snapshotRetentionLimit (or set it to 0)",
      ),
      memcachedForbids(
        "snapshotWindow",
        "has(self.snapshotWindow)",
        "memcached has no snapshots: remove snapshotWindow",
      ),
      memcachedForbids(
        "restoreFromSnapshot",
        "has(self.restoreFromSnapshot)",
        "memcached has no snapshots to restore: remove restoreFromSnapshot",
      ),
      memcachedForbids(
        "atRestEncryptionEnabled",
        on("atRestEncryptionEnabled"),
        "memcached does not support encryption at rest: remove atRestEncryptionEnabled or use engine redis/valkey",
      ),
      memcachedForbids(
        "kmsKeyId",
        "has(self.kmsKeyId)",
        "memcached does not support encryption at rest: remove kmsKeyId",
      ),
      memcachedForbids(
        "authTokenRef",
        "has(self.authTokenRef)",
        "memcached does not support auth tokens: remove authTokenRef or use engine redis/valkey",
      ),
      memcachedForbids(
        "replicationGroupDescription",
        "has(self.replicationGroupDescription)",
        "memcached has no replication groups: remove replicationGroupDescription (scale with numCacheNodes)",
      ),
      memcachedForbids(
        "numNodeGroups",
        "has(self.numNodeGroups)",
        "memcached has no shards: remove numNodeGroups (scale with numCacheNodes)",
      ),
      memcachedForbids(
        "replicasPerNodeGroup",
        "has(self.replicasPerNodeGroup)",
        "memcached has no replicas: remove replicasPerNodeGroup (scale with numCacheNodes)",
      ),
      memcachedForbids(
        "autoScaling",
        "has(self.autoScaling)",
        "memcached has no shards or replicas to auto scale: remove autoScaling (scale with numCacheNodes)",
      ),
      {
        rule: `${IS_MEMCACHED} || !has(self.autoScaling) || has(self.numNodeGroups)`,
        message:
          "autoScaling needs cluster mode (AWS scales shards and replicas of cluster-mode groups only): set numNodeGroups, or remove autoScaling",
        fieldPath: ".autoScaling",
      },
      memcachedForbids(
        "automaticFailoverEnabled",
        on("automaticFailoverEnabled"),
        "memcached has no failover: remove automaticFailoverEnabled or use engine redis/valkey",
      ),
      memcachedForbids(
        "multiAZEnabled",
        on("multiAZEnabled"),
        "memcached does not support Multi-AZ failover: remove multiAZEnabled or set it to false",
      ),
      memcachedForbids(
        "deletionPolicy",
        "(has(self.deletionPolicy) && self.deletionPolicy == 'Snapshot')",
        "memcached has no snapshots: use deletionPolicy Delete, Retain or Orphan",
      ),
      {
        rule: `!${on("multiAZEnabled")} || ${on("automaticFailoverEnabled")}`,
        message: "multiAZEnabled requires automaticFailoverEnabled: true",
        fieldPath: ".multiAZEnabled",
      },
      {
        rule: `!${on("automaticFailoverEnabled")} || (has(self.replicasPerNodeGroup) && self.replicasPerNodeGroup >= 1) || (has(self.numNodeGroups) && self.numNodeGroups > 1)`,
        message:
          "automaticFailoverEnabled needs a replica to promote: set replicasPerNodeGroup to 1 or more (or numNodeGroups above 1)",
        fieldPath: ".automaticFailoverEnabled",
      },
      {
        rule: "!has(self.numNodeGroups) || !has(self.automaticFailoverEnabled) || self.automaticFailoverEnabled",
        message:
          "cluster mode (numNodeGroups) requires automatic failover on AWS: set automaticFailoverEnabled: true or remove it",
        fieldPath: ".automaticFailoverEnabled",
      },
      {
        rule: `!has(self.authTokenRef) || ${on("transitEncryptionEnabled")}`,
        message:
          "authTokenRef requires transitEncryptionEnabled: true (AWS accepts auth tokens only over TLS)",
        fieldPath: ".authTokenRef",
      },
      memcachedForbids(
        "userGroupIDs",
        "(has(self.userGroupIDs) && size(self.userGroupIDs) > 0)",
        "memcached has no users: remove userGroupIDs or use engine redis/valkey",
      ),
      {
        rule: `!has(self.userGroupIDs) || size(self.userGroupIDs) == 0 || ${IS_MEMCACHED} || ${on("transitEncryptionEnabled")}`,
        message:
          "userGroupIDs requires transitEncryptionEnabled: true (AWS admits user groups only over TLS)",
        fieldPath: ".userGroupIDs",
      },
      {
        rule: "!has(self.userGroupIDs) || size(self.userGroupIDs) == 0 || !has(self.authTokenRef)",
        message:
          "userGroupIDs and authTokenRef exclude each other (a cache uses either an AUTH token or user groups): remove one",
        fieldPath: ".userGroupIDs",
      },
      {
        rule: `!has(self.kmsKeyId) || ${on("atRestEncryptionEnabled")}`,
        message: "kmsKeyId requires atRestEncryptionEnabled: true",
        fieldPath: ".kmsKeyId",
      },
      {
        rule: "!has(self.finalSnapshotName) || (has(self.deletionPolicy) && self.deletionPolicy == 'Snapshot')",
        message: "finalSnapshotName is used only with deletionPolicy: Snapshot",
        fieldPath: ".finalSnapshotName",
      },
      {
        rule: `!has(self.clusterID) || !(${CEL_IS_REPLICATION_GROUP}) || size(self.clusterID) <= 40`,
        message:
          "clusterID must be at most 40 characters for a replication group (replication, failover, encryption or auth settings make one): shorten it",
        fieldPath: ".clusterID",
      },
      {
        rule: `!has(self.clusterID) || (${CEL_IS_REPLICATION_GROUP}) || size(self.clusterID) <= 50`,
        message: "clusterID must be at most 50 characters for a cache cluster (AWS limit): shorten it",
        fieldPath: ".clusterID",
      },
    ),
  );

export const elastiCacheClusterStatus = z
  .object({
    ready: z
      .boolean()
      .optional()
      .describe(
        "True when the cache is available (usable); the Synced condition says whether it matches the spec.",
      ),
    clusterStatus: z
      .string()
      .optional()
      .describe("Status reported by AWS: creating, available, modifying, snapshotting, deleting, failed..."),
    cacheClusterARN: z.string().optional().describe("ARN of the cache cluster or replication group."),
    configurationEndpoint: endpointSchema
      .optional()
      .describe("Configuration endpoint (cluster mode, memcached)."),
    primaryEndpoint: endpointSchema.optional().describe("Primary endpoint (writes)."),
    readerEndpoint: endpointSchema.optional().describe("Reader endpoint (replicas)."),
    nodeEndpoints: z.array(endpointSchema.extend({ nodeID: z.string().optional() })).optional(),
    endpoint: z.string().optional().describe("The address:port clients connect to (for printing)."),
    cacheNodeType: z.string().optional(),
    engineVersion: z.string().optional().describe("Engine version running in AWS."),
    memberClusters: z.array(z.string()).optional().describe("Member cache clusters of a replication group."),
    clusterCreateTime: z.string().optional(),
    lastSyncTime: z.string().optional().describe("Last time AWS state was read."),
    conditions: z.array(conditionSchema).optional(),
    observedGeneration: z.int().min(0).optional(),
    topology: z
      .enum(["CacheCluster", "ReplicationGroup"])
      .optional()
      .describe("AWS resource kind chosen at creation."),
    clusterMode: z
      .boolean()
      .optional()
      .describe("Whether the replication group was created in cluster mode."),
    appliedTagKeys: z
      .array(z.string())
      .optional()
      .describe("Tag keys the operator applied (only those are removed)."),
    appliedTagsHash: z
      .string()
      .optional()
      .describe("Hash of the tag set last applied (skips tag reads when unchanged)."),
    authTokenHash: z
      .string()
      .optional()
      .describe(
        "Keyed fingerprint (HMAC-SHA-256, key held by the operator) of the applied auth token: never the token, and no offline guessing.",
      ),
    pendingAuthTokenHash: z
      .string()
      .optional()
      .describe("Keyed fingerprint of a token being rotated in (both old and new accepted until SET)."),
    authTokenRotatedAt: z.string().optional().describe("When the pending token was added (ROTATE)."),
    lastChange: z
      .object({
        key: z.string().describe("Hash of the change (action and values)."),
        at: z.string().describe("When it was last sent."),
        attempts: z.int().min(1).describe("How often it was sent without AWS reflecting it."),
      })
      .optional()
      .describe("The last change sent to AWS, to notice one that AWS accepts but never applies."),
    connectionSecretName: z.string().optional(),
    autoScaling: autoScalingStatus.optional(),
    estimatedCost: z
      .object({
        region: z.string(),
        nodeType: z.string(),
        nodes: z.int().min(0).describe("Nodes AWS bills: every primary and replica of every shard."),
        nodeHourlyUSD: z.number().describe("On-demand price of one node-hour."),
        hourlyUSD: z.number(),
        monthlyUSD: z.number().describe("hourlyUSD × 730 hours."),
        priceDate: z.string().describe("Date of the price table's figures for the region."),
      })
      .optional()
      .describe(
        "On-demand cost estimate of the nodes AWS reports (nodes × the node type's price in the region, from the price table in src/cost/price-table.ts); absent when the table has no price for them.",
      ),
    tagsCheckedAt: z
      .string()
      .optional()
      .describe(
        "When the tags were last read from AWS (drift check): a restarted operator waits --tag-check-period from here instead of re-reading every cache's tags.",
      ),
    forceSyncHandled: z.string().optional().describe("The force-sync annotation value last acted on."),
  })
  .describe("Observed state, taken from AWS.");

export type ElastiCacheClusterSpec = z.infer<typeof elastiCacheClusterSpec>;
export type ElastiCacheClusterSpecInput = z.input<typeof elastiCacheClusterSpec>;
export type ElastiCacheClusterStatus = z.infer<typeof elastiCacheClusterStatus>;
