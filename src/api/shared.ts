// Schema pieces shared by both kinds: references, tags, endpoints, conditions.
import { z } from "zod";
import { celRules } from "./cel-rule.ts";

export const API_GROUP = "aws-infra-operator.runner.codes";
export const API_VERSION = "v1alpha1";
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

const dnsName = z.string().min(1).max(253);

/** A key of a Secret in the object's own namespace. */
export const secretKeyRef = z
  .object({
    name: dnsName.describe("Name of the Secret (in the same namespace as this object)."),
    key: z.string().min(1).max(253).describe("Key within the Secret's data."),
  })
  .describe("Reference to one key of a Kubernetes Secret.");

/** AWS tags as a map. Limits are AWS's: 50 tags per resource, keys 1-128, values 0-256, no `aws:` prefix. */
export const tagsSchema = z.record(z.string(), z.string().max(256)).meta({
  maxProperties: 50,
  ...celRules(
    {
      rule: "self.all(k, !k.lowerAscii().startsWith('aws:'))",
      message: "tag keys must not start with 'aws:' (AWS reserves that prefix): rename the tag",
    },
    {
      rule: "self.all(k, size(k) >= 1 && size(k) <= 128)",
      message: "tag keys must be 1 to 128 characters long (AWS limit): shorten the key",
    },
    {
      rule: "self.all(k, size(self[k]) <= 256)",
      message: "tag values must be at most 256 characters long (AWS limit): shorten the value",
    },
    {
      rule: "size(self) <= 48",
      message: "at most 48 tags: AWS allows 50 per resource and infra-operator adds 2 ownership tags",
    },
  ),
});

export const endpointSchema = z.object({
  address: z.string().describe("Hostname or IP address."),
  port: z.int().min(0).max(65535).describe("TCP port."),
});

/** A Kubernetes-style condition (metav1.Condition). */
export const conditionSchema = z.object({
  type: z.string().max(316).describe("Condition type: Ready or Synced."),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string().max(1024).describe("CamelCase reason, e.g. Available, Creating, SecretNotFound."),
  message: z.string().max(32768).describe("Human-readable detail: what happened and what to do."),
  lastTransitionTime: z.string().describe("When the status last changed (RFC 3339)."),
  observedGeneration: z
    .int()
    .min(0)
    .optional()
    .describe("metadata.generation this condition was computed for."),
});

export type Condition = z.infer<typeof conditionSchema>;
export type Endpoint = z.infer<typeof endpointSchema>;
export type SecretKeyRef = z.infer<typeof secretKeyRef>;

/** The provider an object's AWS calls go through (every kind that lives in AWS has one). */
export const providerRefSchema = z
  .object({
    kind: z
      .enum(["AWSProvider", "ClusterAWSProvider"])
      .optional()
      .describe(
        "AWSProvider (default): a provider of this namespace; ClusterAWSProvider: a cluster-wide provider that selects this namespace.",
      ),
    name: z
      .string()
      .min(1)
      .max(253)
      .describe("Name of the provider (an AWSProvider of this namespace, or a ClusterAWSProvider)."),
  })
  .describe("The provider whose credentials and region are used.");
