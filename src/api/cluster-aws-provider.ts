// ClusterAWSProvider: an AWSProvider owned by the cluster admin, usable from every namespace its
// namespaceSelector selects (the cert-manager ClusterIssuer / External Secrets ClusterSecretStore
// shape). It may use the operator's own AWS identity; its Secrets and ServiceAccount are read in the
// operator's cluster resource namespace (`run --cluster-resource-namespace`).
import { z } from "zod";
import { awsProviderFields, awsProviderRules, awsProviderStatus } from "./aws-provider.ts";
import { celRules } from "./cel-rule.ts";

export const labelSelector = z
  .object({
    matchLabels: z
      .record(z.string(), z.string())
      .optional()
      .describe("Labels the namespace must have, all of them."),
    matchExpressions: z
      .array(
        z.object({
          key: z.string().min(1).max(317).describe("Label key."),
          operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
          values: z
            .array(z.string())
            .optional()
            .describe("Values for In and NotIn (at least one); empty for Exists and DoesNotExist."),
        }),
      )
      .optional()
      .describe("Label requirements, all of them."),
  })
  .describe("A Kubernetes label selector (matchLabels and matchExpressions, all must hold).");

export const clusterAWSProviderSpec = z
  .object({
    ...awsProviderFields,
    namespaceSelector: labelSelector
      .optional()
      .describe(
        "Namespaces whose ElastiCacheClusters may use this provider (providerRef.kind: ClusterAWSProvider); every namespace when absent. Secrets and serviceAccountRef are read in the operator's cluster resource namespace, not in the cluster's.",
      ),
  })
  .describe(
    "How to reach AWS for the namespaces it selects: region, credentials (may be the operator's own identity), endpoint, default tags.",
  )
  .meta(celRules(...awsProviderRules));

export const clusterAWSProviderStatus = awsProviderStatus;

export type ClusterAWSProviderSpec = z.infer<typeof clusterAWSProviderSpec>;
export type LabelSelector = z.infer<typeof labelSelector>;
