// Runs a reconcile function over a work queue with N workers, with controller-runtime's contract:
//
// - Reconcile is level-based: it gets a key (namespace/name), reads the current state itself and
//   makes the world match. It never sees the event that caused it.
// - It returns `done` (success: the key's backoff resets) or `requeueAfter` (look again later,
//   e.g. while AWS says `creating`; never sooner than `minRequeueMs`, so nothing spins at 0 s).
// - A thrown error is retried with per-key exponential backoff.
// - A thrown `TerminalError` means only a change by the user can help (invalid spec, resource
//   owned by someone else): it is logged and counted, and the key is not retried. Its next
//   informer event (the object changed, or a periodic resync) reconciles it again.
// - One key is never reconciled by two workers at once (the queue guarantees it).
// - Every reconcile has a deadline: its signal aborts then, and the worker stops waiting for it and
//   takes the next key (the key counts as failed and is retried with backoff, but only once the
//   late reconcile has returned). A reconcile that outlives its deadline by far means the operator
//   itself is stuck, which `health()` reports.
// - Keys can be sharded (by tenant, by AWS provider): workers take them shard by shard in turn, at
//   most `maxInFlightPerShard` of one shard at once, so a slow shard delays only its own keys.
import { type Clock, sleep, systemClock } from "./clock.ts";
import type { ControllerMetrics, ReconcileOutcome } from "./controller-metrics.ts";
import type { FairQueueOptions } from "./fair-queue.ts";
import { splitKey } from "./keys.ts";
import { type Logger, silentLogger } from "./logger.ts";
import { type BackoffOptions, WorkQueue } from "./workqueue.ts";

export type ReconcileResult = { kind: "done" } | { kind: "requeueAfter"; ms: number };

export const done: ReconcileResult = { kind: "done" };
export function requeueAfter(ms: number): ReconcileResult {
  return { kind: "requeueAfter", ms };
}

/** An error retrying cannot fix; the controller records it and waits for the object to change. */
export class TerminalError extends Error {
  /** CamelCase reason for conditions and Events, e.g. "InvalidSpec". */
  readonly reason: string;

  constructor(message: string, reason = "TerminalError", options?: ErrorOptions) {
    super(message, options);
    this.name = "TerminalError";
    this.reason = reason;
  }
}

export interface ReconcileRequest {
  key: string;
  namespace: string | undefined;
  name: string;
  /** Logger carrying `controller` and `key`. */
  logger: Logger;
  /**
   * Aborted when the reconcile's deadline passes or shutdown's grace period runs out: stop early
   * and leave the rest to the next run.
   */
  signal: AbortSignal;
}

export type Reconciler = (request: ReconcileRequest) => Promise<ReconcileResult>;

/** The reconcile did not return before its deadline. */
export class ReconcileDeadlineError extends Error {
  constructor(ms: number) {
    super(`reconcile did not finish within its ${Math.round(ms / 1000)} s deadline; retrying`);
    this.name = "ReconcileDeadlineError";
  }
}

export interface ControllerOptions extends FairQueueOptions {
  /** The kind reconciled, e.g. "ElastiCacheCluster": the `kind` metric label and `controller` log field. */
  kind: string;
  reconcile: Reconciler;
  /** Concurrent reconciles (distinct keys). Default 2. */
  workers?: number;
  /** Failure backoff per key. Default 1 s doubling to 5 min. */
  backoff?: BackoffOptions;
  /** Shortest requeue-after honoured. Default 1 s. */
  minRequeueMs?: number;
  /** `health()` reports a stall when keys wait this long with no worker taking one. Default 5 min. */
  stallAfterMs?: number;
  /** The deadline of one reconcile. Default 2 min (below `stallAfterMs`). */
  reconcileTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
  metrics?: ControllerMetrics;
}

export interface RecordedTerminalError {
  error: TerminalError;
  at: number;
}

export class Controller {
  readonly kind: string;
  readonly queue: WorkQueue;
  readonly #reconcile: Reconciler;
  readonly #workers: number;
  readonly #minRequeueMs: number;
  readonly #stallAfterMs: number;
  readonly #reconcileTimeoutMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #metrics: ControllerMetrics | undefined;
  readonly #abort = new AbortController();
  #running: Promise<void>[] = [];
  #started = false;
  #inFlightSince = new Map<string, number>();
  #terminal = new Map<string, RecordedTerminalError>();

