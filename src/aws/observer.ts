// The AWS API economy of DESIGN.md for one provider: many resources waiting on AWS (creating,
// modifying, deleting) are served by one listing (DescribeCacheClusters + DescribeReplicationGroups,
// 100 per page) instead of one Describe each. Requests arriving within a short window are coalesced;
// when two or more distinct resources wait, one `describeAll()` answers them all (and refreshes the
// cache of every other resource it lists); a lone request gets a single Describe. Answers are cached,
// and a caller says how old an answer it accepts (`maxAgeMs`). In an account holding many more
// resources than are waiting, a listing would cost more pages than the Describes it replaces: the
// observer estimates the cost of both from the last listing and picks the cheaper.
// Resources acted on moments ago (created, modified, deleted) and not observed since count as
// waiting too: their reconciles ask within seconds, so during a burst (100 clusters applied at once)
// one listing answers the request at hand and fills the cache for those about to ask.
import type { ObservedCache, Topology } from "../planner/model.ts";

/** What the observer needs of a gateway. */
export interface ObservationSource {
  describe(id: string, topology: Topology): Promise<ObservedCache | undefined>;
  describeAll(): Promise<ObservedCache[]>;
}

export interface ObserverOptions {
  /** How long to gather requests before asking AWS. Default 100 ms. */
  windowMs?: number;
  /** Distinct waiting resources from which a listing is considered at all. Default 2. */
  batchThreshold?: number;
  /** Records per listing page (to estimate what a listing costs). Default 100. */
  pageSize?: number;
  /** Cached answers older than this are dropped (memory bound). Default 10 minutes. */
  retainMs?: number;
  /** A resource acted on this recently and not observed since is expected to be asked for. Default 10 s. */
  inFlightMs?: number;
  now?: () => number;
}

export interface ObserveOptions {
  /** Accept a cached answer at most this old; 0 (default) asks AWS. */
  maxAgeMs?: number;
  /**
   * Accept a cached answer of a settled resource (status available) up to this old (default:
   * maxAgeMs). Settled resources change only when acted on (forget() drops the answer then) or by
   * drift, which a periodic resync may see a little late; so the reads of one resync tick, spread
   * over a few seconds by the work queue, are all answered by one listing.
   */
  settledMaxAgeMs?: number;
}

interface Entry {
  value: ObservedCache | undefined;
  at: number;
}

interface Waiter {
  key: string;
  id: string;
  topology: Topology;
  resolve(v: ObservedCache | undefined): void;
  reject(e: unknown): void;
}

export function observationKey(id: string, topology: Topology): string {
  return `${topology}/${id}`;
}

/** Calls a single Describe of the resource behind `key` takes (a replication group also reads a member). */
function keyCost(key: string): number {
  return key.startsWith("ReplicationGroup/") ? 2 : 1;
}

