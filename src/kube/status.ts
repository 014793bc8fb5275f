// Writes an object's `status` through the /status subresource, only when it differs.
//
// The status written is exactly the one given: members the current status has and the given one
// lacks are removed (the comparison ignores nothing). When the current status already deep-equals
// it, nothing is sent, so reconciles that change nothing cause no writes, no new
// resourceVersion and no watch event (no hot loops).
//
// The merge patch carries `metadata.resourceVersion`, so it only applies to the object it was
// computed from; on 409 Conflict the object is read again and the patch recomputed.

import { isPlainObject, type Json, jsonEqual, mergePatch, toJson } from "./json-merge.ts";
import { keyOf } from "./keys.ts";
import type { ResourceType } from "./resource.ts";
import { isConflict, type KubeObject, type KubeRest, PatchType } from "./rest.ts";

export interface StatusWriteResult<T> {
  /** False when the status was already as given (no request was sent). */
  written: boolean;
  /** The object after the write (or as last read, when nothing was written). */
  object: T;
}

export interface StatusWriteOptions {
  /** Attempts before giving up on repeated conflicts. Default 5. */
  maxAttempts?: number;
}

/**
 * Makes `obj`'s status equal to `status`. `obj` may be stale (from an informer cache): a conflict
 * re-reads it. Throws KubeApiError on other failures (404 when the object is gone).
 */
export async function writeStatus<T extends KubeObject>(
  rest: KubeRest,
  type: ResourceType,
  obj: T,
  status: object,
  options: StatusWriteOptions = {},
): Promise<StatusWriteResult<T>> {
  const desired = toJson(status);
  if (!isPlainObject(desired)) throw new Error("status must be an object");
  const name = obj.metadata?.name;
  if (!name) throw new Error("writeStatus needs an object with metadata.name");
  const ref = { namespace: obj.metadata?.namespace, name };
  const maxAttempts = options.maxAttempts ?? 5;
  let current = obj;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const currentStatus = toJson(current.status ?? {});
    const from = isPlainObject(currentStatus) ? currentStatus : {};
    if (jsonEqual(from, desired)) return { written: false, object: current };
    const patch: Json = {
      metadata: { resourceVersion: current.metadata?.resourceVersion ?? null },
      status: mergePatch(from, desired),
    };
    try {
      const updated = await rest.patch<T>(type, { ...ref, subresource: "status" }, patch, PatchType.merge);
      return { written: true, object: updated };
    } catch (err) {
      if (!isConflict(err)) throw err;
      current = await rest.get<T>(type, ref);
    }
  }
  throw new Error(
    `status of ${type.kind} ${keyOf(ref)} was changed by another writer ${maxAttempts} times in a row; ` +
      "giving up for now (the next reconcile retries)",
  );
}
