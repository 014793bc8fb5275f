// MaxRecords/Marker pagination as ElastiCache does it: MaxRecords between 20 and 100 (default 100),
// an opaque marker to continue from.
import { invalidParameter } from "../protocol/errors.ts";
import type { QueryObject } from "../protocol/query-input.ts";

export interface Page<T> {
  items: T[];
  marker: string | undefined;
}

export function paginate<T>(all: T[], input: QueryObject, min = 20, max = 100): Page<T> {
  const maxRecords = (input.MaxRecords as number | undefined) ?? max;
  if (maxRecords < min || maxRecords > max) {
    throw invalidParameter(`MaxRecords must be between ${min} and ${max}, got ${maxRecords}`);
  }
  let start = 0;
  if (input.Marker !== undefined) {
    const decoded = Buffer.from(String(input.Marker), "base64url").toString("utf8");
    const m = /^offset:(\d+)$/.exec(decoded);
    if (m === null)
      throw invalidParameter("Invalid Marker: pass the Marker returned by the previous call unchanged");
    start = Number(m[1]);
  }
  const items = all.slice(start, start + maxRecords);
  const next = start + maxRecords;
  return {
    items,
    marker: next < all.length ? Buffer.from(`offset:${next}`).toString("base64url") : undefined,
  };
}
