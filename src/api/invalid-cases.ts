// Invalid manifests, each with the field and message it must be refused with. The same table is
// checked offline (`validate`) and against a real API server (test/e2e), proving the CRD's rules.
import { parameterGroupInvalidRows } from "../kinds/parameter-group/invalid-cases.ts";
import { serverlessCacheInvalidRows } from "../kinds/serverless-cache/invalid-cases.ts";
import { snapshotInvalidRows } from "../kinds/snapshot/invalid-cases.ts";
import { userInvalidRows } from "../kinds/user/invalid-cases.ts";
import { userGroupInvalidRows } from "../kinds/user-group/invalid-cases.ts";
import { type InvalidRow, manifestOf } from "./invalid-row.ts";

export interface InvalidCase {
  name: string;
  manifest: Record<string, unknown>;
  /** Path the error is reported on, e.g. "spec.authTokenRef". */
  field: string;
  /** Text that must appear in the error. */
  message: string;
}

type Spec = Record<string, unknown>;

const cluster = (name: string, spec: Spec) => manifestOf("ElastiCacheCluster", name, spec);
const provider = (name: string, spec: Spec) => manifestOf("AWSProvider", name, spec);

const redis: Spec = {
  providerRef: { name: "localstack" },
  clusterID: "bad-redis",
  engine: "redis",
  engineVersion: "7.0",
  nodeType: "cache.t3.micro",
  numCacheNodes: 1,
};
const memcached: Spec = {
  ...redis,
  clusterID: "bad-memcached",
  engine: "memcached",
  engineVersion: "1.6.22",
};
const group: Spec = {
  providerRef: { name: "localstack" },
  clusterID: "bad-group",
  engine: "redis",
  engineVersion: "7.0",
  nodeType: "cache.t3.small",
  replicationGroupDescription: "invalid test group",
  numNodeGroups: 2,
  replicasPerNodeGroup: 1,
  automaticFailoverEnabled: true,
};
const staticKeys: Spec = {
  region: "us-east-1",
  accessKeyIDRef: { name: "aws-credentials", key: "access-key-id" },
  secretAccessKeyRef: { name: "aws-credentials", key: "secret-access-key" },
};

