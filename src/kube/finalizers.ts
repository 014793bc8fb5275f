// Adds and removes a finalizer without clobbering other writers' finalizers.
//
// The whole `metadata.finalizers` list is sent in a merge patch together with
// `metadata.resourceVersion`, which the API server treats as a precondition: if anyone changed
// the object since we read it (another controller adding its own finalizer, say), the write fails
// with 409 Conflict instead of overwriting their list; we then read the object again and redo the
// change on the fresh list.
//
// Whether there is anything to do is decided from the copy given (no extra read): a stale copy
// that already shows the wanted state returns `changed: false`, and the informer event carrying
// the fresh object brings the reconcile back.
import { keyOf } from "./keys.ts";
import type { ResourceType } from "./resource.ts";
import { isConflict, isNotFound, type KubeObject, type KubeRest, PatchType } from "./rest.ts";

export interface FinalizerResult<T> {
  /** False when there was nothing to do (already present / already absent). */
  changed: boolean;
  /** The object after the write; undefined when it no longer exists (removed its last finalizer). */
  object: T | undefined;
}

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** Adds `finalizer` to `obj`; refuses (with an error that says why) if the object is being deleted. */
export function addFinalizer<T extends KubeObject>(
  rest: KubeRest,
  type: ResourceType,
  obj: T,
  finalizer: string,
): Promise<FinalizerResult<T>> {
  return editFinalizers(rest, type, obj, (current) => {
    if (current.includes(finalizer)) return undefined;
    return [...current, finalizer];
  });
}

/** Removes `finalizer` from `obj`. An object that is already gone counts as done. */
export function removeFinalizer<T extends KubeObject>(
  rest: KubeRest,
  type: ResourceType,
  obj: T,
  finalizer: string,
): Promise<FinalizerResult<T>> {
  return editFinalizers(rest, type, obj, (current) => {
    if (!current.includes(finalizer)) return undefined;
    return current.filter((f) => f !== finalizer);
  });
}

const MAX_ATTEMPTS = 10;

// `edit` returns the new list, or undefined when nothing needs to change.
async function editFinalizers<T extends KubeObject>(
  rest: KubeRest,
  type: ResourceType,
  obj: T,
  edit: (current: string[]) => string[] | undefined,
): Promise<FinalizerResult<T>> {
  const name = obj.metadata?.name;
  if (!name) throw new Error("a finalizer change needs an object with metadata.name");
  const ref = { namespace: obj.metadata?.namespace, name };
  let current: T = obj;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const next = edit(current.metadata?.finalizers ?? []);
    if (next === undefined) return { changed: false, object: current };
    if (current.metadata?.deletionTimestamp && next.length > (current.metadata.finalizers?.length ?? 0)) {
      throw new Error(
        `cannot add a finalizer to ${type.kind} ${keyOf(ref)}: it is being deleted (the API server forbids new finalizers then)`,
      );
    }
    const patch = {
      metadata: { resourceVersion: current.metadata?.resourceVersion ?? null, finalizers: next },
    };
    try {
      const updated = await rest.patch<T>(type, ref, patch, PatchType.merge);
      return { changed: true, object: updated };
    } catch (err) {
      if (isNotFound(err)) return { changed: false, object: undefined };
      if (!isConflict(err)) throw err;
    }
    try {
      current = await rest.get<T>(type, ref);
    } catch (err) {
      if (isNotFound(err)) return { changed: false, object: undefined };
      throw err;
    }
  }
  throw new Error(
    `finalizers of ${type.kind} ${keyOf(ref)} kept changing under us (${MAX_ATTEMPTS} conflicts); the next reconcile retries`,
  );
}
