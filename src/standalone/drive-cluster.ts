// Drives one ElastiCacheCluster with the operator's own reconcile step (clusterStep) through the
// CLI's one loop (drive-loop.ts): Ready once AWS is at the spec and the planner has nothing to do;
// a warning with no retry within a minute needs the user; any change sent counts as submitted.
import type { ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import type { ElastiCacheCluster } from "../api/objects.ts";
import { ADOPT_ANNOTATION } from "../planner/ownership.ts";
import { NO_TOKEN_FINGERPRINT, type TokenFingerprint } from "../planner/token-fingerprint.ts";
import type { CacheGateway } from "../reconcile/cache-gateway.ts";
import { type ClusterStepResult, clusterStep } from "../reconcile/cluster-step.ts";
import { type DriveProgress, driveLoop, type DriveOutcome as Outcome } from "./drive-loop.ts";
import type { StateStore, StoredObject } from "./state-store.ts";

export type { DriveProgress } from "./drive-loop.ts";

export interface DriveOptions {
  store: StateStore;
  stored: StoredObject;
  cluster: ElastiCacheCluster;
  gateway: CacheGateway;
  defaultTags: Record<string, string>;
  authToken?: string;
  /** The keyed fingerprint of the token (needed only with `authToken`). */
  fingerprint?: TokenFingerprint;
  deleting: boolean;
  /** Stop after the first step that changed something (or found nothing to do). */
  wait: boolean;
  deadline: number;
  rotationGraceSeconds: number;
  onProgress(p: DriveProgress): void;
  /** What the cluster names that is not Ready yet (a parameter group, ...): it waits for it first. */
  waitFor?: () => string | undefined;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type DriveOutcome = Outcome<ElastiCacheClusterStatus>;

const MAX_POLL_MS = 10_000;
/** A failure whose retry is this far away needs the user (credentials, IAM, a rejected spec). */
const USER_FIX_MS = 60_000;

export function driveCluster(o: DriveOptions): Promise<DriveOutcome> {
  const now = o.now ?? Date.now;
  const step = async (status: ElastiCacheClusterStatus, first: boolean) => {
    const result = await clusterStep({
      owner: {
        namespace: o.stored.metadata.namespace,
        name: o.stored.metadata.name,
        uid: o.stored.metadata.uid,
      },
      generation: o.stored.metadata.generation,
      spec: o.cluster.spec,
      status,
      deleting: o.deleting,
      adopt: o.cluster.metadata.annotations?.[ADOPT_ANNOTATION] === "true",
      defaultTags: o.defaultTags,
      ...(o.authToken !== undefined ? { authToken: o.authToken } : {}),
      fingerprint: o.fingerprint ?? NO_TOKEN_FINGERPRINT,
      gateway: o.gateway,
      now: new Date(now()),
      rotationGraceSeconds: o.rotationGraceSeconds,
      checkTags: first,
    });
    const warning = result.events.some((e) => e.type === "Warning");
    const retryMs = result.requeueAfterMs;
    return {
      ...result,
      releasedMessage: result.events.find((e) => e.reason === "Retained" || e.reason === "OrphanTagsLeft")
        ?.message,
      done: result.status.ready === true && result.action.type === "none" && !o.deleting,
      needsUser:
        (warning && (retryMs === undefined || retryMs >= USER_FIX_MS)) ||
        (retryMs === undefined && !result.status.ready),
      submitted: isSubmitted(result),
      phase: phaseOf(result),
      awsStatus: result.status.clusterStatus ?? (o.deleting ? "gone" : "-"),
    };
  };
  return driveLoop<ElastiCacheClusterStatus>(o, {
    waiting: () => {
      const message = o.deleting ? undefined : o.waitFor?.();
      return message === undefined ? undefined : { phase: "WaitingForReference", message };
    },
    step,
    awsStatus: () => "-",
    releasedMessage:
      o.cluster.spec.deletionPolicy === "Orphan"
        ? `deletionPolicy Orphan: ${o.cluster.spec.clusterID} is left running in AWS without infra-operator's tags`
        : `${o.cluster.spec.clusterID} was deleted in AWS`,
    defaultPollMs: 5000,
    maxPollMs: MAX_POLL_MS,
  });
}

function isSubmitted(result: ClusterStepResult): boolean {
  return !["none", "wait", "readTags"].includes(result.action.type);
}

function phaseOf(result: ClusterStepResult): string {
  // Right after a change AWS may still say available: name the change, not the old state.
  if (isSubmitted(result)) {
    const event = result.events.find((e) => e.type === "Normal");
    if (event) return event.reason;
  }
  const ready = result.status.conditions?.find((c) => c.type === "Ready");
  return ready?.reason ?? "Pending";
}
