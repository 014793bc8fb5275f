// The shared world of the ElastiCache handlers: the persisted state, the engine host, events and
// the background work that moves resources through AWS's states (creating -> available, ...).
// Handlers validate and answer at once, as AWS does; the engine work runs in the background and
// the resource's status tells clients when it is done.
import { join } from "node:path";
import type { EngineHost, TlsFiles } from "../engines/contract.ts";
import { emptyState, type PersistedState } from "../state/records.ts";
import { currentScope, parseScopeKey, type Scope, scopedName, scopeKey } from "../state/scope.ts";
import type { StateFile } from "../state/state-file.ts";
import type { WorldState } from "../state/world.ts";
import { MemcachedDiscovery } from "./memcached-discovery.ts";

export interface CloudOptions {
  /** Every scope's state (and STS's credentials), as loaded from the state file. */
  world: WorldState;
  stateFile: StateFile;
  engines: EngineHost;
  dataDir: string;
  /** Extra time every transition takes (config `transitionDelayMs`, admin `POST /_localcloud/pace`). */
  transitionDelayMs: number;
  /** A node's maxmemory is its node type's divided by this (config `nodeMemoryDivisor`); default 1. */
  nodeMemoryDivisor?: number;
  /** The local CA and server certificate, created on first use. */
  tlsFiles: () => Promise<TlsFiles>;
  log: (line: string) => void;
}

/** How long events are kept (as AWS does: DescribeEvents reaches back at most 14 days). */
export const EVENT_RETENTION_MS = 14 * 24 * 3600_000;

/** Drops the events older than the retention (they are kept oldest first). */
export function dropExpiredEvents(events: { date: string }[], now: number): void {
  let expired = 0;
  while (expired < events.length && now - Date.parse(events[expired]?.date ?? "") > EVENT_RETENTION_MS)
    expired++;
  if (expired > 0) events.splice(0, expired);
}

export class Cloud {
  readonly world: WorldState;
  readonly engines: EngineHost;
  readonly dataDir: string;
  readonly tlsFiles: () => Promise<TlsFiles>;
  readonly log: (line: string) => void;
  transitionDelayMs: number;
  readonly nodeMemoryDivisor: number;
  /**
   * Set when the local cloud stops: background work then fails because its engines are gone, which
   * says nothing about the resource, so its state is left as it was (a restart settles it).
   */
  stopping = false;
  /** Memcached configuration endpoints (`config get cluster`). */
  readonly memcachedDiscovery: MemcachedDiscovery;
  readonly #stateFile: StateFile;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: CloudOptions) {
    this.world = options.world;
    this.#stateFile = options.stateFile;
    this.engines = options.engines;
    this.dataDir = options.dataDir;
    this.transitionDelayMs = options.transitionDelayMs;
    this.nodeMemoryDivisor = options.nodeMemoryDivisor ?? 1;
    this.tlsFiles = options.tlsFiles;
    this.log = options.log;
    this.memcachedDiscovery = new MemcachedDiscovery(options.tlsFiles);
  }

  /** The state of the running request's account and region (see state/scope.ts). */
  get state(): PersistedState {
    return this.stateOf(currentScope());
  }

  stateOf(scope: Scope): PersistedState {
    const key = scopeKey(scope);
    this.world.scopes[key] ??= emptyState();
    return this.world.scopes[key];
  }

  /** Every account and region that has state. */
  scopes(): Scope[] {
    return Object.keys(this.world.scopes).map(parseScopeKey);
  }

  save(): void {
    this.#stateFile.save(this.world);
  }

  nodeDir(engineNodeId: string): string {
    return join(this.dataDir, "nodes", engineNodeId);
  }

  snapshotDir(name: string): string {
    return join(this.dataDir, "snapshots", scopedName(name));
  }

  /** Records an event (DescribeEvents); AWS keeps them 14 days, and so does the local cloud. */
  event(sourceType: string, sourceIdentifier: string, message: string): void {
    const events = this.state.events;
    const now = Date.now();
    events.push({ sourceType, sourceIdentifier, message, date: new Date(now).toISOString() });
    dropExpiredEvents(events, now);
  }

  /**
   * Runs engine work in the background, then waits the configured pace. `onError` puts the resource
   * in the state AWS would show (e.g. create-failed) and the failure is logged and recorded as an event.
   */
  background(what: string, work: () => Promise<void>, onError: (message: string) => void): void {
    const task = (async () => {
      try {
        await work();
      } catch (e) {
        if (this.stopping) return;
        const message = e instanceof Error ? e.message : String(e);
        this.log(`local cloud: ${what} failed: ${message}`);
        onError(message);
      }
      if (!this.stopping) this.save();
    })();
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
  }

  pace(): Promise<void> {
    const ms = this.transitionDelayMs;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }

  /** Resolves once no background work is running (used on shutdown and by tests). */
  async settle(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.#pending]), new Promise((r) => setTimeout(r, 1000))]);
    }
  }
}
