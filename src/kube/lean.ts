// What an informer keeps of each object: everything the operator reads, without the bookkeeping
// the API server and kubectl attach to it. `metadata.managedFields` (server-side apply's field
// owners) and kubectl's last-applied-configuration annotation (a second copy of the whole object,
// Secret data included) are often larger than the object itself; at 10,000 objects they would be
// most of the cache. Nothing in the operator reads them, and no write sends the cached metadata back
// whole (status and finalizer writes are merge patches of their own fields).
import type { KubeObject } from "./rest.ts";

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** Drops managedFields and the last-applied annotation, in place; returns the object. */
export function leanObject<T extends KubeObject>(obj: T): T {
  const metadata = obj.metadata as (KubeObject["metadata"] & { managedFields?: unknown }) | undefined;
  if (metadata === undefined) return obj;
  delete metadata.managedFields;
  const annotations = metadata.annotations;
  if (annotations !== undefined && LAST_APPLIED_ANNOTATION in annotations) {
    delete annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
  }
  return obj;
}
