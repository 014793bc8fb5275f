// ElastiCacheSubnetGroup: the VPC subnets a cache's nodes are placed in.
import { z } from "zod";
import { celRules } from "../../api/cel-rule.ts";
import type { KindDefinition } from "../../api/kinds.ts";
import { immutableName, managedSpecShape, managedStatusShape } from "../../api/managed-kind.ts";

export const subnetGroupSpec = z
  .object({
    ...managedSpecShape("subnet group"),
    subnetGroupName: immutableName("subnetGroupName", "ElastiCacheSubnetGroup", 255, {
      rule: "self.matches('^[A-Za-z0-9-]+$') && self.lowerAscii() != 'default'",
      message: 'subnetGroupName must be letters, digits and hyphens, and not "default" (AWS rule)',
    }).describe(
      "Name of the cache subnet group in AWS (what ElastiCacheCluster.spec.subnetGroupName names). Immutable.",
    ),
    description: z.string().min(1).max(255).describe("Description of the subnet group."),
    subnetIDs: z
      .array(
        z
          .string()
          .max(64)
          .meta(
            celRules({
              rule: "self.matches('^subnet-[0-9a-z]+$')",
              message: "subnetIDs must be subnet IDs (subnet-...)",
            }),
          ),
      )
      .min(1)
      .max(20)
      .describe("IDs of the VPC subnets (1 to 20, of one VPC)."),
  })
  .describe("Desired state of the cache subnet group.");

export const subnetGroupStatus = z
  .object({
    ...managedStatusShape,
    vpcID: z.string().optional().describe("The VPC of the subnets."),
    subnets: z
      .array(z.object({ subnetID: z.string(), availabilityZone: z.string().optional() }))
      .optional()
      .describe("The subnets as AWS reports them."),
  })
  .describe("What AWS reports about the subnet group.");

export type SubnetGroupSpec = z.infer<typeof subnetGroupSpec>;

export const subnetGroupDefinition: KindDefinition = {
  kind: "ElastiCacheSubnetGroup",
  plural: "elasticachesubnetgroups",
  singular: "elasticachesubnetgroup",
  shortNames: ["ecsg"],
  description: "An AWS ElastiCache cache subnet group managed by infra-operator.",
  spec: subnetGroupSpec,
  status: subnetGroupStatus,
  printerColumns: [
    { name: "Name", type: "string", jsonPath: ".spec.subnetGroupName" },
    { name: "VPC", type: "string", jsonPath: ".status.vpcID" },
    { name: "Ready", type: "boolean", jsonPath: ".status.ready" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
};
