// Runs informers and controllers together, in the right order, optionally only while holding
// leadership. This is the life cycle `infra-operator run` needs:
//
//   start: (become leader) -> informers start -> all synced -> controllers start
//   stop (SIGTERM, the signal passed to run): controllers stop (in-flight reconciles finish
//         within the grace period) -> informers stop -> Lease released, so a standby replica
//         takes over at once
//   leadership lost: everything stops and run() resolves "lost-leadership"; the process should
//         exit (non-zero) and be restarted rather than carry on as a non-leader.
import type { Controller } from "./controller.ts";
import { livenessChecks, readinessChecks } from "./health-checks.ts";
import type { HealthCheck } from "./health-server.ts";
import { type LeaderElectionOptions, LeaderElector } from "./leader-election.ts";
import { type Logger, silentLogger } from "./logger.ts";
import type { ResourceType } from "./resource.ts";

export type ManagerOutcome = "stopped" | "lost-leadership";

/** What the manager needs of an informer (any `Informer<T>` fits). */
export interface ManagedInformer {
  readonly type: ResourceType;
  start(): void;
  stop(): Promise<void>;
  waitForSync(): Promise<void>;
  hasSynced(): boolean;
  health(): string | undefined;
}

export interface ManagerOptions {
  informers: ReadonlyArray<ManagedInformer>;
  controllers: ReadonlyArray<Controller>;
  /** Lease settings; without them this process leads unconditionally. */
  leaderElection?: Omit<LeaderElectionOptions, "onStartedLeading" | "onStoppedLeading" | "logger">;
  /** How long in-flight reconciles may finish on shutdown. Default 30 s. */
  shutdownGraceMs?: number;
  logger?: Logger;
}

export class Manager {
  readonly elector: LeaderElector | undefined;
  readonly #informers: ReadonlyArray<ManagedInformer>;
  readonly #controllers: ReadonlyArray<Controller>;
  readonly #graceMs: number;
  readonly #logger: Logger;
  #leading: AbortSignal | undefined;
  #stop: AbortSignal | undefined;
  #workload: Promise<void> | undefined;

  constructor(options: ManagerOptions) {
    this.#informers = options.informers;
    this.#controllers = options.controllers;
    this.#graceMs = options.shutdownGraceMs ?? 30_000;
    this.#logger = options.logger ?? silentLogger;
    if (options.leaderElection) {
      this.elector = new LeaderElector({
        ...options.leaderElection,
        logger: this.#logger,
        onStartedLeading: (leading) => {
          this.#leading = leading;
          // Wind down on shutdown as well as on lost leadership; on shutdown the Lease keeps
          // being renewed until the workload is down, so no successor starts while we finish.
          const until = this.#stop ? AbortSignal.any([leading, this.#stop]) : leading;
          this.#workload = this.#runWorkload(until);
        },
      });
    }
  }

  /** For /healthz: informers alive, queues not stalled. */
  liveness(): HealthCheck[] {
    return livenessChecks(this.#informers, this.#controllers);
  }

  /** For /readyz: informers synced (a standby replica counts as ready). */
  readiness(): HealthCheck[] {
    return readinessChecks(this.#informers, this.elector);
  }

  /** Runs until `stop` aborts (resolves "stopped") or leadership is lost ("lost-leadership"). */
  async run(stop: AbortSignal): Promise<ManagerOutcome> {
    this.#stop = stop;
    if (this.elector === undefined) {
      await this.#runWorkload(stop);
      return "stopped";
    }
    const elector = this.elector;
    const campaign = elector.run();
    // Ends when stop aborts, or when the elector returns by itself: leadership lost.
    await Promise.race([campaign, abortPromise(stop)]);
    if (stop.aborted) {
      await this.#workload; // drains while the elector still renews
      await elector.stop({ release: true });
      await this.#workload; // in case leadership was won during the stop
      return "stopped";
    }
    await this.#workload;
    this.#logger.error("leadership lost; controllers stopped");
    return "lost-leadership";
  }

  // Informers, then controllers, until `until` aborts; then tears down in reverse order.
  async #runWorkload(until: AbortSignal): Promise<void> {
    for (const i of this.#informers) i.start();
    await Promise.race([Promise.all(this.#informers.map((i) => i.waitForSync())), abortPromise(until)]);
    if (!until.aborted) {
      for (const c of this.#controllers) c.start();
      this.#logger.info("informers synced; controllers running");
      await abortPromise(until);
    }
    await Promise.all(this.#controllers.map((c) => c.stop(this.#graceMs)));
    await Promise.all(this.#informers.map((i) => i.stop()));
    this.#logger.info("controllers and informers stopped");
  }

  /**
   * The fence for mutations: without election always true; with it, whether the Lease is held at
   * this instant by this process's monotonic clock (see LeaderElector.holdsLease).
   */
  holdsLease(): boolean {
    return this.elector === undefined || this.elector.holdsLease();
  }

  /** Whether this process is currently running the controllers. */
  isActive(): boolean {
    return this.elector === undefined || (this.#leading !== undefined && !this.#leading.aborted);
  }
}

function abortPromise(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
