// Recovery on signal, not on timers: when a provider's AWS endpoint stops answering, the objects
// that failed on it back off (up to minutes, per the work queue). Without help they would notice
// AWS is back only when their own timers fire. This keeps, per provider, the keys waiting on it;
// while any wait, one of them (the canary) is reconciled every `probeIntervalMs` (jittered). The
// first step that gets an answer from AWS for that provider releases every waiting key at once:
// backoff forgotten, queued again, in paced batches so a long outage does not end in a stampede.
import { type CancelTimer, type Clock, systemClock } from "../kube/clock.ts";
import { jittered } from "../kube/workqueue.ts";

export interface AwsRecoveryOptions {
  /** Queue a key now (the controller's enqueue). */
  enqueue: (key: string) => void;
  /** Reset a key's failure count, so its next failure waits the base delay again. */
  forget: (key: string) => void;
  clock?: Clock;
  /** How often a canary is sent while a provider's AWS does not answer. Default 2 s. */
  probeIntervalMs?: number;
  /** Keys released per batch, and the pause between batches. Default 20 per 100 ms. */
  batchSize?: number;
  batchPauseMs?: number;
  /** Source of the probe jitter (tests pin it). Default Math.random. */
  random?: () => number;
}

export class AwsRecovery {
  readonly #o: Required<Omit<AwsRecoveryOptions, "clock">>;
  readonly #clock: Clock;
  readonly #waiting = new Map<string, Set<string>>();
  readonly #probes = new Map<string, CancelTimer>();
  readonly #releases = new Set<CancelTimer>();

  constructor(options: AwsRecoveryOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#o = { probeIntervalMs: 2_000, batchSize: 20, batchPauseMs: 100, random: Math.random, ...options };
  }

  /** `key` failed because `provider`'s AWS did not answer (unreachable, or failing on its side). */
  waiting(provider: string, key: string): void {
    let keys = this.#waiting.get(provider);
    if (keys === undefined) {
      keys = new Set();
      this.#waiting.set(provider, keys);
    }
    keys.add(key);
    if (!this.#probes.has(provider)) this.#scheduleProbe(provider);
  }

  /** A step of `key` got answers from `provider`'s AWS: release everything waiting on it. */
  answered(provider: string, key: string): void {
    const keys = this.#waiting.get(provider);
    if (keys === undefined) return;
    keys.delete(key);
    this.#waiting.delete(provider);
    this.#probes.get(provider)?.();
    this.#probes.delete(provider);
    this.#release([...keys]);
  }

  /** The object is gone (or no longer uses AWS): stop counting it as waiting. */
  drop(key: string): void {
    for (const [provider, keys] of this.#waiting) {
      if (!keys.delete(key) || keys.size > 0) continue;
      this.#waiting.delete(provider);
      this.#probes.get(provider)?.();
      this.#probes.delete(provider);
    }
  }

  /** Keys waiting on `provider` (for tests and metrics). */
  waitingOn(provider: string): string[] {
    return [...(this.#waiting.get(provider) ?? [])];
  }

  stop(): void {
    for (const cancel of this.#probes.values()) cancel();
    for (const cancel of this.#releases) cancel();
    this.#probes.clear();
    this.#releases.clear();
    this.#waiting.clear();
  }

  #scheduleProbe(provider: string): void {
    const cancel = this.#clock.setTimer(
      () => {
        const canary = this.#waiting.get(provider)?.values().next().value;
        if (canary === undefined) {
          this.#probes.delete(provider);
          return;
        }
        this.#o.forget(canary);
        this.#o.enqueue(canary);
        this.#scheduleProbe(provider);
      },
      jittered(this.#o.probeIntervalMs * 1.5, this.#o.random),
    );
    this.#probes.set(provider, cancel);
  }

  #release(keys: string[]): void {
    const batch = keys.splice(0, this.#o.batchSize);
    for (const key of batch) {
      this.#o.forget(key);
      this.#o.enqueue(key);
    }
    if (keys.length === 0) return;
    const cancel = this.#clock.setTimer(() => {
      this.#releases.delete(cancel);
      this.#release(keys);
    }, this.#o.batchPauseMs);
    this.#releases.add(cancel);
  }
}
