// A self-healing list+watch of one resource, with a local cache and event handlers.
//
// Lifecycle: list (paged) -> cache filled, `add` for each object, hasSynced() true -> watch from
// the list's resourceVersion with `timeoutSeconds`, so the server ends every watch after a while
// and the informer resumes from the last resourceVersion it saw (bookmarks keep that current on
// quiet resources). When the server says that resourceVersion is too old (410 Gone, as an HTTP
// status or an ERROR event), the informer lists again and turns the difference between its cache
// and the new list into add/update/delete calls, so nothing that happened meanwhile is missed.
// Any other failure waits with exponential backoff, then resumes. The backoff is short (capped at
// 2 s by default), jittered so informers and replicas do not retry in lockstep, and reset by the
// first healthy answer (a list, or an event on a watch), so after an API server outage the watches
// resume within about the cap of its return, not after a long timer set during the outage.
//
// Handlers run synchronously in event order and must not throw (a throw is logged); they should
// only enqueue keys. Objects handed out are the cache's own: treat them as read-only.
import { type Clock, sleep, systemClock } from "./clock.ts";
import { objectKey } from "./keys.ts";
import { type Logger, silentLogger } from "./logger.ts";
import { apiVersionOf, type ResourceType, resourcePath } from "./resource.ts";
import { isGone, KubeApiError, type KubeObject, type KubeRest, type WatchEvent } from "./rest.ts";
import { backoffDelay, jittered } from "./workqueue.ts";

export interface InformerHandlers<T> {
  add?(obj: T): void;
  /** Also called with old === new on each periodic resync. */
  update?(oldObj: T, newObj: T): void;
  /** Receives the last state known (from the DELETED event, or the cache after a relist). */
  delete?(obj: T): void;
}

export interface InformerOptions {
  /** Watch one namespace; all namespaces when omitted. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Server-side watch timeout (spread up to +25%); each watch ends after it and resumes. Default 300 s. */
  watchTimeoutSeconds?: number;
  /** Objects per list page. Default 500. */
  pageSize?: number;
  /** Calls `update(obj, obj)` for every cached object this often (0 = never). Default 0. */
  resyncMs?: number;
  /** Wait after consecutive failures: base doubling to cap, each jittered to 50-100 %. Default 500 ms to 2 s. */
  backoff?: { baseMs?: number; capMs?: number };
  /** `health()` reports a problem after failing continuously this long. Default 2 min. */
  unhealthyAfterMs?: number;
  clock?: Clock;
  logger?: Logger;
  /**
   * Applied to every object received (list items and watch events) before it is cached, e.g.
   * `leanObject` (lean.ts) to drop what nothing reads. May change the object in place.
   */
  transform?: (obj: KubeObject) => KubeObject;
}

export interface InformerStats {
  /** Completed full lists (1 after the first sync; more after 410 relists). */
  lists: number;
  /** Watches opened. */
  watches: number;
  /** Relists caused by 410 Gone. */
  goneRelists: number;
}

export class Informer<T extends KubeObject> {
  readonly type: ResourceType;
  readonly #rest: KubeRest;
  readonly #namespace: string | undefined;
  readonly #labelSelector: string | undefined;
  readonly #fieldSelector: string | undefined;
  readonly #watchTimeoutSeconds: number;
  readonly #pageSize: number;
  readonly #resyncMs: number;
  readonly #baseMs: number;
  readonly #capMs: number;
  readonly #unhealthyAfterMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #transform: ((obj: KubeObject) => KubeObject) | undefined;
  #cache = new Map<string, T>();
  #handlers: InformerHandlers<T>[] = [];
  #resourceVersion: string | undefined;
  #synced = false;
  #syncWaiters: Array<() => void> = [];
  #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #loopError: unknown;
  #failingSince: number | undefined;
  /** Consecutive failures since the last healthy answer. */
  #failures = 0;
  #lastError: string | undefined;
  #cancelResync: (() => void) | undefined;
  readonly stats: InformerStats = { lists: 0, watches: 0, goneRelists: 0 };

