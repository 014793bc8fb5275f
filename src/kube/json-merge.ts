// JSON helpers for status writes: deep equality of JSON values and the RFC 7386 merge patch
// that turns one JSON object into another.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The value as it will look after a JSON round trip (drops undefined, turns Dates into strings). */
export function toJson(value: unknown): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}

export function isPlainObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ak = Object.keys(a);
    if (ak.length !== Object.keys(b).length) return false;
    return ak.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The merge patch that makes `from` equal to `to`: changed members set, removed members null,
 * arrays replaced whole. Empty when they are already equal.
 */
export function mergePatch(
  from: { [key: string]: Json },
  to: { [key: string]: Json },
): { [key: string]: Json } {
  const patch: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(to)) {
    const old = from[k];
    if (Object.hasOwn(from, k) && jsonEqual(old, v)) continue;
    // A null in a merge patch means "remove"; a desired null member is dropped the same way.
    patch[k] = isPlainObject(old) && isPlainObject(v) ? mergePatch(old, v) : v;
  }
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) patch[k] = null;
  return patch;
}
