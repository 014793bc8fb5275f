// The shared world of the ElastiCache handlers: the persisted state, the engine host, events and
// the background work that moves resources through AWS's states (creating -> available, ...).
// Handlers validate and answer at once, as AWS does; the engine work runs in the background and
// the resource's status tells clients when it is done.
import { join } from "node:path";
import type { EngineHost, TlsFiles } from "../engines/contract.ts";
import type { PersistedState } from "../state/records.ts";
import type { StateFile } from "../state/state-file.ts";
import { MemcachedDiscovery } from "./memcached-discovery.ts";

export interface CloudOptions {
  state: PersistedState;
  stateFile: StateFile;
  engines: EngineHost;
  dataDir: string;
  /** Extra time every transition takes (config `transitionDelayMs`, admin `POST /_localcloud/pace`). */
  transitionDelayMs: number;
  /** The local CA and server certificate, created on first use. */
  tlsFiles: () => Promise<TlsFiles>;
  log: (line: string) => void;
}

export class Cloud {
  readonly state: PersistedState;
  readonly engines: EngineHost;
  readonly dataDir: string;
  readonly tlsFiles: () => Promise<TlsFiles>;
  readonly log: (line: string) => void;
  transitionDelayMs: number;
  /** Memcached configuration endpoints (`config get cluster`). */
  readonly memcachedDiscovery: MemcachedDiscovery;
  readonly #stateFile: StateFile;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: CloudOptions) {
    this.state = options.state;
    this.#stateFile = options.stateFile;
    this.engines = options.engines;
    this.dataDir = options.dataDir;
    this.transitionDelayMs = options.transitionDelayMs;
    this.tlsFiles = options.tlsFiles;
    this.log = options.log;
    this.memcachedDiscovery = new MemcachedDiscovery(options.tlsFiles);
  }

  save(): void {
    this.#stateFile.save(this.state);
  }

  nodeDir(engineNodeId: string): string {
    return join(this.dataDir, "nodes", engineNodeId);
  }

  snapshotDir(name: string): string {
    return join(this.dataDir, "snapshots", name);
  }

  event(sourceType: string, sourceIdentifier: string, message: string): void {
    this.state.events.push({ sourceType, sourceIdentifier, message, date: new Date().toISOString() });
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
        const message = e instanceof Error ? e.message : String(e);
        this.log(`local cloud: ${what} failed: ${message}`);
        onError(message);
      }
      this.save();
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