const without = (spec: Spec, field: string): Spec => {
  const copy = { ...spec };
  delete copy[field];
  return copy;
};
const manyTags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key-${i}`, "v"]));

// [case name, manifest, field, message]
const rows: InvalidRow[] = [
  // clusterID
  [
    "clusterID too short",
    cluster("c1", { ...redis, clusterID: "a" }),
    "spec.clusterID",
    "clusterID must be 2 to 63 characters long",
  ],
  [
    "clusterID too long",
    cluster("c2", { ...memcached, clusterID: `a${"b".repeat(63)}` }),
    "spec.clusterID",
    "clusterID must be 2 to 63 characters long",
  ],
  [
    "clusterID underscore",
    cluster("c3", { ...redis, clusterID: "my_cache" }),
    "spec.clusterID",
    "clusterID may contain only letters, digits and hyphens",
  ],
  [
    "clusterID dot",
    cluster("c4", { ...redis, clusterID: "my.cache" }),
    "spec.clusterID",
    "clusterID may contain only letters, digits and hyphens",
  ],
  [
    "clusterID leading hyphen",
    cluster("c5", { ...redis, clusterID: "-cache" }),
    "spec.clusterID",
    "clusterID must not start or end with a hyphen",
  ],
  [
    "clusterID trailing hyphen",
    cluster("c6", { ...redis, clusterID: "cache-" }),
    "spec.clusterID",
    "clusterID must not start or end with a hyphen",
  ],
  [
    "clusterID double hyphen",
    cluster("c7", { ...redis, clusterID: "my--cache" }),
    "spec.clusterID",
    "clusterID must not contain two consecutive hyphens",
  ],
  [
    "clusterID starts with digit",
    cluster("c8", { ...redis, clusterID: "1cache" }),
    "spec.clusterID",
    "clusterID must start with a letter",
  ],
  [
    "replication group ID over 40",
    cluster("c9", { ...group, clusterID: `g${"x".repeat(40)}` }),
    "spec.clusterID",
    "clusterID must be at most 40 characters for a replication group",
  ],
  [
    "cache cluster ID over 50",
    cluster("c10", { ...redis, clusterID: `c${"x".repeat(50)}` }),
    "spec.clusterID",
    "clusterID must be at most 50 characters for a cache cluster",
  ],
  ["clusterID missing", cluster("c11", without(redis, "clusterID")), "spec.clusterID", "Required value"],
  // engine and version
  [
    "unknown engine",
    cluster("e1", { ...redis, engine: "mongodb" }),
    "spec.engine",
    'Unsupported value: "mongodb"',
  ],
  ["engine missing", cluster("e2", without(redis, "engine")), "spec.engine", "Required value"],
  [
    "engineVersion not a version",
    cluster("e3", { ...redis, engineVersion: "latest" }),
    "spec.engineVersion",
    'engineVersion must look like "7.0" or "1.6.22"',
  ],
  [
    "engineVersion number",
    cluster("e4", { ...redis, engineVersion: 7 }),
    "spec.engineVersion",
    "must be of type string",
  ],
  // node type
  ["nodeType missing", cluster("n1", without(redis, "nodeType")), "spec.nodeType", "nodeType is required"],
  [
    "nodeType without cache prefix",
    cluster("n2", { ...redis, nodeType: "t3.micro" }),
    "spec.nodeType",
    "node type must be an ElastiCache node type",
  ],
  [
    "cacheNodeType malformed",
    cluster("n3", { ...without(redis, "nodeType"), cacheNodeType: "large" }),
    "spec.cacheNodeType",
    "node type must be an ElastiCache node type",
  ],
  [
    "nodeType and cacheNodeType differ",
    cluster("n4", { ...redis, cacheNodeType: "cache.t3.small" }),
    "spec.cacheNodeType",
    "set either nodeType or cacheNodeType (its alias), not both with different values",
  ],
  // sizes
  [
    "numCacheNodes zero",
    cluster("s1", { ...redis, numCacheNodes: 0 }),
    "spec.numCacheNodes",
    "numCacheNodes must be between 1 and 300",
  ],
  [
    "numCacheNodes over 300",
    cluster("s2", { ...memcached, numCacheNodes: 301 }),
    "spec.numCacheNodes",
    "numCacheNodes must be between 1 and 300",
  ],
  [
    "numCacheNodes as string",
    cluster("s3", { ...memcached, numCacheNodes: "2" }),
    "spec.numCacheNodes",
    "must be of type integer",
  ],
  [
    "redis with several cache nodes",
    cluster("s4", { ...redis, numCacheNodes: 2 }),
    "spec.numCacheNodes",
    "numCacheNodes greater than 1 is for memcached only",
  ],
  [
    "numNodeGroups zero",
    cluster("s5", { ...group, numNodeGroups: 0 }),
    "spec.numNodeGroups",
    "numNodeGroups must be between 1 and 500",
  ],
  [
    "numNodeGroups over 500",
    cluster("s6", { ...group, numNodeGroups: 501 }),
    "spec.numNodeGroups",
    "numNodeGroups must be between 1 and 500",
  ],
  [
    "replicasPerNodeGroup over 5",
    cluster("s7", { ...group, replicasPerNodeGroup: 6 }),
    "spec.replicasPerNodeGroup",
    "replicasPerNodeGroup must be between 0 and 5",
  ],
  [
    "replicasPerNodeGroup negative",
    cluster("s8", { ...group, replicasPerNodeGroup: -1 }),
    "spec.replicasPerNodeGroup",
    "replicasPerNodeGroup must be between 0 and 5",
  ],
  [
    "snapshotRetentionLimit over 35",
    cluster("s9", { ...redis, snapshotRetentionLimit: 36 }),
    "spec.snapshotRetentionLimit",
    "snapshotRetentionLimit must be between 0 and 35 days",
  ],
  [
    "snapshotRetentionLimit negative",
    cluster("s10", { ...redis, snapshotRetentionLimit: -1 }),
    "spec.snapshotRetentionLimit",
    "snapshotRetentionLimit must be between 0 and 35 days",
  ],
  // windows
  [
    "snapshotWindow without leading zero",
    cluster("w1", { ...redis, snapshotWindow: "3:00-5:00" }),
    "spec.snapshotWindow",
    'snapshotWindow must be "HH:MM-HH:MM" in UTC',
  ],
  [
    "snapshotWindow hour 25",
    cluster("w2", { ...redis, snapshotWindow: "25:00-26:00" }),
    "spec.snapshotWindow",
    'snapshotWindow must be "HH:MM-HH:MM" in UTC',
  ],
  [
    "snapshotWindow 30 minutes",
    cluster("w3", { ...redis, snapshotWindow: "03:00-03:30" }),
    "spec.snapshotWindow",
    "snapshotWindow must be at least 60 minutes long",
  ],
  [
    "snapshotWindow over midnight 45 minutes",
    cluster("w4", { ...redis, snapshotWindow: "23:30-00:15" }),
    "spec.snapshotWindow",
    "snapshotWindow must be at least 60 minutes long",
  ],
  [
    "maintenance window in words",
    cluster("w5", { ...redis, preferredMaintenanceWindow: "sunday 03:00" }),
    "spec.preferredMaintenanceWindow",
    'preferredMaintenanceWindow must be "ddd:HH:MM-ddd:HH:MM" in UTC',
  ],
  [
    "maintenance window capitalised day",
    cluster("w6", { ...redis, preferredMaintenanceWindow: "Sun:03:00-Sun:04:00" }),
    "spec.preferredMaintenanceWindow",
    'preferredMaintenanceWindow must be "ddd:HH:MM-ddd:HH:MM" in UTC',
  ],
  [
    "maintenance window 30 minutes",
    cluster("w7", { ...redis, preferredMaintenanceWindow: "sun:03:00-sun:03:30" }),
    "spec.preferredMaintenanceWindow",
    "preferredMaintenanceWindow must be at least 60 minutes long",
  ],
  [
    "maintenance window over week end 20 minutes",
    cluster("w8", { ...redis, preferredMaintenanceWindow: "sat:23:50-sun:00:10" }),
    "spec.preferredMaintenanceWindow",
    "preferredMaintenanceWindow must be at least 60 minutes long",
  ],
  // memcached limits
  [
    "memcached with snapshots",
    cluster("m1", { ...memcached, snapshotRetentionLimit: 7 }),
    "spec.snapshotRetentionLimit",
    "memcached has no snapshots: remove snapshotRetentionLimit",
  ],
  [
    "memcached with snapshot window",
    cluster("m2", { ...memcached, snapshotWindow: "03:00-05:00" }),
    "spec.snapshotWindow",
    "memcached has no snapshots: remove snapshotWindow",
  ],
  [
    "memcached with at-rest encryption",
    cluster("m3", { ...memcached, atRestEncryptionEnabled: true }),
    "spec.atRestEncryptionEnabled",
    "memcached does not support encryption at rest",
  ],
  [
    "memcached with auth token",
    cluster("m4", {
      ...memcached,
      transitEncryptionEnabled: true,
      authTokenRef: { name: "t", key: "token" },
    }),
    "spec.authTokenRef",
    "memcached does not support auth tokens",
  ],
  [
    "memcached with replication group description",
    cluster("m5", { ...memcached, replicationGroupDescription: "x" }),
    "spec.replicationGroupDescription",
    "memcached has no replication groups",
  ],
  [
    "memcached with shards",
    cluster("m6", { ...memcached, numNodeGroups: 2 }),
    "spec.numNodeGroups",
    "memcached has no shards",
  ],
  [
    "memcached with replicas",
    cluster("m7", { ...memcached, replicasPerNodeGroup: 1 }),
    "spec.replicasPerNodeGroup",
    "memcached has no replicas",
  ],
  [
    "memcached with failover",
    cluster("m8", { ...memcached, automaticFailoverEnabled: true }),
    "spec.automaticFailoverEnabled",
    "memcached has no failover",
  ],
  [
    "memcached with Multi-AZ",
    cluster("m9", { ...memcached, multiAZEnabled: true }),
    "spec.multiAZEnabled",
    "memcached does not support Multi-AZ failover",
  ],
  [
    "memcached with final snapshot",
    cluster("m10", { ...memcached, deletionPolicy: "Snapshot" }),
    "spec.deletionPolicy",
    "memcached has no snapshots: use deletionPolicy Delete, Retain or Orphan",
  ],
  // high availability and security
  [
    "Multi-AZ without failover",
    cluster("h1", { ...group, automaticFailoverEnabled: false, numNodeGroups: 1, multiAZEnabled: true }),
    "spec.multiAZEnabled",
    "multiAZEnabled requires automaticFailoverEnabled: true",
  ],
  [
    "failover without replicas",
    cluster("h2", { ...without(group, "numNodeGroups"), replicasPerNodeGroup: 0 }),
    "spec.automaticFailoverEnabled",
    "automaticFailoverEnabled needs a replica to promote",
  ],
  [
    "failover with one shard and no replica",
    cluster("h3", { ...group, numNodeGroups: 1, replicasPerNodeGroup: 0 }),
    "spec.automaticFailoverEnabled",
    "automaticFailoverEnabled needs a replica to promote",
  ],
  [
    "sharded cluster without failover",
    cluster("h4", { ...group, numNodeGroups: 3, automaticFailoverEnabled: false }),
    "spec.automaticFailoverEnabled",
    "cluster mode (numNodeGroups) requires automatic failover",
  ],
  [
    "auth token without TLS",
    cluster("h5", { ...group, authTokenRef: { name: "redis-auth", key: "token" } }),
    "spec.authTokenRef",
    "authTokenRef requires transitEncryptionEnabled: true",
  ],
  [
    "auth token with TLS off",
    cluster("h6", {
      ...group,
      transitEncryptionEnabled: false,
      authTokenRef: { name: "redis-auth", key: "token" },
    }),
    "spec.authTokenRef",
    "authTokenRef requires transitEncryptionEnabled: true",
  ],
  [
    "KMS key without at-rest encryption",
    cluster("h7", { ...group, kmsKeyId: "alias/cache" }),
    "spec.kmsKeyId",
    "kmsKeyId requires atRestEncryptionEnabled: true",
  ],
  [
    "plaintext authToken",
    cluster("h8", { ...group, transitEncryptionEnabled: true, authToken: "MySecureRedisToken123!" }),
    "spec.authToken",
    "spec.authToken is not supported",
  ],
  [
    "security group not an ID",
    cluster("h9", { ...redis, securityGroupIds: ["default"] }),
    "spec.securityGroupIds",
    "securityGroupIds entries must be security group IDs starting with 'sg-'",
  ],
  // tags
  [
    "tag with aws: prefix",
    cluster("t1", { ...redis, tags: { "aws:createdBy": "me" } }),
    "spec.tags",
    "tag keys must not start with 'aws:'",
  ],
  [
    "tag with AWS: prefix",
    cluster("t2", { ...redis, tags: { "AWS:Owner": "me" } }),
    "spec.tags",
    "tag keys must not start with 'aws:'",
  ],
  [
    "tag key too long",
    cluster("t3", { ...redis, tags: { ["k".repeat(129)]: "v" } }),
    "spec.tags",
    "tag keys must be 1 to 128 characters long",
  ],
  [
    "tag value too long",
    cluster("t4", { ...redis, tags: { owner: "v".repeat(257) } }),
    "spec.tags.owner",
    "Too long: may not be more than 256 bytes",
  ],
  ["too many tags", cluster("t5", { ...redis, tags: manyTags(49) }), "spec.tags", "at most 48 tags"],
  [
    "tag value not a string",
    cluster("t6", { ...redis, tags: { critical: true } }),
    "spec.tags",
    "must be of type string",
  ],
  // deletion and other fields
  [
    "unknown deletionPolicy",
    cluster("d1", { ...redis, deletionPolicy: "Destroy" }),
    "spec.deletionPolicy",
    'Unsupported value: "Destroy"',
  ],
  [
    "finalSnapshotName without Snapshot policy",
    cluster("d2", { ...redis, finalSnapshotName: "last" }),
    "spec.finalSnapshotName",
    "finalSnapshotName is used only with deletionPolicy: Snapshot",
  ],
  ["providerRef missing", cluster("d3", without(redis, "providerRef")), "spec.providerRef", "Required value"],
  [
    "unknown spec field",
    cluster("d4", { ...redis, replicas: 2 }),
    "spec.replicas",
    'unknown field "spec.replicas"',
  ],
  [
    "invalid object name",
    cluster("My_Cache", redis),
    "metadata.name",
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters",
  ],
  // AWSProvider
  [
    "provider region malformed",
    provider("p1", { ...staticKeys, region: "US East" }),
    "spec.region",
    "region must be an AWS region such as us-east-1",
  ],
  ["provider region missing", provider("p2", without(staticKeys, "region")), "spec.region", "Required value"],
  [
    "provider roleARN malformed",
    provider("p3", { region: "us-east-1", roleARN: "infra-operator-role" }),
    "spec.roleARN",
    "roleARN must be an IAM role ARN",
  ],
  [
    "provider access key without secret key",
    provider("p4", without(staticKeys, "secretAccessKeyRef")),
    "spec.secretAccessKeyRef",
    "accessKeyIDRef and secretAccessKeyRef must be set together",
  ],
  [
    "provider session token alone",
    provider("p5", { region: "us-east-1", sessionTokenRef: { name: "aws", key: "token" } }),
    "spec.sessionTokenRef",
    "sessionTokenRef requires accessKeyIDRef and secretAccessKeyRef",
  ],
  [
    "provider externalID without role",
    provider("p6", { ...staticKeys, externalID: "shared-secret-id" }),
    "spec.externalID",
    "externalID is used only with roleARN",
  ],
  [
    "provider serviceAccountRef without role",
    provider("p9", { region: "us-east-1", serviceAccountRef: { name: "cache-irsa" } }),
    "spec.serviceAccountRef",
    "serviceAccountRef needs roleARN",
  ],
  [
    "autoScaling without cluster mode",
    cluster("as1", {
      ...without(group, "numNodeGroups"),
      autoScaling: { replicas: { min: 1, max: 2, targetCPUPercent: 60 } },
    }),
    "spec.autoScaling",
    "autoScaling needs cluster mode",
  ],
  [
    "autoScaling on memcached",
    cluster("as2", { ...memcached, autoScaling: { shards: { min: 1, max: 3, targetMemoryPercent: 50 } } }),
    "spec.autoScaling",
    "memcached has no shards or replicas to auto scale",
  ],
  [
    "autoScaling shards min above max",
    cluster("as3", { ...group, autoScaling: { shards: { min: 4, max: 3, targetMemoryPercent: 50 } } }),
    "spec.autoScaling.shards.min",
    "autoScaling.shards.min must not be greater than autoScaling.shards.max",
  ],
  [
    "autoScaling shards with two targets",
    cluster("as4", {
      ...group,
      autoScaling: { shards: { min: 1, max: 3, targetMemoryPercent: 50, targetCPUPercent: 60 } },
    }),
    "spec.autoScaling.shards.targetMemoryPercent",
    "autoScaling.shards needs exactly one target",
  ],
  [
    "autoScaling shards above AWS's maximum",
    cluster("as5", { ...group, autoScaling: { shards: { min: 1, max: 501, targetMemoryPercent: 50 } } }),
    "spec.autoScaling.shards.max",
    "autoScaling.shards.max must be between 1 and 500",
  ],
  [
    "autoScaling replicas on memory",
    cluster("as6", { ...group, autoScaling: { replicas: { min: 1, max: 2, targetMemoryPercent: 50 } } }),
    "spec.autoScaling.replicas.targetMemoryPercent",
    "autoScaling.replicas cannot track memory",
  ],
  [
    "autoScaling replicas above 5",
    cluster("as7", { ...group, autoScaling: { replicas: { min: 1, max: 6, targetCPUPercent: 60 } } }),
    "spec.autoScaling.replicas.max",
    "autoScaling.replicas.max must be between 0 and 5",
  ],
  [
    "autoScaling target of 0 %",
    cluster("as8", { ...group, autoScaling: { shards: { min: 1, max: 3, targetMemoryPercent: 0 } } }),
    "spec.autoScaling.shards.targetMemoryPercent",
    "targetMemoryPercent must be a percentage between 1 and 100",
  ],
  [
    "autoScaling scheduled action with a bad schedule",
    cluster("as9", {
      ...group,
      autoScaling: {
        shards: { min: 1, max: 3, targetMemoryPercent: 50 },
        scheduledActions: [{ name: "morning", dimension: "shards", schedule: "every day at 8", min: 2 }],
      },
    }),
    "spec.autoScaling.scheduledActions[0].schedule",
    "scheduledActions[].schedule must be at(yyyy-mm-ddThh:mm:ss), rate(N minutes|hours|days) or cron(",
  ],
  [
    "autoScaling scheduled action for a dimension not auto scaled",
    cluster("as10", {
      ...group,
      autoScaling: {
        shards: { min: 1, max: 3, targetMemoryPercent: 50 },
        scheduledActions: [{ name: "morning", dimension: "replicas", schedule: "rate(1 day)", min: 2 }],
      },
    }),
    "spec.autoScaling.scheduledActions",
    "autoScaling.scheduledActions[].dimension names a dimension that is not under autoScaling",
  ],
  [
    "autoScaling with nothing to scale",
    cluster("as11", { ...group, autoScaling: {} }),
    "spec.autoScaling.shards",
    "autoScaling needs shards, replicas or both",
  ],
  [
    "provider serviceAccountRef with keys",
    provider("p10", {
      ...staticKeys,
      roleARN: "arn:aws:iam::123456789012:role/team-a",
      serviceAccountRef: { name: "cache-irsa" },
    }),
    "spec.serviceAccountRef",
    "serviceAccountRef and accessKeyIDRef/secretAccessKeyRef exclude each other",
  ],
  [
    "provider endpoint without scheme",
    provider("p7", { ...staticKeys, endpoint: "localhost:4566" }),
    "spec.endpoint",
    "endpoint must be an http(s) URL",
  ],
  [
    "provider default tag with aws: prefix",
    provider("p8", { ...staticKeys, defaultTags: { "aws:team": "x" } }),
    "spec.defaultTags",
    "tag keys must not start with 'aws:'",
  ],
  ...parameterGroupInvalidRows,
  ...userInvalidRows,
  ...userGroupInvalidRows,
  ...snapshotInvalidRows,
  ...serverlessCacheInvalidRows,
];

export const invalidCases: InvalidCase[] = rows.map(([name, manifest, field, message]) => ({
  name,
  manifest,
  field,
  message,
}));
