// Typed objects read from anywhere (API server, files, state dir): validated with the CRD's rules,
// then parsed by zod into the TypeScript types, with schema defaults applied.
import { z } from "zod";
import { awsProviderSpec, awsProviderStatus } from "./aws-provider.ts";
import { elastiCacheClusterSpec, elastiCacheClusterStatus } from "./elasticache-cluster.ts";
import { validateManifest } from "./validate.ts";

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

const elastiCacheCluster = z.object({
  apiVersion: z.string(),
  kind: z.literal("ElastiCacheCluster"),
  metadata: objectMeta,
  spec: elastiCacheClusterSpec,
  status: elastiCacheClusterStatus.optional(),
});

const awsProvider = z.object({
  apiVersion: z.string(),
  kind: z.literal("AWSProvider"),
  metadata: objectMeta,
  spec: awsProviderSpec,
  status: awsProviderStatus.optional(),
});

export type ObjectMeta = z.infer<typeof objectMeta>;
export type ElastiCacheCluster = z.infer<typeof elastiCacheCluster>;
export type AWSProvider = z.infer<typeof awsProvider>;

export class InvalidObjectError extends Error {
  readonly problems: string[];
  constructor(what: string, problems: string[]) {
    super(`${what} is invalid: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

export interface ParseOptions {
  /**
   * The object was already admitted by the API server: rules that apply only on create (set
   * with optionalOldSelf) are not evaluated again. It is checked as an update to itself.
   */
  stored?: boolean;
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, what: string, options: ParseOptions): T {
  const problems = validateManifest(input, options.stored ? input : undefined).map(
    (e) => `${e.path}: ${e.message}`,
  );
  if (problems.length > 0) throw new InvalidObjectError(what, problems);
  return schema.parse(input);
}

/** Validates (CRD rules) and types an ElastiCacheCluster; throws InvalidObjectError naming each field. */
export function parseElastiCacheCluster(input: unknown, options: ParseOptions = {}): ElastiCacheCluster {
  return parseWith(elastiCacheCluster, input, describe(input, "ElastiCacheCluster"), options);
}

export function parseAWSProvider(input: unknown, options: ParseOptions = {}): AWSProvider {
  return parseWith(awsProvider, input, describe(input, "AWSProvider"), options);
}

function describe(input: unknown, kind: string): string {
  const meta = (input as { metadata?: { name?: string; namespace?: string } } | null)?.metadata;
  return `${kind} ${meta?.namespace ? `${meta.namespace}/` : ""}${meta?.name ?? "(unnamed)"}`;
}