  constructor(rest: KubeRest, type: ResourceType, options: InformerOptions = {}) {
    this.#rest = rest;
    this.type = type;
    this.#namespace = options.namespace;
    this.#labelSelector = options.labelSelector;
    this.#fieldSelector = options.fieldSelector;
    this.#watchTimeoutSeconds = options.watchTimeoutSeconds ?? 300;
    this.#pageSize = options.pageSize ?? 500;
    this.#resyncMs = options.resyncMs ?? 0;
    this.#baseMs = options.backoff?.baseMs ?? 500;
    this.#capMs = options.backoff?.capMs ?? 2_000;
    this.#unhealthyAfterMs = options.unhealthyAfterMs ?? 120_000;
    this.#clock = options.clock ?? systemClock;
    this.#transform = options.transform;
    this.#logger = (options.logger ?? silentLogger).with({
      informer: type.group ? `${type.plural}.${type.group}` : type.plural,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
  }

  /** Registers handlers; objects already cached are replayed to them as `add`. */
  addHandlers(handlers: InformerHandlers<T>): void {
    this.#handlers.push(handlers);
    if (this.#synced) for (const obj of this.#cache.values()) this.#call(handlers, "add", obj);
  }

  start(): void {
    if (this.#loop !== undefined) return;
    this.#loop = this.#run().catch((err) => {
      // #run handles every API failure; getting here is a bug, and /healthz should say so.
      this.#loopError = err;
      this.#logger.error("informer stopped unexpectedly", { err });
    });
    if (this.#resyncMs > 0) this.#scheduleResync();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#cancelResync?.();
    await this.#loop;
    for (const resolve of this.#syncWaiters.splice(0)) resolve();
  }

  /** True once the first list is in the cache and its `add` handlers have run. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves at the first sync (or when the informer is stopped before it). */
  waitForSync(): Promise<void> {
    if (this.#synced || this.#abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.#syncWaiters.push(resolve));
  }

  /** The cached object for `namespace/name` (or `name` when cluster-scoped). */
  get(key: string): T | undefined {
    return this.#cache.get(key);
  }

  list(): T[] {
    return [...this.#cache.values()];
  }

  keys(): string[] {
    return [...this.#cache.keys()];
  }

  /** `undefined` when healthy; otherwise why not (the loop died, or failing for too long). */
  health(): string | undefined {
    const name = this.type.group ? `${this.type.plural}.${this.type.group}` : this.type.plural;
    if (this.#loopError !== undefined) return `informer for ${name} died: ${String(this.#loopError)}`;
    if (this.#loop === undefined) return undefined;
    if (this.#failingSince !== undefined && this.#clock.now() - this.#failingSince > this.#unhealthyAfterMs) {
      const secs = Math.round((this.#clock.now() - this.#failingSince) / 1000);
      return `informer for ${name} has failed for ${secs} s: ${this.#lastError ?? "unknown error"}`;
    }
    return undefined;
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.#listAndReplace(signal);
          needList = false;
        }
        if (signal.aborted) break;
        const openedAt = this.#clock.now();
        const events = await this.#watch(signal);
        this.#failures = 0;
        this.#failingSince = undefined;
        // A server (or proxy) that closes watches at once would otherwise be hammered in a loop.
        if (events === 0 && this.#clock.now() - openedAt < 1000)
          await sleep(this.#clock, this.#baseMs, signal);
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          // Our resourceVersion is older than the server keeps: relist at once, no backoff.
          this.stats.goneRelists++;
          this.#logger.info("resourceVersion expired (410 Gone); relisting", {
            resourceVersion: this.#resourceVersion,
          });
          needList = true;
          continue;
        }
        this.#failures++;
        this.#failingSince ??= this.#clock.now();
        this.#lastError = err instanceof Error ? err.message : String(err);
        const delay = Math.round(jittered(backoffDelay(this.#failures, this.#baseMs, this.#capMs)));
        this.#logger.warn(needList ? "list failed; retrying" : "watch failed; resuming", {
          err: err instanceof Error ? err : String(err),
          retryInMs: delay,
        });
        await sleep(this.#clock, delay, signal);
      }
    }
  }

  #query(): Record<string, string | undefined> {
    return { labelSelector: this.#labelSelector, fieldSelector: this.#fieldSelector };
  }

  async #listAndReplace(signal: AbortSignal): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    // Bounded: a server that kept returning `continue` forever would otherwise spin here.
    for (let page = 0; page < 100_000 && !signal.aborted; page++) {
      const list = await this.#rest.request<{
        metadata?: { resourceVersion?: string; continue?: string };
        items: T[];
      }>("GET", resourcePath(this.type, { namespace: this.#namespace }), {
        query: { ...this.#query(), limit: this.#pageSize, continue: cont },
        signal,
      });
      for (const item of list.items) items.push(this.#withTypeMeta(item));
      resourceVersion = list.metadata?.resourceVersion;
      cont = list.metadata?.continue || undefined;
      if (cont === undefined) break;
    }
    if (signal.aborted) return;
    this.#replace(items);
    this.#resourceVersion = resourceVersion;
    this.stats.lists++;
    this.#failures = 0;
    this.#failingSince = undefined;
    if (!this.#synced) {
      this.#synced = true;
      this.#logger.info("synced", { objects: items.length });
      for (const resolve of this.#syncWaiters.splice(0)) resolve();
    }
  }

  // Turns a fresh list into the handler calls that bring the cache (and its readers) up to date.
  #replace(items: T[]): void {
    const next = new Map<string, T>();
    for (const item of items) next.set(objectKey(item), item);
    const previous = this.#cache;
    this.#cache = next;
    for (const [key, obj] of next) {
      const old = previous.get(key);
      if (old === undefined) this.#emit("add", obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion)
        this.#emit("update", obj, old);
    }
    for (const [key, old] of previous) if (!next.has(key)) this.#emit("delete", old);
  }

  // Returns the number of events received.
  async #watch(signal: AbortSignal): Promise<number> {
    this.stats.watches++;
    // Spread by up to a quarter so informers started together do not all reconnect together.
    const timeoutSeconds = Math.max(1, Math.round(this.#watchTimeoutSeconds * (1 + Math.random() * 0.25)));
    // The server ends the watch after timeoutSeconds; this guard ends it if the connection goes
    // silent without closing (a dropped network path), a little after the server should have.
    const guard = AbortSignal.timeout((timeoutSeconds + 30) * 1000);
    let received = 0;
    await this.#rest.watch<T>(
      resourcePath(this.type, { namespace: this.#namespace }),
      {
        ...this.#query(),
        resourceVersion: this.#resourceVersion,
        timeoutSeconds,
        allowWatchBookmarks: true,
      },
      (event) => {
        // The server answers again: a later failure starts the backoff from its base.
        if (received++ === 0 && event.type !== "ERROR") this.#failures = 0;
        this.#onWatchEvent(event);
      },
      AbortSignal.any([signal, guard]),
    );
    return received;
  }

  #onWatchEvent(event: WatchEvent<T>): void {
    if (event.type === "ERROR") {
      const status = event.object as { code?: number; reason?: string; message?: string };
      throw new KubeApiError(
        status.code ?? 500,
        status.reason ?? "Unknown",
        `watch error: ${status.message ?? ""}`,
      );
    }
    const rv = event.object.metadata?.resourceVersion;
    if (event.type === "BOOKMARK") {
      if (rv) this.#resourceVersion = rv;
      return;
    }
    const obj = this.#withTypeMeta(event.object);
    const key = objectKey(obj);
    if (event.type === "DELETED") {
      const old = this.#cache.get(key);
      this.#cache.delete(key);
      this.#emit("delete", obj.metadata ? obj : (old ?? obj));
    } else {
      const old = this.#cache.get(key);
      this.#cache.set(key, obj);
      if (old === undefined) this.#emit("add", obj);
      else this.#emit("update", obj, old);
    }
    if (rv) this.#resourceVersion = rv;
  }

  // List items come without apiVersion/kind; Events and owner references need them.
  #withTypeMeta(obj: T): T {
    obj.apiVersion ??= apiVersionOf(this.type);
    obj.kind ??= this.type.kind;
    return this.#transform ? (this.#transform(obj) as T) : obj;
  }

  #emit(kind: "add" | "update" | "delete", obj: T, old?: T): void {
    for (const h of this.#handlers) this.#call(h, kind, obj, old);
  }

  #call(h: InformerHandlers<T>, kind: "add" | "update" | "delete", obj: T, old?: T): void {
    try {
      if (kind === "add") h.add?.(obj);
      else if (kind === "update") h.update?.(old ?? obj, obj);
      else h.delete?.(obj);
    } catch (err) {
      this.#logger.error(`${kind} handler threw; handlers must only enqueue`, { err });
    }
  }

  #scheduleResync(): void {
    this.#cancelResync = this.#clock.setTimer(() => {
      if (this.#abort.signal.aborted) return;
      if (this.#synced) for (const obj of this.#cache.values()) this.#emit("update", obj, obj);
      this.#scheduleResync();
    }, this.#resyncMs);
  }
}
