// Leader election on a coordination.k8s.io/v1 Lease, following client-go's algorithm, so only
// one replica reconciles at a time.
//
// - A candidate takes the Lease when it is free (no holder: released) or expired. Expiry is
//   judged on the local clock from when this candidate last saw the record change, not from the
//   timestamps in it, so clock skew between machines cannot make two leaders.
// - Every write is a PUT with the resourceVersion read, so two candidates racing for the same
//   Lease cannot both win (the loser gets 409 Conflict).
// - The leader renews every `retryPeriodMs`; if it cannot renew for `renewDeadlineMs` (less than
//   the lease duration, so it stops before anyone else may start), it has lost: the leading
//   signal aborts, `onStoppedLeading` runs, and `run()` returns. The operator should then exit
//   and start afresh rather than keep working as a non-leader.
// - `holdsLease()` is the fence: true only while the last successful renewal *started* less than
//   `renewDeadlineMs` ago on this process's monotonic clock. A process that was paused (SIGSTOP,
//   a long GC, a frozen VM) answers false the moment it wakes, before its renew loop has had a
//   chance to run, and gives up leadership right there. Others wait a full lease duration from
//   when they saw the last renewal, which is later than when it started, so the fence closes
//   at least `leaseDurationMs - renewDeadlineMs` before anyone else may lead.
// - `stop()` releases the Lease (empty holder), so a successor takes over at once instead of
//   waiting out the lease duration.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { type Clock, sleep, systemClock } from "./clock.ts";
import { type Logger, silentLogger } from "./logger.ts";
import { coreResources, resourcePath } from "./resource.ts";
import { isAlreadyExists, isConflict, isNotFound, type KubeObject, type KubeRest } from "./rest.ts";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

