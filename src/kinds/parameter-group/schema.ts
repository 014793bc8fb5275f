// ElastiCacheParameterGroup: a cache parameter group (engine settings such as maxmemory-policy)
// that caches name in their spec.parameterGroupName.
import { z } from "zod";
import { celRules } from "../../api/cel-rule.ts";
import type { KindDefinition } from "../../api/kinds.ts";
import { immutableName, managedSpecShape, managedStatusShape } from "../../api/managed-kind.ts";

const KIND = "ElastiCacheParameterGroup";

export const parameterGroupSpec = z
  .object({
    ...managedSpecShape("parameter group"),
    parameterGroupName: immutableName("parameterGroupName", KIND, 255, {
      rule: "self.matches('^[a-z][a-z0-9]*(-[a-z0-9]+)*$')",
      message:
        "parameterGroupName must be lower-case letters, digits and hyphens, begin with a letter, and contain neither two consecutive hyphens nor a trailing hyphen (AWS rule; AWS keeps the name in lower case)",
    }).describe(
      "Name of the cache parameter group in AWS (what ElastiCacheCluster.spec.parameterGroupName names). Immutable.",
    ),
    family: z
      .string()
      .min(1)
      .max(32)
      .meta(
        celRules(
          {
            rule: "self.matches('^(redis[0-9]+(\\\\.[0-9x]+)?|valkey[0-9]+|memcached[0-9]+\\\\.[0-9]+)$')",
            message:
              "family must be a cache parameter group family such as redis7, redis6.x, valkey8 or memcached1.6",
          },
          {
            rule: "self == oldSelf",
            message: `family cannot be changed after creation: create a new ${KIND} with the new family (and delete this one)`,
          },
        ),
      )
      .describe(
        "Parameter group family (redis7, redis6.x, valkey7, valkey8, memcached1.6): the engine and major version of the caches that may use it. Immutable.",
      ),
    description: z
      .string()
      .min(1)
      .max(255)
      .meta(
        celRules({
          rule: "self == oldSelf",
          message: `description cannot be changed after creation (AWS cannot change a parameter group's description): create a new ${KIND} to change it`,
        }),
      )
      .describe("Description of the parameter group. Immutable (AWS has no call to change it)."),
    parameters: z
      .record(z.string(), z.string())
      .optional()
      .meta(
        celRules({
          rule: "self.all(k, k.size() > 0)",
          message: "parameters names must not be empty: give each parameter its AWS name (maxmemory-policy)",
        }),
      )
      .describe(
        'Parameter values by AWS parameter name, as strings (maxmemory-policy: allkeys-lru, timeout: "300"). Only changed ones are modified; a name removed from here is reset to the family default.',
      ),
  })
  .describe("Desired state of the cache parameter group.");

const cacheUse = z.object({
  cacheClusterID: z.string(),
  replicationGroupID: z.string().optional(),
  parameterApplyStatus: z.string().optional(),
  cacheNodeIDsToReboot: z.array(z.string()).optional(),
});

export const parameterGroupStatus = z
  .object({
    ...managedStatusShape,
    family: z.string().optional().describe("The family AWS reports."),
    description: z.string().optional().describe("The description AWS reports."),
    parameters: z
      .record(z.string(), z.string())
      .optional()
      .describe("The parameters set in the group (AWS's Source user), with their values."),
    requiresRebootParameters: z
      .array(z.string())
      .optional()
      .describe(
        "Parameters set in the group whose change type is requires-reboot: they reach a cache only when it reboots.",
      ),
    caches: z
      .array(cacheUse)
      .optional()
      .describe(
        "The cache clusters using the group (replication group members included) and whether its values are applied (ParameterApplyStatus in-sync, or pending-reboot with the nodes to reboot).",
      ),
    pendingReboot: z
      .array(z.string())
      .optional()
      .describe("Cache clusters whose nodes must reboot for the group's values to take effect."),
    appliedParameters: z
      .array(z.string())
      .optional()
      .describe("Parameter names this object set: removing one from spec.parameters resets it."),
  })
  .describe("What AWS reports about the parameter group.");

export type ParameterGroupSpec = z.infer<typeof parameterGroupSpec>;

export const parameterGroupDefinition: KindDefinition = {
  kind: KIND,
  plural: "elasticacheparametergroups",
  singular: "elasticacheparametergroup",
  shortNames: ["ecpg"],
  description: "An AWS ElastiCache cache parameter group managed by infra-operator.",
  spec: parameterGroupSpec,
  status: parameterGroupStatus,
  printerColumns: [
    { name: "Name", type: "string", jsonPath: ".spec.parameterGroupName" },
    { name: "Family", type: "string", jsonPath: ".spec.family" },
    { name: "Ready", type: "boolean", jsonPath: ".status.ready" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
};
