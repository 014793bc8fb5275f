// ElastiCacheServerlessCache: an ElastiCache serverless cache (Redis, Valkey or Memcached) that
// AWS scales within its usage limits; its endpoint goes to status and to a connection Secret.
import { z } from "zod";
import { celRules } from "../../api/cel-rule.ts";
import type { KindDefinition } from "../../api/kinds.ts";
import { immutableName, managedSpecShape, managedStatusShape } from "../../api/managed-kind.ts";
import { endpointSchema } from "../../api/shared.ts";
import { AWS_ID_RULE } from "../user/schema.ts";

const KIND = "ElastiCacheServerlessCache";

/** A min ≤ max rule for one usage limit, with its field in the message. */
const minNotAboveMax = (field: string) =>
  celRules({
    rule: "!has(self.minimum) || !has(self.maximum) || self.minimum <= self.maximum",
    message: `cacheUsageLimits.${field}.minimum must not exceed cacheUsageLimits.${field}.maximum`,
    fieldPath: ".minimum",
  });

const gigabytes = z.int().min(1).max(5000);
const ecpus = z.int().min(1000).max(15_000_000);

const usageLimits = z
  .object({
    dataStorage: z
      .object({
        maximum: gigabytes.optional().describe("Most data the cache may hold, in GB (1-5000)."),
        minimum: gigabytes.optional().describe("Least data AWS bills for, in GB (1-5000)."),
        unit: z.enum(["GB"]).default("GB").describe("Unit of maximum and minimum: GB (AWS's only unit)."),
      })
      .meta(minNotAboveMax("dataStorage"))
      .optional(),
    ecpuPerSecond: z
      .object({
        maximum: ecpus
          .optional()
          .describe("Most ElastiCache Processing Units per second (1,000-15,000,000)."),
        minimum: ecpus.optional().describe("Least ECPUs per second AWS keeps ready (1,000-15,000,000)."),
      })
      .meta(minNotAboveMax("ecpuPerSecond"))
      .optional(),
  })
  .describe("Bounds AWS scales the cache within (and bills by).");

const awsIds = (field: string, prefix: string, max: number) =>
  z
    .array(
      z
        .string()
        .min(1)
        .max(64)
        .meta(
          celRules({
            rule: `self.matches('^${prefix}-[0-9a-f]+$')`,
            message: `${field} entries must be AWS IDs such as ${prefix}-0123456789abcdef0`,
          }),
        ),
    )
    .max(max);

