// Fault injection for reliability tests: a share of requests answered Throttling (400) or
// ServiceUnavailable (503) (or the first N answered Throttling), and added latency, optionally
// limited to some actions.
import { type FaultConfig, faultsSchema } from "../config.ts";
import { AwsError } from "../protocol/errors.ts";

export class FaultInjector {
  #config: FaultConfig;
  #throttled = 0;
  readonly #random: () => number;

  constructor(config: FaultConfig, random: () => number = Math.random) {
    this.#config = config;
    this.#random = random;
  }

  get config(): FaultConfig {
    return this.#config;
  }

  /** Replaces the settings; throws a readable error naming the bad field. */
  update(input: unknown): FaultConfig {
    const parsed = faultsSchema.safeParse(input);
    if (!parsed.success)
      throw new Error(
        `invalid faults: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    this.#config = parsed.data;
    this.#throttled = 0;
    return this.#config;
  }

  #applies(action: string): boolean {
    return this.#config.actions === undefined || this.#config.actions.includes(action);
  }

  latencyMs(action: string): number {
    return this.#applies(action) ? this.#config.latencyMs : 0;
  }

  /** The injected error for this request, if any. */
  pick(action: string): AwsError | undefined {
    if (!this.#applies(action)) return undefined;
    const first = this.#throttled < this.#config.throttleFirst;
    if (first) this.#throttled++;
    const r = this.#random();
    if (first || r < this.#config.throttleRate)
      return new AwsError("Throttling", "Rate exceeded (injected by the local cloud)", 400);
    if (r < this.#config.throttleRate + this.#config.unavailableRate) {
      return new AwsError("ServiceUnavailable", "Service is unavailable (injected by the local cloud)", 503);
    }
    return undefined;
  }
}
