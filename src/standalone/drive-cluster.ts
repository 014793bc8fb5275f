// Drives one ElastiCacheCluster with the operator's own reconcile step until it is Ready (or gone,
// when deleting), stores status and events after every step, and stops on what only the user can
// fix. Sleeps what the step asks (requeueAfterMs), with exponential backoff on retryable failures.
import type { ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import type { ElastiCacheCluster } from "../api/objects.ts";
import { ADOPT_ANNOTATION } from "../engine/ownership.ts";
import { NO_TOKEN_FINGERPRINT, type TokenFingerprint } from "../engine/token-fingerprint.ts";
import { type ClusterStepResult, clusterStep } from "../reconcile/cluster-step.ts";
import type { CacheGateway } from "../reconcile/gateway.ts";
import { type StateStore, type StoredObject, withEvents } from "./state-store.ts";

export interface DriveProgress {
  name: string;
  /** Ready, or the Ready condition's reason (Creating, Modifying, Deleting, ...). */
  phase: string;
  awsStatus: string;
  message: string;
  elapsedMs: number;
}

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

export interface DriveOutcome {
  ok: boolean;
  /** Ready / deleted / submitted, or what went wrong and what to do. */
  message: string;
  status: ElastiCacheClusterStatus;
  /** Deletion finished and the object left the state dir. */
  released: boolean;
}

const MAX_STEPS = 10_000;
const MAX_POLL_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;
/** Retryable failures in a row (about a minute of backoff) before giving up. */
const MAX_FAILURES = 7;
/** A failure whose retry is this far away needs the user (credentials, IAM, a rejected spec). */
const USER_FIX_MS = 60_000;

export async function driveCluster(o: DriveOptions): Promise<DriveOutcome> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  let failures = 0;
  for (let i = 0; i < MAX_STEPS; i++) {
    const status = (o.stored.status ?? {}) as ElastiCacheClusterStatus;
    const waiting = o.deleting ? undefined : o.waitFor?.();
    if (waiting !== undefined) {
      o.onProgress({
        name: o.stored.metadata.name,
        phase: "WaitingForReference",
        awsStatus: "-",
        message: waiting,
        elapsedMs: now() - started,
      });
      if (now() + 1000 > o.deadline)
        return { ok: false, message: `${waiting} (timed out waiting)`, status, released: false };
      await sleep(1000);
      i--;
      continue;
    }
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
      checkTags: i === 0,
    });
    o.stored.status = result.status as Record<string, unknown>;
    o.stored.events = withEvents(o.stored.events, result.events, new Date(now()));
    if (o.deleting && result.release) {
      o.store.remove("ElastiCacheCluster", o.stored.metadata.namespace, o.stored.metadata.name);
      const message = result.events.find(
        (e) => e.reason === "Retained" || e.reason === "OrphanTagsLeft",
      )?.message;
      report(o, result, "Deleted", now() - started);
      return { ok: true, message: message ?? releasedMessage(o), status: result.status, released: true };
    }
    o.store.put(o.stored);
    const ready = result.status.ready === true && result.action.type === "none" && !o.deleting;
    report(o, result, ready ? "Ready" : phaseOf(result), now() - started);
    if (ready) return { ok: true, message: "Ready", status: result.status, released: false };

    const warning = result.events.find((e) => e.type === "Warning");
    if (result.backoff) {
      failures++;
      if (failures >= MAX_FAILURES) return failed(result, `gave up after ${failures} failed attempts`);
    } else {
      failures = 0;
      if (warning && (result.requeueAfterMs === undefined || result.requeueAfterMs >= USER_FIX_MS)) {
        return failed(result);
      }
      if (result.requeueAfterMs === undefined && !result.status.ready) return failed(result);
    }
    if (!o.wait && (isSubmitted(result) || result.status.ready)) {
      return { ok: true, message: "submitted (not waiting)", status: result.status, released: false };
    }
    const delay = result.backoff
      ? Math.min(1000 * 2 ** (failures - 1), MAX_BACKOFF_MS)
      : Math.min(result.requeueAfterMs ?? 5000, MAX_POLL_MS);
    if (now() + delay > o.deadline) {
      return failed(result, "timed out waiting (raise --timeout, or run the same command again to resume)");
    }
    await sleep(delay);
  }
  return {
    ok: false,
    message: "too many steps",
    status: (o.stored.status ?? {}) as ElastiCacheClusterStatus,
    released: false,
  };
}

function isSubmitted(result: ClusterStepResult): boolean {
  return !["none", "wait", "readTags"].includes(result.action.type);
}

function failed(result: ClusterStepResult, extra?: string): DriveOutcome {
  const synced = result.status.conditions?.find((c) => c.type === "Synced");
  const ready = result.status.conditions?.find((c) => c.type === "Ready");
  const cause = synced?.status === "False" ? synced : ready;
  const message = cause ? `${cause.reason}: ${cause.message}` : "not ready";
  return {
    ok: false,
    message: extra ? `${message} (${extra})` : message,
    status: result.status,
    released: false,
  };
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

function releasedMessage(o: DriveOptions): string {
  return o.cluster.spec.deletionPolicy === "Orphan"
    ? `deletionPolicy Orphan: ${o.cluster.spec.clusterID} is left running in AWS without infra-operator's tags`
    : `${o.cluster.spec.clusterID} was deleted in AWS`;
}

function report(o: DriveOptions, result: ClusterStepResult, phase: string, elapsedMs: number): void {
  const ready = result.status.conditions?.find((c) => c.type === "Ready");
  o.onProgress({
    name: o.stored.metadata.name,
    phase,
    awsStatus: result.status.clusterStatus ?? (o.deleting ? "gone" : "-"),
    message: ready?.message ?? "",
    elapsedMs,
  });
}
