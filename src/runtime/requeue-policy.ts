// When the runtime looks at an object again, in one place and injected (the controllers and the
// CLI take it as an option), as controller-runtime injects its rate limiter. Failures that need a
// retry soon use the controller's exponential backoff instead (StepResult.backoff).

export interface RequeuePolicy {
  /** After a mutating call: AWS usually reports the new state within seconds. */
  afterActionMs: number;
  /** While AWS is still working (creating, modifying, deleting): `waits` is how many looks so far. */
  whileWaitingMs(waits: number): number;
  /** Something only a change of the object or of AWS can fix (invalid spec, not owned). */
  blockedMs: number;
  /** A missing reference or Secret: its creation enqueues the object too, this is a safety net. */
  missingInputMs: number;
}

export const defaultRequeuePolicy: RequeuePolicy = {
  afterActionMs: 2_000,
  // 2, 4, 8, 15, 15, ... seconds: fast for the common short waits, bounded for long ones.
  whileWaitingMs: (waits) => Math.min(15_000, 2_000 * 2 ** Math.min(waits, 3)),
  blockedMs: 5 * 60_000,
  missingInputMs: 60_000,
};
