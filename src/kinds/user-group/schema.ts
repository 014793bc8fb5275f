// ElastiCacheUserGroup: the set of ElastiCache users a cache (ElastiCacheCluster.spec.userGroupIDs) admits.
import { z } from "zod";
import { celRules } from "../../api/cel-rule.ts";
import type { KindDefinition } from "../../api/kinds.ts";
import { immutableName, managedSpecShape, managedStatusShape } from "../../api/managed-kind.ts";
import { AWS_ID_RULE } from "../user/schema.ts";

export const userGroupSpec = z
  .object({
    ...managedSpecShape("user group"),
    userGroupID: immutableName("userGroupID", "ElastiCacheUserGroup", 40, {
      ...AWS_ID_RULE,
      message:
        "userGroupID must be lower-case letters, digits and hyphens, start with a letter, and have no trailing or double hyphen (AWS rule)",
    }).describe("ID of the user group in AWS (what ElastiCacheCluster.spec.userGroupIDs names). Immutable."),
    engine: z.enum(["redis", "valkey"]).describe("Engine of the user group: redis or valkey."),
    userIDs: z
      .array(
        z
          .string()
          .min(1)
          .max(40)
          .meta(
            celRules({
              ...AWS_ID_RULE,
              message: "userIDs entries must be user IDs: lower-case letters, digits and hyphens",
            }),
          ),
      )
      .max(100)
      .optional()
      .describe(
        'Members by AWS user ID ("default" is the user AWS creates in every account). An ElastiCacheUser of this namespace with that userID is waited for.',
      ),
    userRefs: z
      .array(
        z.object({
          name: z.string().min(1).max(253).describe("Name of an ElastiCacheUser of this namespace."),
        }),
      )
      .max(100)
      .optional()
      .describe("Members by ElastiCacheUser object: each is waited for until Ready, and its userID used."),
  })
  .describe("Desired state of the ElastiCache user group.")
  .meta(
    celRules({
      rule: "(has(self.userIDs) && size(self.userIDs) > 0) || (has(self.userRefs) && size(self.userRefs) > 0)",
      message:
        'a user group needs members (userIDs or userRefs), among them a user with userName "default" (AWS rule): userIDs: [default] names AWS\'s own default user',
      fieldPath: ".userIDs",
    }),
  );

export const userGroupStatus = z
  .object({
    ...managedStatusShape,
    userGroupStatus: z.string().optional().describe("AWS's status: creating, active, modifying, deleting."),
    engine: z.string().optional(),
    userIDs: z.array(z.string()).optional().describe("The members, as AWS reports them."),
    pendingChanges: z
      .object({
        userIDsToAdd: z.array(z.string()).optional(),
        userIDsToRemove: z.array(z.string()).optional(),
      })
      .optional()
      .describe("Member changes AWS is still applying."),
    replicationGroups: z.array(z.string()).optional().describe("Replication groups using the user group."),
    serverlessCaches: z.array(z.string()).optional().describe("Serverless caches using the user group."),
    minimumEngineVersion: z.string().optional(),
  })
  .describe("What AWS reports about the user group.");

export type UserGroupSpec = z.infer<typeof userGroupSpec>;

export const userGroupDefinition: KindDefinition = {
  kind: "ElastiCacheUserGroup",
  plural: "elasticacheusergroups",
  singular: "elasticacheusergroup",
  shortNames: ["ecug"],
  description: "An AWS ElastiCache RBAC user group managed by infra-operator.",
  spec: userGroupSpec,
  status: userGroupStatus,
  printerColumns: [
    { name: "UserGroupID", type: "string", jsonPath: ".spec.userGroupID" },
    { name: "Engine", type: "string", jsonPath: ".spec.engine" },
    { name: "Status", type: "string", jsonPath: ".status.userGroupStatus" },
    { name: "Ready", type: "boolean", jsonPath: ".status.ready" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
};
