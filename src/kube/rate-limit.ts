// The operator's bound on API server requests (`run --kube-api-qps`, `--kube-api-burst`), as
// client-go's token bucket: `burst` requests at once, then `qps` a second. Requests wait their turn
// in order; watches (long-lived, one per informer) are not counted. A fleet-wide event (a provider
// turning Ready wakes all its clusters) then spreads its status writes instead of hitting the API
// server with thousands at once.
import { type Clock, sleep, systemClock } from "./clock.ts";

export interface RateLimit {
  /** Requests per second, sustained; 0 or less: unlimited. */
  qps: number;
  /** Requests allowed at once after a quiet time (at least 1). */
  burst: number;
}

export class TokenBucket {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAt: number;

  constructor(limit: RateLimit, clock: Clock = systemClock) {
    this.#qps = limit.qps;
    this.#burst = Math.max(1, Math.floor(limit.burst));
    this.#clock = clock;
    this.#tokens = this.#burst;
    this.#updatedAt = clock.now();
  }

  /** How long the caller must wait before its request (reserves its token now, in call order). */
  reserve(): number {
    if (this.#qps <= 0) return 0;
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#qps);
    this.#updatedAt = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#qps) * 1000);
  }

  /** Waits for a token (the wait ends early, without the request, when `signal` aborts). */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(this.#clock, wait, signal);
  }
}
