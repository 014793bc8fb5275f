// Tags of many caches from few calls, through the Resource Groups Tagging API's GetResources:
// - a scan of every cache carrying the ownership tag key (100 a page) answers all the tag reads
//   of a drift check at once (the reads of one resync tick reach us over seconds or minutes, so a
//   scan is kept and answers for `scanMaxAgeMs`);
// - reads the scan cannot answer (a cache that lost the ownership tag, one changed since, or
//   while few reads are asked for, fewer than the scan has pages) go by ARN, up to 100 in one call.
// Requests arriving within a short window are batched. Where GetResources is refused (an IAM
// policy without tag:GetResources), every read falls back to `fallback` (ListTagsForResource).
import { isKind } from "./errors.ts";

export interface ResourceTagMapping {
  ResourceARN?: string;
  Tags?: { Key?: string; Value?: string }[];
}

/** The part of GetResources the reader uses (the gateway sends it; unit tests pass a stand-in). */
export type GetResources = (input: {
  TagFilters?: { Key: string; Values?: string[] }[];
  ResourceTypeFilters?: string[];
  ResourcesPerPage?: number;
  PaginationToken?: string;
  ResourceARNList?: string[];
}) => Promise<{ ResourceTagMappingList?: ResourceTagMapping[]; PaginationToken?: string }>;

export interface TagReaderOptions {
  /** The scan lists the caches carrying this tag key. */
  ownershipKey: string;
  /** Used for every read while GetResources is refused. */
  fallback: (arn: string) => Promise<Record<string, string>>;
  /** How long to gather requests before asking AWS. Default 100 ms. */
  windowMs?: number;
  /** A scan answers reads for this long. Default 60 s. */
  scanMaxAgeMs?: number;
  /** After GetResources is refused, it is tried again after this long. Default 1 hour. */
  retryDeniedMs?: number;
  now?: () => number;
}

interface Waiter {
  arn: string;
  resolve(tags: Record<string, string>): void;
  reject(e: unknown): void;
}

type Tags = Record<string, string>;

const PER_PAGE = 100;
/** A bound on pages per scan, so a misbehaving endpoint cannot keep us paging forever. */
const MAX_PAGES = 1000;
const CACHE_TYPES = ["elasticache:cluster", "elasticache:replicationgroup"];

function tagsOf(mapping: ResourceTagMapping): Tags {
  const tags: Tags = {};
  for (const t of mapping.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? "";
  return tags;
}

export class TagReader {
  readonly #get: GetResources;
  readonly #options: TagReaderOptions;
  readonly #windowMs: number;
  readonly #scanMaxAgeMs: number;
  readonly #retryDeniedMs: number;
  readonly #now: () => number;
  #scan: { at: number; tags: Map<string, Tags> } | undefined;
  /** Pages the last scan took; 1 before the first. */
  #scanPages = 1;
  /** ARNs asked for lately (when): a scan pays once enough of them are. */
  readonly #asked = new Map<string, number>();
  /** Recent forget() calls: a scan that started before one must not answer for it. */
  #forgotten: { suffix: string; at: number }[] = [];
  #deniedUntil = 0;
  #waiting: Waiter[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(getResources: GetResources, options: TagReaderOptions) {
    this.#get = getResources;
    this.#options = options;
    this.#windowMs = options.windowMs ?? 100;
    this.#scanMaxAgeMs = options.scanMaxAgeMs ?? 60_000;
    this.#retryDeniedMs = options.retryDeniedMs ?? 3600_000;
    this.#now = options.now ?? Date.now;
  }

  /** The resource's tags as AWS has them now (or as a scan of moments ago saw them). */
  read(arn: string): Promise<Tags> {
    const scan = this.#scan;
    const scanned =
      scan !== undefined && this.#now() - scan.at <= this.#scanMaxAgeMs ? scan.tags.get(arn) : undefined;
    if (scanned !== undefined) return Promise.resolve({ ...scanned });
    if (this.#now() < this.#deniedUntil) return this.#options.fallback(arn);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ arn, resolve, reject });
      this.#timer ??= setTimeout(() => void this.#flush(), this.#windowMs);
    });
  }

  /** Drops what a scan said of the resources whose ARN ends so (after changing their tags). */
  forget(arnSuffix: string): void {
    const now = this.#now();
    this.#forgotten = this.#forgotten.filter((f) => now - f.at <= this.#scanMaxAgeMs);
    this.#forgotten.push({ suffix: arnSuffix, at: now });
    for (const arn of this.#scan?.tags.keys() ?? [])
      if (arn.endsWith(arnSuffix)) this.#scan?.tags.delete(arn);
  }

  /** Rejects every waiting read and stops the window timer (shutdown). */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const w of this.#waiting.splice(0)) w.reject(new Error("the tag reader was closed"));
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    const waiting = this.#waiting;
    this.#waiting = [];
    const now = this.#now();
    for (const [arn, at] of this.#asked) if (now - at > this.#scanMaxAgeMs) this.#asked.delete(arn);
    for (const w of waiting) this.#asked.set(w.arn, now);
    try {
      let found = new Map<string, Tags>();
      const wanted = [...new Set(waiting.map((w) => w.arn))];
      if (this.#asked.size >= this.#scanPages && wanted.length > 1) {
        found = await this.#scanAll();
      }
      const missing = wanted.filter((arn) => !found.has(arn));
      for (let i = 0; i < missing.length; i += PER_PAGE) {
        const chunk = missing.slice(i, i + PER_PAGE);
        const out = await this.#get({ ResourceARNList: chunk });
        for (const m of out.ResourceTagMappingList ?? [])
          if (m.ResourceARN !== undefined) found.set(m.ResourceARN, tagsOf(m));
        // Listed only when tagged: an ARN not in the answer has no tags.
        for (const arn of chunk) if (!found.has(arn)) found.set(arn, {});
      }
      for (const w of waiting) w.resolve({ ...(found.get(w.arn) ?? {}) });
    } catch (e) {
      if (!isKind(e, "AccessDenied")) {
        for (const w of waiting) w.reject(e);
        return;
      }
      this.#deniedUntil = this.#now() + this.#retryDeniedMs;
      for (const w of waiting) this.#options.fallback(w.arn).then(w.resolve, w.reject);
    }
  }

  async #scanAll(): Promise<Map<string, Tags>> {
    const at = this.#now();
    const tags = new Map<string, Tags>();
    let token: string | undefined;
    let pages = 0;
    for (; pages < MAX_PAGES; ) {
      const out = await this.#get({
        TagFilters: [{ Key: this.#options.ownershipKey }],
        ResourceTypeFilters: CACHE_TYPES,
        ResourcesPerPage: PER_PAGE,
        ...(token !== undefined ? { PaginationToken: token } : {}),
      });
      pages++;
      for (const m of out.ResourceTagMappingList ?? [])
        if (m.ResourceARN !== undefined) tags.set(m.ResourceARN, tagsOf(m));
      token = out.PaginationToken || undefined;
      if (token === undefined) break;
    }
    this.#scanPages = Math.max(1, pages);
    for (const f of this.#forgotten) {
      if (f.at < at) continue;
      for (const arn of [...tags.keys()]) if (arn.endsWith(f.suffix)) tags.delete(arn);
    }
    this.#scan = { at, tags };
    return tags;
  }
}