  constructor(options: ControllerOptions) {
    this.kind = options.kind;
    this.#reconcile = options.reconcile;
    this.#workers = Math.max(1, options.workers ?? 2);
    this.#minRequeueMs = options.minRequeueMs ?? 1000;
    this.#stallAfterMs = options.stallAfterMs ?? 5 * 60_000;
    this.#reconcileTimeoutMs = options.reconcileTimeoutMs ?? 2 * 60_000;
    this.#clock = options.clock ?? systemClock;
    this.#logger = (options.logger ?? silentLogger).with({ controller: options.kind });
    this.#metrics = options.metrics;
    this.queue = new WorkQueue({
      clock: this.#clock,
      ...options.backoff,
      shardOf: options.shardOf,
      maxInFlightPerShard: options.maxInFlightPerShard,
    });
    this.#metrics?.queueDepth.onCollect(() =>
      this.#metrics?.queueDepth.set({ kind: this.kind }, this.queue.depth()),
    );
  }

  /** Queues `key` for reconcile now. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Queues `key` for reconcile after `ms`. */
  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Starts the workers; keys queued before are processed now. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (let i = 0; i < this.#workers; i++) this.#running.push(this.#work());
    this.#logger.info("controller started", { workers: this.#workers });
  }

  /**
   * Stops taking keys and waits up to `graceMs` for in-flight reconciles to finish; then aborts
   * their signal and waits for them to return (they should, promptly, once aborted).
   */
  async stop(graceMs = 30_000): Promise<void> {
    const drained = this.queue.shutdown();
    // Cancelled once drained, so a pending grace timer cannot keep the process alive.
    const graceOver = new AbortController();
    const timedOut = await Promise.race([
      drained.then(() => false),
      sleep(this.#clock, graceMs, graceOver.signal).then(() => !graceOver.signal.aborted),
    ]);
    graceOver.abort();
    if (timedOut) {
      this.#logger.warn("in-flight reconciles outlived the shutdown grace period; aborting them", {
        keys: [...this.#inFlightSince.keys()],
      });
    }
    this.#abort.abort();
    await Promise.all(this.#running);
    this.#logger.info("controller stopped");
  }

  /** The terminal error last recorded for `key`, until a reconcile of it succeeds or requeues. */
  terminalError(key: string): RecordedTerminalError | undefined {
    return this.#terminal.get(key);
  }

  /** `undefined` when healthy, otherwise why not (for /healthz). */
  health(): string | undefined {
    const now = this.#clock.now();
    // Keys held back by their shard's limit wait for their own shard, not for a stuck operator.
    const depth = this.queue.takeableDepth();
    if (depth > 0 && now - this.queue.lastGetAt() > this.#stallAfterMs) {
      return `${this.kind} queue stalled: ${depth} keys waiting, none taken for ${Math.round((now - this.queue.lastGetAt()) / 1000)} s`;
    }
    for (const [key, since] of this.#inFlightSince) {
      if (now - since > this.#stallAfterMs) {
        return `${this.kind} reconcile of ${key} has been running for ${Math.round((now - since) / 1000)} s`;
      }
    }
    return undefined;
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const { late } = await this.#process(key);
      // A reconcile past its deadline keeps its key (no second reconcile of it starts) until it returns.
      if (late === undefined) this.queue.done(key);
      else void late.then(() => this.queue.done(key));
    }
  }

  /**
   * Runs one reconcile until it returns or its deadline passes. In the second case the reconcile
   * counts as failed and `late` is the promise of its eventual end.
   */
  async #process(key: string): Promise<{ late?: Promise<void> }> {
    const { namespace, name } = splitKey(key);
    const logger = this.#logger.with({ key });
    const started = this.#clock.now();
    this.#inFlightSince.set(key, started);
    const deadline = new AbortController();
    const cancelTimer = this.#clock.setTimer(() => deadline.abort(), this.#reconcileTimeoutMs);
    const passed = new Promise<"deadline">((resolve) =>
      deadline.signal.addEventListener("abort", () => resolve("deadline"), { once: true }),
    );
    const signal = AbortSignal.any([this.#abort.signal, deadline.signal]);
    const running = (async () => this.#reconcile({ key, namespace, name, logger, signal }))();
    let outcome: ReconcileOutcome;
    let late = undefined as Promise<void> | undefined;
    try {
      const result = await Promise.race([running, passed]);
      if (result === "deadline") {
        outcome = this.#onError(key, new ReconcileDeadlineError(this.#reconcileTimeoutMs), logger);
        late = running.then(
          () => {},
          () => {},
        );
        late = late.then(() => {
          this.#inFlightSince.delete(key);
          logger.warn("a reconcile returned after its deadline", {
            seconds: Math.round((this.#clock.now() - started) / 1000),
          });
        });
      } else outcome = this.#onResult(key, result, logger);
    } catch (err) {
      outcome = this.#onError(key, err, logger);
    } finally {
      cancelTimer();
      if (late === undefined) this.#inFlightSince.delete(key);
    }
    const seconds = (this.#clock.now() - started) / 1000;
    this.#metrics?.reconciles.inc({ kind: this.kind, result: outcome });
    this.#metrics?.duration.observe({ kind: this.kind }, seconds);
    return { late };
  }

  #onResult(key: string, result: ReconcileResult, logger: Logger): ReconcileOutcome {
    if (result?.kind === "done") {
      this.queue.forget(key);
      this.#terminal.delete(key);
      logger.debug("reconciled");
      return "success";
    }
    if (result?.kind === "requeueAfter") {
      const ms = Math.max(this.#minRequeueMs, Number.isFinite(result.ms) ? result.ms : 0);
      this.queue.forget(key);
      this.#terminal.delete(key);
      this.queue.addAfter(key, ms);
      logger.debug("reconciled; looking again later", { requeueAfterMs: ms });
      return "requeue";
    }
    return this.#onError(
      key,
      new Error(`reconcile returned ${JSON.stringify(result)}: it must return done or requeueAfter(ms)`),
      logger,
    );
  }

  #onError(key: string, err: unknown, logger: Logger): ReconcileOutcome {
    if (err instanceof TerminalError) {
      this.queue.forget(key);
      this.#terminal.set(key, { error: err, at: this.#clock.now() });
      logger.error("reconcile failed; not retrying until the object changes", {
        reason: err.reason,
        err,
      });
      return "terminal";
    }
    const delayMs = this.queue.addRateLimited(key);
    logger.warn("reconcile failed; retrying", {
      err: err instanceof Error ? err : String(err),
      retryInMs: delayMs,
      failures: this.queue.numRequeues(key),
    });
    return "error";
  }
}
