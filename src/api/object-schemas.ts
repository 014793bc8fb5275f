// The whole-object schemas (metadata, spec, status) and their types. Kept apart from the CEL
// evaluator, so code that reads already-admitted objects (the operator) does not load it.
import { z } from "zod";
import { awsProviderSpec, awsProviderStatus } from "./aws-provider.ts";
import { clusterAWSProviderSpec, clusterAWSProviderStatus } from "./cluster-aws-provider.ts";
import { elastiCacheClusterSpec, elastiCacheClusterStatus } from "./elasticache-cluster.ts";

const objectMeta = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  generation: z.number().optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
});

export const elastiCacheCluster = z.object({
  apiVersion: z.string(),
  kind: z.literal("ElastiCacheCluster"),
  metadata: objectMeta,
  spec: elastiCacheClusterSpec,
  status: elastiCacheClusterStatus.optional(),
});

export const awsProvider = z.object({
  apiVersion: z.string(),
  kind: z.literal("AWSProvider"),
  metadata: objectMeta,
  spec: awsProviderSpec,
  status: awsProviderStatus.optional(),
});

export const clusterAWSProvider = z.object({
  apiVersion: z.string(),
  kind: z.literal("ClusterAWSProvider"),
  metadata: objectMeta,
  spec: clusterAWSProviderSpec,
  status: clusterAWSProviderStatus.optional(),
});

export type ObjectMeta = z.infer<typeof objectMeta>;
export type ElastiCacheCluster = z.infer<typeof elastiCacheCluster>;
export type AWSProvider = z.infer<typeof awsProvider>;
export type ClusterAWSProvider = z.infer<typeof clusterAWSProvider>;

export class InvalidObjectError extends Error {
  readonly problems: string[];
  constructor(what: string, problems: string[]) {
    super(`${what} is invalid: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

/** "ElastiCacheCluster team-a/cache", for messages. */
export function describeObject(input: unknown, kind: string): string {
  const meta = (input as { metadata?: { name?: string; namespace?: string } } | null)?.metadata;
  return `${kind} ${meta?.namespace ? `${meta.namespace}/` : ""}${meta?.name ?? "(unnamed)"}`;
}