export const serverlessCacheSpec = z
  .object({
    ...managedSpecShape("serverless cache"),
    serverlessCacheName: immutableName("serverlessCacheName", KIND, 40, {
      ...AWS_ID_RULE,
      message:
        "serverlessCacheName must be lower-case letters, digits and hyphens, start with a letter, and have no trailing or double hyphen (AWS rule)",
    }).describe("Name of the serverless cache in AWS. Immutable."),
    engine: z
      .enum(["redis", "valkey", "memcached"])
      .meta(
        celRules({
          rule: "self == oldSelf",
          message: `engine cannot be changed after creation: create a new ${KIND} with the new engine (and delete this one)`,
        }),
      )
      .describe("Engine: redis, valkey or memcached. Immutable."),
    majorEngineVersion: z
      .string()
      .max(8)
      .meta(
        celRules({
          rule: "self.matches('^[0-9]+(\\\\.[0-9]+)?$')",
          message: 'majorEngineVersion must be a major version such as "7", "8" or "1.6"',
        }),
      )
      .optional()
      .describe(
        "Major engine version (redis 7; valkey 7 or 8; memcached 1.6); AWS's newest when unset. A higher one upgrades the cache; it cannot go down.",
      ),
    description: z.string().max(255).optional().describe("Description of the cache (modifiable)."),
    cacheUsageLimits: usageLimits.optional(),
    securityGroupIDs: awsIds("securityGroupIDs", "sg", 5)
      .optional()
      .describe("VPC security groups of the cache's endpoints (modifiable); AWS's default group when unset."),
    subnetIDs: awsIds("subnetIDs", "subnet", 20)
      .meta(
        celRules({
          rule: "self == oldSelf",
          message: `subnetIDs cannot be changed after creation: create a new ${KIND} in the new subnets (and delete this one)`,
        }),
      )
      .optional()
      .describe(
        "Subnets the cache's endpoints are placed in; AWS's default VPC subnets when unset. Immutable.",
      ),
    dailySnapshotTime: z
      .string()
      .max(5)
      .meta(
        celRules({
          rule: "self.matches('^([01][0-9]|2[0-3]):[0-5][0-9]$')",
          message: 'dailySnapshotTime must be a UTC time "HH:MM" (24-hour), such as "04:00"',
        }),
      )
      .optional()
      .describe("UTC time (HH:MM) of the daily automatic snapshot (Redis and Valkey)."),
    snapshotRetentionLimit: z
      .int()
      .min(0)
      .max(35)
      .optional()
      .describe("Days automatic snapshots are kept (0-35; 0 turns them off). Redis and Valkey."),
    userGroupID: z
      .string()
      .min(1)
      .max(40)
      .meta(
        celRules({
          ...AWS_ID_RULE,
          message: "userGroupID must be a user group ID: lower-case letters, digits and hyphens",
        }),
      )
      .optional()
      .describe(
        "The user group (RBAC) whose users may connect, by AWS ID: an ElastiCacheUserGroup of this namespace with that userGroupID is waited for until Ready. Redis and Valkey. Removing it (when this object set it) lets any client in as the default user.",
      ),
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
      .describe(
        "Where the operator writes host, port, reader endpoint, TLS flag and URL (only into a Secret it owns).",
      ),
  })
  .describe("Desired state of the serverless cache.")
  .meta(
    celRules(
      {
        rule: "!has(self.userGroupID) || self.engine != 'memcached'",
        message: "userGroupID is for redis and valkey: a memcached serverless cache takes no user group",
        fieldPath: ".userGroupID",
      },
      {
        rule: "self.engine != 'memcached' || (!has(self.dailySnapshotTime) && !has(self.snapshotRetentionLimit))",
        message:
          "dailySnapshotTime and snapshotRetentionLimit are for redis and valkey: a memcached serverless cache takes no snapshots",
        fieldPath: ".snapshotRetentionLimit",
      },
    ),
  );

export const serverlessCacheStatus = z
  .object({
    ...managedStatusShape,
    serverlessCacheStatus: z
      .string()
      .optional()
      .describe("AWS's status: creating, available, modifying, deleting, create-failed."),
    engine: z.string().optional(),
    majorEngineVersion: z.string().optional(),
    fullEngineVersion: z.string().optional(),
    endpoint: endpointSchema.optional().describe("Where clients connect (TLS)."),
    readerEndpoint: endpointSchema.optional().describe("Where reads may go (Redis and Valkey; TLS)."),
    description: z.string().optional(),
    cacheUsageLimits: usageLimits.optional().describe("The usage limits AWS reports."),
    securityGroupIDs: z.array(z.string()).optional(),
    subnetIDs: z.array(z.string()).optional(),
    userGroupID: z.string().optional().describe("The user group AWS reports."),
    dailySnapshotTime: z.string().optional(),
    snapshotRetentionLimit: z.int().optional(),
    appliedUserGroupID: z
      .string()
      .optional()
      .describe("The user group this object set: removing spec.userGroupID removes only that one."),
  })
  .describe("What AWS reports about the serverless cache.");

export type ServerlessCacheSpec = z.infer<typeof serverlessCacheSpec>;
export type ServerlessCacheStatus = z.infer<typeof serverlessCacheStatus>;
export type UsageLimits = z.infer<typeof usageLimits>;

export const serverlessCacheDefinition: KindDefinition = {
  kind: KIND,
  plural: "elasticacheserverlesscaches",
  singular: "elasticacheserverlesscache",
  shortNames: ["ecsc"],
  description: "An AWS ElastiCache serverless cache managed by infra-operator.",
  spec: serverlessCacheSpec,
  status: serverlessCacheStatus,
  printerColumns: [
    { name: "Name", type: "string", jsonPath: ".spec.serverlessCacheName" },
    { name: "Engine", type: "string", jsonPath: ".spec.engine" },
    { name: "Status", type: "string", jsonPath: ".status.serverlessCacheStatus" },
    { name: "Endpoint", type: "string", jsonPath: ".status.endpoint.address" },
    { name: "Ready", type: "boolean", jsonPath: ".status.ready" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
};
