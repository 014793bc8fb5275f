// Typed objects read from manifests or the state dir: validated with the CRD's rules (as the API
// server would on create), then parsed by zod into the TypeScript types, with defaults applied.
// Objects the API server already admitted are read with stored-objects.ts instead.
import type { z } from "zod";
import {
  type AWSProvider,
  awsProvider,
  describeObject,
  type ElastiCacheCluster,
  elastiCacheCluster,
  InvalidObjectError,
} from "./object-schemas.ts";
import { validateManifest } from "./validate.ts";

export {
  type AWSProvider,
  type ElastiCacheCluster,
  InvalidObjectError,
  type ObjectMeta,
} from "./object-schemas.ts";

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
  return parseWith(elastiCacheCluster, input, describeObject(input, "ElastiCacheCluster"), options);
}

export function parseAWSProvider(input: unknown, options: ParseOptions = {}): AWSProvider {
  return parseWith(awsProvider, input, describeObject(input, "AWSProvider"), options);
}
