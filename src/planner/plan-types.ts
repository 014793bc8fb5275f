// Inputs and result of the planner.
import type { ElastiCacheClusterSpec, ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import type { Action, ObservedCache } from "./model.ts";
import type { OwnerRef } from "./ownership.ts";

/** What the planner remembers between reconciles (kept in status). */
export type Memory = Pick<
  ElastiCacheClusterStatus,
  | "topology"
  | "clusterMode"
  | "appliedTagKeys"
  | "appliedTagsHash"
  | "authTokenHash"
  | "pendingAuthTokenHash"
  | "authTokenRotatedAt"
  | "lastChange"
>;

export interface PlanInput {
  owner: OwnerRef;
  spec: ElastiCacheClusterSpec;
  /** The provider's defaultTags. */
  defaultTags: Record<string, string>;
  /** SHA-256 of the token in the referenced Secret (when spec.authTokenRef is set). */
  authTokenHash?: string;
  /** The object carries the adopt annotation. */
  adopt: boolean;
  memory: Memory;
  /** AWS's view; undefined when the resource does not exist. */
  observed: ObservedCache | undefined;
  now: Date;
  /** Seconds to wait before looking again while AWS works (the requeue policy's choice). */
  pollSeconds: number;
  /** Seconds between ROTATE and SET of a new auth token, so clients can pick it up. */
  rotationGraceSeconds: number;
}

export interface PlanResult {
  action: Action;
  /** CamelCase reason for the conditions: Creating, Modifying, Available, NotOwned, ... */
  reason: string;
  /** What is happening and, when stuck, what to do. */
  message: string;
  /** Only the user can fix this (spec or ownership); retrying does not help. */
  terminal: boolean;
  /** Available and matching the spec. */
  ready: boolean;
  /** Memory to record once the action succeeded. */
  memory: Memory;
}

/** Nothing to do: the cache is available and matches the spec. */
export function inSync(memory: Memory): PlanResult {
  return {
    action: { type: "none" },
    reason: "Available",
    message: "ElastiCache cluster is available",
    terminal: false,
    ready: true,
    memory,
  };
}
