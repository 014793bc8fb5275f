// Schema pieces every kind of the ElastiCache family shares (parameter groups, subnet groups,
// users, user groups, snapshots, serverless caches): provider, deletion policy, tags; and the
// status fields the runtime (src/runtime/step.ts) writes for each of them.
import { z } from "zod";
import { type CelRule, celRules } from "./cel-rule.ts";
import { conditionSchema, providerRefSchema, tagsSchema } from "./shared.ts";

/** The spec fields of every managed kind; `what` names the AWS resource in descriptions. */
export function managedSpecShape(what: string) {
  return {
    providerRef: providerRefSchema,
    tags: tagsSchema.optional().describe("AWS tags; merged over the provider's defaultTags."),
    deletionPolicy: z
      .enum(["Delete", "Retain", "Orphan"])
      .default("Delete")
      .describe(
        `On deletion of this object: Delete the ${what}, Retain it (left in AWS, marked as retained by this object's uid, re-adopted by a new object of the same namespace/name), or Orphan it (untagged, unmanaged; never adopted again without the adopt annotation).`,
      ),
  };
}

/** An AWS name that cannot change once the resource exists (`rules`: its format, checked too). */
export function immutableName(field: string, kind: string, maxLength: number, ...rules: CelRule[]) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .meta(
      celRules(...rules, {
        rule: "self == oldSelf",
        message: `${field} cannot be changed after creation: create a new ${kind} with the new ${field} (and delete this one)`,
      }),
    );
}

/** The status fields of every managed kind. */
export const managedStatusShape = {
  ready: z.boolean().optional().describe("True when the resource exists in AWS as the spec asks."),
  arn: z.string().optional().describe("The resource's ARN."),
  observedGeneration: z.int().optional().describe("metadata.generation the status was computed for."),
  conditions: z.array(conditionSchema).optional().describe("Ready and Synced."),
  appliedTagKeys: z.array(z.string()).optional().describe("Tag keys this object set in AWS."),
  waits: z.int().optional().describe("Looks at the resource while AWS was still working on it."),
};
