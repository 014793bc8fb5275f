// What changed in a provider's account and region since the last look, from ElastiCache's
// DescribeEvents: one call per poll whatever the number of caches (more pages only when more than
// 100 events happened since). Each poll asks from the newest event seen minus an overlap (an event
// can become visible a little after its date), and drops the events it has already returned, so
// every event is reported once. A poll that cannot see everything since the last one (more pages
// than the bound, or a gap longer than AWS keeps events) says so: the caller then re-reads all.
import type { Event as ElastiCacheEvent } from "@aws-sdk/client-elasticache";

/** The part of DescribeEvents the feed uses (the gateway sends it; unit tests pass a stand-in). */
export type DescribeEvents = (input: {
  StartTime: Date;
  MaxRecords: number;
  Marker?: string;
}) => Promise<{ Events?: ElastiCacheEvent[]; Marker?: string }>;

export interface CacheEvent {
  sourceType: string;
  sourceId: string;
  date: number;
  message: string;
}

export interface PollResult {
  events: CacheEvent[];
  /** Some events may be missing (too many, or too long since the last poll): re-read everything. */
  incomplete: boolean;
}

export interface EventFeedOptions {
  /** Events are asked for from this long before the newest one seen. Default 60 s. */
  overlapMs?: number;
  /** Pages read per poll at most (100 events each). Default 20. */
  maxPages?: number;
  now?: () => number;
}

/** AWS keeps events 14 days; a gap longer than this (less a margin) cannot be read whole. */
const RETENTION_MS = 14 * 24 * 3600_000 - 3600_000;

export class EventFeed {
  readonly #describe: DescribeEvents;
  readonly #overlapMs: number;
  readonly #maxPages: number;
  readonly #now: () => number;
  /** The newest event date returned so far (at first: when the feed was made). */
  #cursor: number;
  /** Events already returned that a later poll's overlap can list again. */
  #seen = new Map<string, number>();

  constructor(describe: DescribeEvents, options: EventFeedOptions = {}) {
    this.#describe = describe;
    this.#overlapMs = options.overlapMs ?? 60_000;
    this.#maxPages = options.maxPages ?? 20;
    this.#now = options.now ?? Date.now;
    this.#cursor = this.#now();
  }

  /** The events since the last poll (the first poll: since the feed was made), each once. */
  async poll(): Promise<PollResult> {
    const from = this.#cursor - this.#overlapMs;
    const incompleteGap = this.#now() - from > RETENTION_MS;
    const fresh: CacheEvent[] = [];
    let marker: string | undefined;
    let complete = false;
    for (let page = 0; page < this.#maxPages; page++) {
      const out = await this.#describe({
        StartTime: new Date(from),
        MaxRecords: 100,
        ...(marker !== undefined ? { Marker: marker } : {}),
      });
      for (const e of out.Events ?? []) {
        const event = toEvent(e);
        if (event === undefined) continue;
        const key = `${event.date}\u0000${event.sourceType}\u0000${event.sourceId}\u0000${event.message}`;
        if (this.#seen.has(key)) continue;
        this.#seen.set(key, event.date);
        fresh.push(event);
      }
      marker = out.Marker || undefined;
      if (marker === undefined) {
        complete = true;
        break;
      }
    }
    for (const e of fresh) if (e.date > this.#cursor) this.#cursor = e.date;
    // Quiet or not, the next poll starts near now: the gap never grows past the overlap. After an
    // incomplete poll everything is re-read anyway, so it may skip what it could not page through.
    this.#cursor = Math.max(this.#cursor, complete ? this.#now() - this.#overlapMs : this.#now());
    const oldest = this.#cursor - this.#overlapMs;
    for (const [key, date] of this.#seen) if (date < oldest) this.#seen.delete(key);
    return { events: fresh, incomplete: !complete || incompleteGap };
  }
}

function toEvent(e: ElastiCacheEvent): CacheEvent | undefined {
  if (e.SourceIdentifier === undefined || e.SourceType === undefined) return undefined;
  const date = e.Date instanceof Date ? e.Date.getTime() : Date.parse(String(e.Date ?? ""));
  if (!Number.isFinite(date)) return undefined;
  return { sourceType: e.SourceType, sourceId: e.SourceIdentifier, date, message: e.Message ?? "" };
}
