// The kinds infra-operator serves, with everything the CRD needs besides the schemas.
import type { z } from "zod";
import { managedKinds } from "../kinds/registry.ts";
import { awsProviderSpec, awsProviderStatus } from "./aws-provider.ts";
import { clusterAWSProviderSpec, clusterAWSProviderStatus } from "./cluster-aws-provider.ts";
import { elastiCacheClusterSpec, elastiCacheClusterStatus } from "./elasticache-cluster.ts";

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface KindDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  description: string;
  /** Namespaced unless said otherwise. */
  scope?: "Namespaced" | "Cluster";
  spec: z.ZodType;
  status: z.ZodType;
  printerColumns: PrinterColumn[];
}

export const CATEGORY = "infra-operator";

export const elastiCacheClusterKind: KindDefinition = {
  kind: "ElastiCacheCluster",
  plural: "elasticacheclusters",
  singular: "elasticachecluster",
  shortNames: ["ecc", "cache"],
  description: "An AWS ElastiCache cache (Redis, Valkey or Memcached) managed by infra-operator.",
  spec: elastiCacheClusterSpec,
  status: elastiCacheClusterStatus,
  printerColumns: [
    { name: "Cluster-ID", type: "string", jsonPath: ".spec.clusterID" },
    { name: "Engine", type: "string", jsonPath: ".spec.engine" },
    { name: "Version", type: "string", jsonPath: ".status.engineVersion" },
    { name: "Node-Type", type: "string", jsonPath: ".status.cacheNodeType" },
    { name: "Status", type: "string", jsonPath: ".status.clusterStatus" },
    { name: "Endpoint", type: "string", jsonPath: ".status.endpoint" },
    { name: "Ready", type: "boolean", jsonPath: ".status.ready" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    { name: "Provider", type: "string", jsonPath: ".spec.providerRef.name", priority: 1 },
    { name: "Topology", type: "string", jsonPath: ".status.topology", priority: 1 },
    {
      name: "USD-Month",
      type: "number",
      jsonPath: ".status.estimatedCost.monthlyUSD",
      description: "On-demand cost estimate per month",
      priority: 1,
    },
  ],
};

export const awsProviderKind: KindDefinition = {
  kind: "AWSProvider",
  plural: "awsproviders",
  singular: "awsprovider",
  shortNames: ["awsp"],
  description: "AWS credentials, region and endpoint used by ElastiCacheCluster objects of its namespace.",
  spec: awsProviderSpec,
  status: awsProviderStatus,
  printerColumns: [
    { name: "Region", type: "string", jsonPath: ".spec.region" },
    { name: "Account", type: "string", jsonPath: ".status.accountID" },
    { name: "Ready", type: "boolean", jsonPath: ".status.ready" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
};

export const clusterAWSProviderKind: KindDefinition = {
  kind: "ClusterAWSProvider",
  plural: "clusterawsproviders",
  singular: "clusterawsprovider",
  shortNames: ["cawsp"],
  description:
    "AWS credentials, region and endpoint owned by the cluster admin, used by ElastiCacheCluster objects of the namespaces it selects (providerRef.kind: ClusterAWSProvider).",
  scope: "Cluster",
  spec: clusterAWSProviderSpec,
  status: clusterAWSProviderStatus,
  printerColumns: awsProviderKind.printerColumns,
};

/** Every kind served: the providers, ElastiCacheCluster, and the family's kinds (src/kinds/registry.ts). */
export const kinds: KindDefinition[] = [
  awsProviderKind,
  elastiCacheClusterKind,
  clusterAWSProviderKind,
  ...managedKinds.map((k) => k.definition),
];

export function kindByName(kind: string): KindDefinition | undefined {
  return kinds.find((k) => k.kind === kind);
}
