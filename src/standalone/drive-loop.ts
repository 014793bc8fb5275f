// The standalone CLI's one loop for every kind, as the operator has one controller shell: wait for
// what the object names (or, deleting, for what still uses it), step, store status and events,
// stop on Ready, on deletion carried out, or on what only the user can fix; sleep what the step
// asks, with exponential backoff on retryable failures, until the deadline. What differs per kind
// (its step, when it is Ready, what needs the user) is a DriveAdapter: drive-cluster.ts for
// ElastiCacheCluster (clusterStep), drive-managed.ts for the family (managedStep).
import { backoffDelay } from "../kube/workqueue.ts";
import { standaloneBackoff } from "../runtime/requeue-policy.ts";
import type { StepEvent } from "../runtime/step.ts";
import { type StateStore, type StoredObject, withEvents } from "./state-store.ts";

export interface DriveProgress {
  name: string;
  /** Ready, or the Ready condition's reason (Creating, Modifying, Deleting, ...). */
  phase: string;
  awsStatus: string;
  message: string;
  elapsedMs: number;
}

interface Conditioned {
  ready?: boolean;
  conditions?: ReadonlyArray<{ type: string; status: string; reason: string; message: string }>;
}

export interface DriveOutcome<Status = Record<string, unknown>> {
  ok: boolean;
  /** Ready / deleted / submitted, or what went wrong and what to do. */
  message: string;
  status: Status;
  /** Deletion finished and the object left the state dir. */
  released: boolean;
}

/** One step, as the loop sees it. */
export interface DriveStep<Status> {
  status: Status;
  events: StepEvent[];
  /** Deletion carried out: the object leaves the state dir. */
  release: boolean;
  /** What the outcome says once released (else "<what> deleted"). */
  releasedMessage?: string;
  /** A retryable failure: exponential backoff, then giving up. */
  backoff: boolean;
  requeueAfterMs?: number;
  /** Ready with nothing left to do: the loop returns. */
  done: boolean;
  /** Only a change of the spec (or of AWS) can fix it: say so and stop. */
  needsUser: boolean;
  /** A change was sent to AWS (without --wait the loop stops there). */
  submitted: boolean;
  /** The progress line's phase when not done. */
  phase: string;
  awsStatus: string;
}

export interface DriveAdapter<Status> {
  /** What must happen first (a reference not Ready; deleting: who still uses it), or undefined. */
  waiting(status: Status): { phase: string; message: string } | undefined;
  /** `first`: the loop's first step (the cluster checks tags then). */
  step(status: Status, first: boolean): Promise<DriveStep<Status>>;
  awsStatus(status: Status): string;
  releasedMessage: string;
  /** The poll when the step names none, and the longest poll. */
  defaultPollMs: number;
  maxPollMs: number;
}

export interface DriveLoopOptions {
  store: StateStore;
  stored: StoredObject;
  deleting: boolean;
  /** Stop after the first step that changed something (or found nothing to do). */
  wait: boolean;
  deadline: number;
  onProgress(p: DriveProgress): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_STEPS = 10_000;
/** Retryable failures in a row (about a minute of backoff) before giving up. */
const MAX_FAILURES = 7;
const WAIT_POLL_MS = 1000;

export async function driveLoop<Status extends Conditioned>(
  o: DriveLoopOptions,
  adapter: DriveAdapter<Status>,
): Promise<DriveOutcome<Status>> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  const { namespace, name } = o.stored.metadata;
  const progress = (phase: string, awsStatus: string, message: string) =>
    o.onProgress({ name, phase, awsStatus, message, elapsedMs: now() - started });
  let failures = 0;
  let steps = 0;
  while (steps < MAX_STEPS) {
    const status = (o.stored.status ?? {}) as Status;
    const waiting = adapter.waiting(status);
    if (waiting !== undefined) {
      progress(waiting.phase, adapter.awsStatus(status), waiting.message);
      if (now() + WAIT_POLL_MS > o.deadline)
        return { ok: false, message: `${waiting.message} (timed out waiting)`, status, released: false };
      await sleep(WAIT_POLL_MS);
      continue;
    }
    const r = await adapter.step(status, steps === 0);
    steps++;
    o.stored.status = r.status as Record<string, unknown>;
    o.stored.events = withEvents(o.stored.events, r.events, new Date(now()));
    const readyMessage = r.status.conditions?.find((c) => c.type === "Ready")?.message ?? "";
    if (r.release) {
      o.store.remove(o.stored.kind, namespace, name);
      progress("Deleted", r.awsStatus, readyMessage);
      return {
        ok: true,
        message: r.releasedMessage ?? adapter.releasedMessage,
        status: r.status,
        released: true,
      };
    }
    o.store.put(o.stored);
    progress(r.done ? "Ready" : r.phase, r.awsStatus, readyMessage);
    if (r.done) return { ok: true, message: "Ready", status: r.status, released: false };
    if (r.backoff) {
      failures++;
      if (failures >= MAX_FAILURES) return failed(r.status, `gave up after ${failures} failed attempts`);
    } else {
      failures = 0;
      if (r.needsUser) return failed(r.status);
    }
    if (!o.wait && (r.submitted || r.status.ready === true))
      return { ok: true, message: "submitted (not waiting)", status: r.status, released: false };
    const delay = r.backoff
      ? backoffDelay(failures, standaloneBackoff.baseMs, standaloneBackoff.capMs)
      : Math.min(r.requeueAfterMs ?? adapter.defaultPollMs, adapter.maxPollMs);
    if (now() + delay > o.deadline)
      return failed(r.status, "timed out waiting (raise --timeout, or run the same command again to resume)");
    await sleep(delay);
  }
  return failed((o.stored.status ?? {}) as Status, "too many steps");
}

/** Not done: the Synced condition's reason and message when it failed, else the Ready one's. */
function failed<Status extends Conditioned>(status: Status, extra?: string): DriveOutcome<Status> {
  const synced = status.conditions?.find((c) => c.type === "Synced");
  const ready = status.conditions?.find((c) => c.type === "Ready");
  const cause = synced?.status === "False" ? synced : ready;
  const message = cause ? `${cause.reason}: ${cause.message}` : "not ready";
  return { ok: false, message: extra ? `${message} (${extra})` : message, status, released: false };
}