export class BatchObserver {
  readonly #source: ObservationSource;
  readonly #windowMs: number;
  readonly #threshold: number;
  readonly #pageSize: number;
  /** Calls the last listing took (estimated from what it returned); 2 before the first. */
  #listingCost = 2;
  readonly #retainMs: number;
  readonly #inFlightMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, Entry>();
  /** When each resource was last acted on: answers asked for before then are stale. */
  readonly #forgotten = new Map<string, number>();
  #waiting: Waiter[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(source: ObservationSource, options: ObserverOptions = {}) {
    this.#source = source;
    this.#windowMs = options.windowMs ?? 100;
    this.#threshold = Math.max(2, options.batchThreshold ?? 2);
    this.#pageSize = options.pageSize ?? 100;
    this.#retainMs = options.retainMs ?? 10 * 60_000;
    this.#inFlightMs = options.inFlightMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The resource as AWS describes it (undefined when it does not exist), at most `maxAgeMs` old. */
  observe(id: string, topology: Topology, options: ObserveOptions = {}): Promise<ObservedCache | undefined> {
    const key = observationKey(id, topology);
    const cached = this.#cache.get(key);
    const settled = cached?.value?.status === "available";
    const maxAgeMs = (settled ? options.settledMaxAgeMs : undefined) ?? options.maxAgeMs ?? 0;
    if (cached !== undefined && maxAgeMs > 0 && this.#now() - cached.at <= maxAgeMs) {
      return Promise.resolve(cached.value);
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ key, id, topology, resolve, reject });
      this.#timer ??= setTimeout(() => this.#flush(), this.#windowMs);
    });
  }

  /** Drops the cached answer for a resource (after acting on it, the old answer is stale). */
  forget(id: string, topology: Topology): void {
    const key = observationKey(id, topology);
    this.#cache.delete(key);
    this.#forgotten.set(key, this.#now());
  }

  /** When the answer held for the resource was read from AWS. */
  answeredAt(id: string, topology: Topology): number | undefined {
    return this.#cache.get(observationKey(id, topology))?.at;
  }

  /** Whether a settled (available) answer of the resource is held, however old. */
  holdsSettled(id: string, topology: Topology): boolean {
    return this.#cache.get(observationKey(id, topology))?.value?.status === "available";
  }

  /** The replication groups held whose members include this cache cluster. */
  groupsWithMember(clusterId: string): string[] {
    const ids: string[] = [];
    for (const { value } of this.#cache.values())
      if (value?.topology === "ReplicationGroup" && value.memberClusters.includes(clusterId))
        ids.push(value.id);
    return ids;
  }

  /** Drops every answer held: the next requests ask AWS (and, being many, share a listing). */
  forgetAll(): void {
    this.#cache.clear();
  }

  /** Rejects every waiting request and stops the window timer (shutdown). */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const w of waiting) w.reject(new Error("the observer was closed"));
  }

  #flush(): void {
    this.#timer = undefined;
    const waiting = this.#waiting;
    this.#waiting = [];
    const byKey = new Map<string, Waiter[]>();
    for (const w of waiting) byKey.set(w.key, [...(byKey.get(w.key) ?? []), w]);
    this.#prune();
    const soon = this.#inFlight(byKey);
    const singles = this.#singleCost(byKey) + soon.reduce((n, key) => n + keyCost(key), 0);
    if (byKey.size + soon.length >= this.#threshold && singles >= this.#listingCost) void this.#batch(byKey);
    else for (const group of byKey.values()) void this.#single(group);
  }

  async #batch(byKey: Map<string, Waiter[]>): Promise<void> {
    const at = this.#now();
    let all: ObservedCache[];
    try {
      all = await this.#source.describeAll();
    } catch (e) {
      for (const group of byKey.values()) for (const w of group) w.reject(e);
      return;
    }
    this.#listingCost = this.#estimateListingCost(all);
    const listed = new Map(all.map((o) => [observationKey(o.id, o.topology), o]));
    for (const [key, value] of listed) this.#remember(key, value, at);
    for (const [key, group] of byKey) {
      // Not in the listing: it does not exist (any more).
      const value = listed.get(key);
      if (value === undefined) this.#remember(key, undefined, at);
      for (const w of group) w.resolve(value);
    }
  }

  async #single(group: Waiter[]): Promise<void> {
    const first = group[0];
    if (first === undefined) return;
    const at = this.#now();
    try {
      const value = await this.#source.describe(first.id, first.topology);
      this.#remember(first.key, value, at);
      for (const w of group) w.resolve(value);
    } catch (e) {
      for (const w of group) w.reject(e);
    }
  }

  /** Calls single Describes would take: a replication group also reads one member. */
  #singleCost(byKey: Map<string, Waiter[]>): number {
    let cost = 0;
    for (const key of byKey.keys()) cost += keyCost(key);
    return cost;
  }

  /** Resources acted on within inFlightMs, not asked for now and not observed since. */
  #inFlight(byKey: Map<string, Waiter[]>): string[] {
    const since = this.#now() - this.#inFlightMs;
    const keys: string[] = [];
    for (const [key, at] of this.#forgotten) {
      if (at < since || byKey.has(key)) continue;
      const cached = this.#cache.get(key);
      if (cached === undefined || cached.at < at) keys.push(key);
    }
    return keys;
  }

  /** Pages of both listings: cache clusters (members included) and replication groups. */
  #estimateListingCost(all: ObservedCache[]): number {
    let clusters = 0;
    let groups = 0;
    for (const o of all) {
      if (o.topology === "CacheCluster") clusters++;
      else {
        groups++;
        clusters += o.memberClusters.length;
      }
    }
    return (
      Math.max(1, Math.ceil(clusters / this.#pageSize)) + Math.max(1, Math.ceil(groups / this.#pageSize))
    );
  }

  /** Keeps the newer of two answers: a slow listing must not overwrite a fresher Describe. */
  #remember(key: string, value: ObservedCache | undefined, at: number): void {
    const forgottenAt = this.#forgotten.get(key);
    if (forgottenAt !== undefined && at < forgottenAt) return;
    const current = this.#cache.get(key);
    if (current === undefined || current.at <= at) this.#cache.set(key, { value, at });
  }

  #prune(): void {
    const oldest = this.#now() - this.#retainMs;
    for (const [key, entry] of this.#cache) if (entry.at < oldest) this.#cache.delete(key);
    for (const [key, at] of this.#forgotten) if (at < oldest) this.#forgotten.delete(key);
  }
}
