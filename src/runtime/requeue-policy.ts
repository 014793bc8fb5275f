// When the runtime looks at an object again, in one place and injected (the controllers, the
// steps and the CLI take it as an option), as controller-runtime injects its rate limiter.
// Retryable failures (throttling, AWS unreachable) use exponential backoff instead: the work
// queue's in the operator, the drive loop's in the CLI, both from `backoff` below.

export interface RequeuePolicy {
  /** After a mutating call: AWS usually reports the new state within seconds. */
  afterActionMs: number;
  /**
   * While AWS is still working (creating, modifying, deleting): `looks` is how many looks so far,
   * `waitingMs` how long the object has been waiting (since Ready went False).
   */
  whileWaitingMs(wait: { looks: number; waitingMs: number }): number;
  /** Something only a change of the object or of AWS can fix (invalid spec, not owned, denied). */
  blockedMs: number;
  /**
   * A missing or unready reference or Secret: its own change enqueues the object, this is a safety
   * net on top (undefined: none).
   */
  missingInputMs: number | undefined;
  /** The fingerprint key's Secret cannot be read or made (RBAC, API server): try again after. */
  keyUnavailableMs: number;
  /** AWS refused a call in the resource's current state (InvalidState): it is busy, soon free. */
  awsBusyMs: number;
  /** A resource AWS just reported (or was just asked to make) is not found yet. */
  notFoundMs: number;
  /** Retryable failures: `baseMs * 2^(failures-1)`, at most `capMs`. */
  backoff: { baseMs: number; capMs: number };
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** The family kinds (src/kinds/): few objects, short AWS transitions. */
export const defaultRequeuePolicy: RequeuePolicy = {
  afterActionMs: 2 * SECOND,
  // 2, 4, 8, 15, 15, ... seconds: fast for the common short waits, bounded for long ones.
  whileWaitingMs: ({ looks }) => Math.min(15 * SECOND, 2 * SECOND * 2 ** Math.min(looks, 3)),
  blockedMs: 5 * MINUTE,
  missingInputMs: MINUTE,
  keyUnavailableMs: MINUTE,
  awsBusyMs: 5 * SECOND,
  notFoundMs: SECOND,
  backoff: { baseMs: SECOND, capMs: 5 * MINUTE },
};

/**
 * ElastiCacheCluster: by time waited rather than looks, as a cache's create or modify runs
 * seconds on the local cloud and up to tens of minutes on AWS; a quick first look after a call,
 * then 1 s for 10 s, 5 s to a minute, 15 s to ten minutes, 30 s after. Its waits are answered by
 * the provider's batched observation (one listing serves every waiting cache), so short looks
 * cost no call of their own.
 */
export const clusterRequeuePolicy: RequeuePolicy = {
  ...defaultRequeuePolicy,
  afterActionMs: SECOND,
  // A fleet's references and Secrets wake their caches through the informers' events alone.
  missingInputMs: undefined,
  keyUnavailableMs: 30 * SECOND,
  whileWaitingMs: ({ waitingMs }) => {
    if (waitingMs < 10 * SECOND) return SECOND;
    if (waitingMs < MINUTE) return 5 * SECOND;
    if (waitingMs < 10 * MINUTE) return 15 * SECOND;
    return 30 * SECOND;
  },
};

/** The CLI gives up sooner than the operator: a command's retries stay within a minute or so. */
export const standaloneBackoff: RequeuePolicy["backoff"] = { baseMs: SECOND, capMs: 30 * SECOND };

/** How long an object has been waiting: since its Ready condition went False (0 when Ready). */
export function waitingMs(
  status: { conditions?: readonly { type: string; status: string; lastTransitionTime: string }[] },
  now: Date,
): number {
  const ready = status.conditions?.find((c) => c.type === "Ready");
  if (!ready || ready.status === "True") return 0;
  return Math.max(0, now.getTime() - new Date(ready.lastTransitionTime).getTime());
}
