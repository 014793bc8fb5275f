// The ready keys of a work queue, grouped by shard (for the operator: the tenant or the AWS
// provider a key belongs to) and handed out in turn, one shard after the other, with at most
// `maxInFlightPerShard` keys of one shard being processed at once. So a shard whose reconciles are
// slow (a hung endpoint) occupies at most its own share of the workers, and a shard with many keys
// cannot push the keys of others to the back of one long line. With a single shard this is a
// plain FIFO.

export interface FairQueueOptions {
  /** The shard of a key; every key in one shard by default. */
  shardOf?: (key: string) => string;
  /** Keys of one shard processed at once. Default: unlimited. */
  maxInFlightPerShard?: number;
}

export class FairQueue {
  readonly #shardOf: (key: string) => string;
  readonly #cap: number;
  // Ready keys per shard (FIFO), and the shards that have any, in the order they get their turn.
  #ready = new Map<string, string[]>();
  #turns: string[] = [];
  // The shard of every ready key (fixed when it was pushed), and of every key taken.
  #shardOfKey = new Map<string, string>();
  #takenShard = new Map<string, string>();
  #inFlight = new Map<string, number>();

  constructor(options: FairQueueOptions = {}) {
    this.#shardOf = options.shardOf ?? (() => "");
    this.#cap = Math.max(1, options.maxInFlightPerShard ?? Number.POSITIVE_INFINITY);
  }

  has(key: string): boolean {
    return this.#shardOfKey.has(key);
  }

  /** Adds a ready key at the end of its shard's line. */
  push(key: string): void {
    if (this.#shardOfKey.has(key)) return;
    let shard: string;
    try {
      shard = this.#shardOf(key);
    } catch {
      shard = "";
    }
    this.#shardOfKey.set(key, shard);
    const line = this.#ready.get(shard);
    if (line !== undefined) line.push(key);
    else {
      this.#ready.set(shard, [key]);
      this.#turns.push(shard);
    }
  }

  /**
   * The first key of the first shard in turn that is under its in-flight limit (that shard then
   * goes to the back of the turns), counted as in flight until `release`; undefined if none.
   */
  take(): string | undefined {
    for (let i = 0; i < this.#turns.length; i++) {
      const shard = this.#turns[i] as string;
      if ((this.#inFlight.get(shard) ?? 0) >= this.#cap) continue;
      const line = this.#ready.get(shard) as string[];
      const key = line.shift() as string;
      this.#turns.splice(i, 1);
      if (line.length > 0) this.#turns.push(shard);
      else this.#ready.delete(shard);
      this.#shardOfKey.delete(key);
      this.#takenShard.set(key, shard);
      this.#inFlight.set(shard, (this.#inFlight.get(shard) ?? 0) + 1);
      return key;
    }
    return undefined;
  }

  /** Ends the in-flight count of a key handed out by `take`. */
  release(key: string): void {
    const shard = this.#takenShard.get(key);
    if (shard === undefined) return;
    this.#takenShard.delete(key);
    const n = (this.#inFlight.get(shard) ?? 1) - 1;
    if (n <= 0) this.#inFlight.delete(shard);
    else this.#inFlight.set(shard, n);
  }

  /** Ready keys. */
  get size(): number {
    return this.#shardOfKey.size;
  }

  /** Ready keys a free worker could take now (their shard is under its limit). */
  takeable(): number {
    let n = 0;
    for (const shard of this.#turns)
      if ((this.#inFlight.get(shard) ?? 0) < this.#cap) n += (this.#ready.get(shard) as string[]).length;
    return n;
  }

  /** Drops every ready key (in-flight counts stay until released). */
  clearReady(): void {
    this.#shardOfKey.clear();
    this.#ready.clear();
    this.#turns = [];
  }
}
