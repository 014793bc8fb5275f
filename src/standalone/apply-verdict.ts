// What `apply` did to each object, as kubectl says it: `created`, `configured` with the fields that
// changed (old → new), or `unchanged`. Compares the recorded object with the one about to be
// recorded: spec, labels and annotations (a Secret is recorded as its key names only, so a
// changed value alone leaves it `unchanged`).
import { isDeepStrictEqual } from "node:util";
import type { StoredObject } from "./state-store.ts";

export type Verdict = { word: "created" } | { word: "configured"; changes: string[] } | { word: "unchanged" };

export function verdictOf(previous: StoredObject | undefined, next: StoredObject): Verdict {
  if (previous === undefined) return { word: "created" };
  const changes = [
    ...fieldChanges(previous.spec, next.spec, ""),
    ...fieldChanges(previous.metadata.labels ?? {}, next.metadata.labels ?? {}, "metadata.labels."),
    ...fieldChanges(
      previous.metadata.annotations ?? {},
      next.metadata.annotations ?? {},
      "metadata.annotations.",
    ),
  ];
  return changes.length === 0 ? { word: "unchanged" } : { word: "configured", changes };
}

/** `elasticachecluster/web configured (nodeType: cache.t3.micro → cache.t3.small)`. */
export function verdictLine(objectName: string, verdict: Verdict): string {
  return verdict.word === "configured"
    ? `${objectName} configured (${verdict.changes.join("; ")})`
    : `${objectName} ${verdict.word}`;
}

/** One entry per changed leaf field: `a.b: old → new`, `a.c: added (v)`, `a.d: removed`. */
export function fieldChanges(before: unknown, after: unknown, path: string): string[] {
  if (isDeepStrictEqual(before, after)) return [];
  // Into objects, also one that appears or goes away, so each leaf is named (`tags.team: added (web)`).
  if ((isRecord(before) || isRecord(after)) && !isLeaf(before) && !isLeaf(after)) {
    const b = (before ?? {}) as Record<string, unknown>;
    const a = (after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
    return keys.flatMap((k) => fieldChanges(b[k], a[k], `${path}${k}.`));
  }
  const name = path.replace(/\.$/, "");
  if (before === undefined) return [`${name}: added (${show(after)})`];
  if (after === undefined) return [`${name}: removed (was ${show(before)})`];
  return [`${name}: ${show(before)} → ${show(after)}`];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isLeaf(v: unknown): boolean {
  return v !== undefined && !isRecord(v);
}

function show(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}
