// Objects already admitted by the API server: their CRD rules were checked there, so they are only
// typed here (zod: structure and defaults), without loading the offline CEL evaluator.
import type { z } from "zod";
import {
  type AWSProvider,
  awsProvider,
  type ClusterAWSProvider,
  clusterAWSProvider,
  describeObject,
  type ElastiCacheCluster,
  elastiCacheCluster,
  InvalidObjectError,
} from "./object-schemas.ts";

function parseStored<T>(schema: z.ZodType<T>, input: unknown, kind: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new InvalidObjectError(describeObject(input, kind), problems);
}

export function parseStoredElastiCacheCluster(input: unknown): ElastiCacheCluster {
  return parseStored(elastiCacheCluster, input, "ElastiCacheCluster");
}

export function parseStoredAWSProvider(input: unknown): AWSProvider {
  return parseStored(awsProvider, input, "AWSProvider");
}

export function parseStoredClusterAWSProvider(input: unknown): ClusterAWSProvider {
  return parseStored(clusterAWSProvider, input, "ClusterAWSProvider");
}
