// The work queue controllers pull keys from. Its contract follows client-go's rate-limited
// delaying queue, which controllers are written against:
//
// - A key is in the queue at most once: adding a queued key again is a no-op (de-duplication).
// - A key is handed to at most one worker at a time. Adding a key while it is being processed
//   marks it dirty; it is queued once more when the worker calls `done`, so no change is lost
//   and no two workers reconcile the same object concurrently.
// - `addAfter(key, ms)` queues the key later; if it is already waiting, the earlier time wins.
// - `addRateLimited(key)` waits base * 2^(failures) capped at `capMs`; `forget(key)` resets the
//   failure count (call it on success).
// - Ready keys are handed out fairly across shards (fair-queue.ts): in turn, one shard after the
//   other, with at most `maxInFlightPerShard` keys of a shard in flight. Without `shardOf`, FIFO.
// - `shutdown()` stops handing out keys (waiting and queued keys are dropped: the informers of
//   the next run or the next leader produce them again) and resolves once in-flight keys are done.
import { type CancelTimer, type Clock, systemClock } from "./clock.ts";
import { FairQueue, type FairQueueOptions } from "./fair-queue.ts";

export interface BackoffOptions {
  /** First retry delay after a failure. Default 1 s. */
  baseMs?: number;
  /** Longest retry delay. Default 5 min. */
  capMs?: number;
}

export interface WorkQueueOptions extends BackoffOptions, FairQueueOptions {
  clock?: Clock;
}

/** Exponential backoff: base * 2^(failures-1), capped. `failures` counts from 1. */
export function backoffDelay(failures: number, baseMs: number, capMs: number): number {
  if (failures <= 0) return 0;
  // Cap the exponent too, so huge failure counts cannot overflow to Infinity.
  const exp = Math.min(failures - 1, 52);
  return Math.min(capMs, baseMs * 2 ** exp);
}

/** `ms` scaled to a random 50-100 %: retries of many clients spread out instead of arriving together. */
export function jittered(ms: number, random: () => number = Math.random): number {
  return ms * (0.5 + random() * 0.5);
}

export class WorkQueue {
  readonly #clock: Clock;
  readonly #baseMs: number;
  readonly #capMs: number;
  // Keys ready to be handed out, by shard.
  readonly #ready: FairQueue;
  #processing = new Set<string>();
  // Keys added while being processed; queued again on `done`.
  #dirty = new Set<string>();
  #waiting = new Map<string, { due: number; cancel: CancelTimer }>();
  #failures = new Map<string, number>();
  #getters: Array<(key: string | undefined) => void> = [];
  #shuttingDown = false;
  #drained: Array<() => void> = [];
  #lastGetAt: number;

  constructor(options: WorkQueueOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#baseMs = options.baseMs ?? 1000;
    this.#capMs = options.capMs ?? 5 * 60_000;
    this.#lastGetAt = this.#clock.now();
    this.#ready = new FairQueue(options);
  }

  /** Queues `key` now (no-op if already queued; deferred if being processed). */
  add(key: string): void {
    if (this.#shuttingDown) return;
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#ready.has(key)) return;
    this.#ready.push(key);
    this.#handOut();
  }

  /** Gives ready keys to blocked `get` calls while both remain. */
  #handOut(): void {
    while (this.#getters.length > 0) {
      const key = this.#take();
      if (key === undefined) return;
      (this.#getters.shift() as (key: string) => void)(key);
    }
  }

  #take(): string | undefined {
    const key = this.#ready.take();
    if (key === undefined) return undefined;
    this.#processing.add(key);
    this.#lastGetAt = this.#clock.now();
    return key;
  }

  /** Queues `key` after `ms`; when it is already waiting, the earlier of the two times wins. */
  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const due = this.#clock.now() + ms;
    const existing = this.#waiting.get(key);
    if (existing !== undefined) {
      if (existing.due <= due) return;
      existing.cancel();
    }
    const cancel = this.#clock.setTimer(() => {
      this.#waiting.delete(key);
      this.add(key);
    }, ms);
    this.#waiting.set(key, { due, cancel });
  }

  /** Queues `key` after its backoff delay and counts one more failure. Returns the delay. */
  addRateLimited(key: string): number {
    const failures = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, failures);
    const delay = backoffDelay(failures, this.#baseMs, this.#capMs);
    this.addAfter(key, delay);
    return delay;
  }

  /** Resets the failure count of `key` (its next failure waits `baseMs` again). */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  /** Consecutive failures counted for `key`. */
  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /**
   * The next key, once one is ready; `undefined` once the queue is shut down. The caller owns the
   * key until it calls `done(key)`.
   */
  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    const key = this.#take();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Ends processing of `key`; if it was added meanwhile, it is queued again now. */
  done(key: string): void {
    if (!this.#processing.delete(key)) return;
    this.#ready.release(key);
    if (this.#dirty.delete(key)) this.add(key);
    // Its shard may be under its limit again.
    this.#handOut();
    if (this.#processing.size === 0) for (const resolve of this.#drained.splice(0)) resolve();
  }

  /** Keys ready and waiting for a worker (the queue depth gauge). */
  depth(): number {
    return this.#ready.size;
  }

  /** Ready keys a free worker could take now (not held back by their shard's in-flight limit). */
  takeableDepth(): number {
    return this.#ready.takeable();
  }

  /** Keys scheduled for later (requeue-after and backoff). */
  waitingCount(): number {
    return this.#waiting.size;
  }

  /** Keys being processed right now. */
  inFlight(): number {
    return this.#processing.size;
  }

  /** When a worker last took a key (or when the queue was made); for stall detection. */
  lastGetAt(): number {
    return this.#lastGetAt;
  }

  isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * Stops the queue: pending and scheduled keys are dropped, blocked `get` calls return
   * `undefined`, and the returned promise resolves when every in-flight key is `done`.
   */
  shutdown(): Promise<void> {
    this.#shuttingDown = true;
    for (const { cancel } of this.#waiting.values()) cancel();
    this.#waiting.clear();
    this.#ready.clearReady();
    this.#dirty.clear();
    for (const resolve of this.#getters.splice(0)) resolve(undefined);
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }
}
