// Stable hashes kept in status instead of the values themselves (tokens, tag sets).
import { createHash } from "node:crypto";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Hash of a tag map, independent of key order. */
export function hashTags(tags: Record<string, string>): string {
  const sorted = Object.keys(tags)
    .sort()
    .map((k) => [k, tags[k]]);
  return sha256(JSON.stringify(sorted)).slice(0, 16);
}
