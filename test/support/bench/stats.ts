// Small statistics for the benchmarks: quantiles, deltas of call counters, rates scaled to an hour.

/** The q-quantile (0..1) of already sorted values, by the nearest-rank rule; NaN when empty. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** "median 1.20 s, p90 2.00 s, max 3.00 s (n=3)" from durations in milliseconds. */
export function summarizeMs(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const f = (v: number) => `${(v / 1000).toFixed(2)} s`;
  return `median ${f(quantile(s, 0.5))}, p90 ${f(quantile(s, 0.9))}, max ${f(s.at(-1) ?? Number.NaN)} (n=${s.length})`;
}

/** after - before, per key, keeping only keys whose count grew. */
export function countDelta(
  after: Record<string, number> | undefined,
  before: Record<string, number> | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after ?? {})) {
    const d = v - (before?.[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

export function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** A count seen over `windowMs`, as a rate per hour. */
export function perHour(count: number, windowMs: number): number {
  return windowMs > 0 ? (count * 3_600_000) / windowMs : Number.NaN;
}

/** "CreateCacheCluster 100, DescribeCacheClusters 2" (service prefix dropped, largest first). */
export function formatByAction(counts: Record<string, number>, divisor = 1): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return "none";
  return entries
    .map(([action, n]) => {
      const name = action.replace(/^[a-z-]+:/, "");
      return divisor === 1 ? `${name} ${n}` : `${name} ${(n / divisor).toFixed(2)}`;
    })
    .join(", ");
}

/** Parses 30s, 2m, 1h, 1500ms into milliseconds. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`duration ${text}: use e.g. 30s, 2m, 1h`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
}