export interface LeaderElectionOptions {
  rest: KubeRest;
  namespace: string;
  /** Lease name, e.g. "infra-operator-leader". */
  name: string;
  /** This candidate; default host name plus a random suffix (unique per process). */
  identity?: string;
  /** How long a Lease is valid without renewal. Default 15 s. */
  leaseDurationMs?: number;
  /** The leader gives up if it cannot renew for this long. Default 10 s. */
  renewDeadlineMs?: number;
  /** Time between attempts (acquire and renew). Default 2 s. */
  retryPeriodMs?: number;
  /** Called once leadership is acquired; `signal` aborts when it ends (lost or stopped). */
  onStartedLeading: (signal: AbortSignal) => void;
  /** Called once when leadership ends after having started. */
  onStoppedLeading?: () => void;
  /** Called when the observed leader changes (including to this candidate). */
  onNewLeader?: (identity: string) => void;
  clock?: Clock;
  /**
   * Monotonic milliseconds for the renew deadline and the fence (wall-clock steps must not extend
   * a lease). Default: `performance.now`, or the clock's `now` when a clock is given (fake clocks).
   */
  monotonicNow?: () => number;
  logger?: Logger;
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export class LeaderElector {
  readonly identity: string;
  readonly #o: Required<
    Omit<LeaderElectionOptions, "onStoppedLeading" | "onNewLeader" | "identity" | "monotonicNow">
  > &
    Pick<LeaderElectionOptions, "onStoppedLeading" | "onNewLeader">;
  readonly #monotonicNow: () => number;
  readonly #logger: Logger;
  readonly #stop = new AbortController();
  #leading: AbortController | undefined;
  #observedSpec = "";
  #observedAt = 0;
  #observedHolder = "";
  #lease: Lease | undefined;
  /** Monotonic time at which the last successful acquire or renewal started. */
  #renewStartedAt = Number.NEGATIVE_INFINITY;
  #running: Promise<void> | undefined;

  constructor(options: LeaderElectionOptions) {
    this.identity = options.identity ?? `${hostname()}_${randomBytes(4).toString("hex")}`;
    this.#o = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      clock: systemClock,
      logger: silentLogger,
      ...options,
    };
    const clock = options.clock;
    this.#monotonicNow = options.monotonicNow ?? (clock ? () => clock.now() : () => performance.now());
    if (this.#o.renewDeadlineMs >= this.#o.leaseDurationMs) {
      throw new Error("leader election: renewDeadlineMs must be shorter than leaseDurationMs");
    }
    this.#logger = this.#o.logger.with({
      lease: `${options.namespace}/${options.name}`,
      identity: this.identity,
    });
  }

  isLeader(): boolean {
    return this.#leading !== undefined && !this.#leading.signal.aborted;
  }

  /**
   * Whether this replica may act as leader at this instant: it leads and renewed within the renew
   * deadline. When the deadline has passed it stops leading here and now (the leading signal
   * aborts), so the workers stop before any further call.
   */
  holdsLease(): boolean {
    if (!this.isLeader()) return false;
    if (this.#monotonicNow() - this.#renewStartedAt < this.#o.renewDeadlineMs) return true;
    this.#logger.error("lost leadership: the Lease was not renewed within the renew deadline", {
      renewDeadlineMs: this.#o.renewDeadlineMs,
    });
    this.#leading?.abort();
    return false;
  }

  /** The holder last seen in the Lease ("" when free or not yet read). */
  observedLeader(): string {
    return this.#observedHolder;
  }

  /**
   * Campaigns until it leads, then renews until it loses or `stop()` is called. Resolves when
   * leadership has ended (or stop was called before it began).
   */
  run(): Promise<void> {
    this.#running ??= this.#run();
    return this.#running;
  }

  /** Stops campaigning or leading; releases the Lease if held (unless `release` is false). */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.#stop.abort();
    await this.#running;
    if (options.release !== false) await this.#release();
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      if (await this.#attempt("acquire")) break;
      await sleep(this.#o.clock, jitter(this.#o.retryPeriodMs), signal);
    }
    if (signal.aborted) return;
    this.#logger.info("became leader");
    const leading = new AbortController();
    this.#leading = leading;
    try {
      this.#o.onStartedLeading(leading.signal);
    } catch (err) {
      this.#logger.error("onStartedLeading threw", { err });
    }
    const stopOrLost = AbortSignal.any([signal, leading.signal]);
    while (!stopOrLost.aborted) {
      await sleep(this.#o.clock, this.#o.retryPeriodMs, stopOrLost);
      if (stopOrLost.aborted) break;
      if (await this.#attempt("renew")) continue;
      if (leading.signal.aborted) break; // the fence found the deadline passed meanwhile
      if (this.#monotonicNow() - this.#renewStartedAt >= this.#o.renewDeadlineMs) {
        this.#logger.error("lost leadership: could not renew the Lease within the renew deadline", {
          renewDeadlineMs: this.#o.renewDeadlineMs,
          holder: this.#observedHolder,
        });
        break;
      }
    }
    leading.abort();
    try {
      this.#o.onStoppedLeading?.();
    } catch (err) {
      this.#logger.error("onStoppedLeading threw", { err });
    }
  }

  // One acquire-or-renew round; true when this candidate holds the Lease afterwards.
  async #attempt(mode: "acquire" | "renew"): Promise<boolean> {
    const started = this.#monotonicNow();
    try {
      const held = await this.#tryAcquireOrRenew();
      if (held) this.#renewStartedAt = started;
      return held;
    } catch (err) {
      this.#logger.warn(`could not ${mode} the Lease`, { err });
      return false;
    }
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { rest, namespace, name, clock } = this.#o;
    const path = resourcePath(coreResources.leases, { namespace, name });
    const timeoutMs = Math.min(this.#o.renewDeadlineMs, 10_000);
    const now = clock.now();
    const leaseSeconds = Math.max(1, Math.round(this.#o.leaseDurationMs / 1000));
    let lease: Lease;
    try {
      lease = await rest.request<Lease>("GET", path, { timeoutMs });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const spec: LeaseSpec = {
        holderIdentity: this.identity,
        leaseDurationSeconds: leaseSeconds,
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: 0,
      };
      try {
        this.#lease = await rest.request<Lease>("POST", resourcePath(coreResources.leases, { namespace }), {
          body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, namespace }, spec },
          timeoutMs,
        });
      } catch (createErr) {
        if (isAlreadyExists(createErr)) return false;
        throw createErr;
      }
      this.#observe(spec, now);
      return true;
    }
    const spec = lease.spec ?? {};
    this.#observe(spec, now);
    const holder = spec.holderIdentity ?? "";
    const durationMs = (spec.leaseDurationSeconds ?? leaseSeconds) * 1000;
    if (holder !== "" && holder !== this.identity && this.#observedAt + durationMs > now) return false;
    const mine = holder === this.identity;
    const next: LeaseSpec = {
      ...spec,
      holderIdentity: this.identity,
      leaseDurationSeconds: leaseSeconds,
      renewTime: microTime(now),
      acquireTime: mine && spec.acquireTime ? spec.acquireTime : microTime(now),
      leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
    };
    try {
      this.#lease = await rest.request<Lease>("PUT", path, { body: { ...lease, spec: next }, timeoutMs });
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
    this.#observe(next, now);
    return true;
  }

  #observe(spec: LeaseSpec, now: number): void {
    const raw = JSON.stringify(spec);
    if (raw !== this.#observedSpec) {
      this.#observedSpec = raw;
      this.#observedAt = now;
    }
    const holder = spec.holderIdentity ?? "";
    if (holder !== this.#observedHolder) {
      this.#observedHolder = holder;
      if (holder !== "") {
        this.#logger.info("observed new leader", { leader: holder });
        try {
          this.#o.onNewLeader?.(holder);
        } catch (err) {
          this.#logger.error("onNewLeader threw", { err });
        }
      }
    }
  }

  // Empties the holder, if we still hold the Lease, so a successor need not wait for expiry.
  async #release(): Promise<void> {
    const lease = this.#lease;
    if (lease === undefined || lease.spec?.holderIdentity !== this.identity) return;
    const { rest, namespace, name, clock } = this.#o;
    const now = microTime(clock.now());
    try {
      await rest.request("PUT", resourcePath(coreResources.leases, { namespace, name }), {
        body: {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: "",
            leaseDurationSeconds: 1,
            renewTime: now,
            acquireTime: now,
          },
        },
        timeoutMs: 5_000,
      });
      this.#lease = undefined;
      this.#logger.info("released the Lease");
    } catch (err) {
      // Someone else holds it by now (conflict), or the API is unreachable: it expires on its own.
      this.#logger.warn("could not release the Lease; it will expire by itself", { err });
    }
  }
}

// Spreads candidates' retries so they do not hit the API server in lockstep.
function jitter(ms: number): number {
  return ms * (1 + Math.random() * 0.2);
}
