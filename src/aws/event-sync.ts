// Keeps a provider's held observations honest with its event feed: at most one DescribeEvents per
// `minIntervalMs` (the reconciles of one resync tick share it), and each cache an event names is
// forgotten by the observer, so its next read goes to AWS. A poll that could not see everything
// forgets all. While events cannot be read (refused by an IAM policy, AWS failing), `sync()` says
// so and the caller reads AWS as it would without events.

import { isKind } from "./errors.ts";
import type { CacheEvent, EventFeed } from "./event-feed.ts";
import type { BatchObserver } from "./observer.ts";

export interface EventSyncOptions {
  /** A poll answers for this long. */
  minIntervalMs: number;
  /** After DescribeEvents is refused, it is tried again after this long. Default 1 hour. */
  retryDeniedMs?: number;
  /** Told of every cache an event names (the operator wakes the objects behind it). */
  onChanged?: (id: string) => void;
  now?: () => number;
}

export class EventSync {
  readonly #feed: EventFeed;
  readonly #observer: BatchObserver;
  readonly #minIntervalMs: number;
  readonly #retryDeniedMs: number;
  readonly #onChanged: ((id: string) => void) | undefined;
  readonly #now: () => number;
  #polledAt: number | undefined;
  #deniedUntil = 0;
  #inFlight: Promise<boolean> | undefined;

  constructor(feed: EventFeed, observer: BatchObserver, options: EventSyncOptions) {
    this.#feed = feed;
    this.#observer = observer;
    this.#minIntervalMs = options.minIntervalMs;
    this.#retryDeniedMs = options.retryDeniedMs ?? 3600_000;
    this.#onChanged = options.onChanged;
    this.#now = options.now ?? Date.now;
  }

  /** True when what the observer holds reflects every event up to a recent poll. */
  sync(): Promise<boolean> {
    const now = this.#now();
    if (now < this.#deniedUntil) return Promise.resolve(false);
    if (this.#polledAt !== undefined && now - this.#polledAt < this.#minIntervalMs)
      return Promise.resolve(true);
    this.#inFlight ??= this.#poll().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #poll(): Promise<boolean> {
    const started = this.#now();
    try {
      const { events, incomplete } = await this.#feed.poll();
      if (incomplete) this.#observer.forgetAll();
      for (const id of this.#apply(events)) this.#onChanged?.(id);
      this.#polledAt = started;
      return true;
    } catch (e) {
      if (isKind(e, "AccessDenied")) this.#deniedUntil = this.#now() + this.#retryDeniedMs;
      return false;
    }
  }

  /** Forgets the caches the events name; returns their ids (the caches, not members). */
  #apply(events: CacheEvent[]): Set<string> {
    const changed = new Set<string>();
    for (const e of events) {
      if (e.sourceType === "replication-group") {
        this.#observer.forget(e.sourceId, "ReplicationGroup");
        changed.add(e.sourceId);
      } else if (e.sourceType === "cache-cluster") {
        this.#observer.forget(e.sourceId, "CacheCluster");
        changed.add(e.sourceId);
        for (const group of this.#observer.groupsWithMember(e.sourceId)) {
          this.#observer.forget(group, "ReplicationGroup");
          changed.add(group);
        }
      }
    }
    return changed;
  }
}
