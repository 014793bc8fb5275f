// Informer handlers that feed a controller's queue, so controllers are wired in one line:
//
//   clusters.addHandlers(enqueueObject(controller));                      // the primary kind
//   secrets.addHandlers(enqueueMapped(controller, (s) => clustersUsing(s))); // things it depends on
import type { InformerHandlers } from "./informer.ts";
import { objectKey } from "./keys.ts";
import type { KubeObject } from "./rest.ts";

export interface Enqueuer {
  enqueue(key: string): void;
}

export interface EnqueueOptions {
  /**
   * Skip updates that changed nothing a reconcile reacts to (see `significantChange`), such as
   * the controller's own status writes. Default true.
   */
  onlySignificant?: boolean;
}

/** Enqueues the object's own key on add, update (including periodic resyncs) and delete. */
export function enqueueObject(target: Enqueuer, options: EnqueueOptions = {}): InformerHandlers<KubeObject> {
  return enqueueMapped(target, (obj) => [objectKey(obj)], options);
}

/** Enqueues the keys `map` returns for the object (e.g. the clusters that use a Secret). */
export function enqueueMapped<T extends KubeObject>(
  target: Enqueuer,
  map: (obj: T) => Iterable<string>,
  options: EnqueueOptions = {},
): InformerHandlers<T> {
  const onlySignificant = options.onlySignificant ?? true;
  // Keys are collected first: enqueueing one key twice in a row could otherwise hand it to an
  // idle worker and then mark it dirty, reconciling it twice for one event.
  const enqueue = (...objs: T[]) => {
    const keys = new Set<string>();
    for (const obj of objs) for (const key of map(obj)) keys.add(key);
    for (const key of keys) target.enqueue(key);
  };
  return {
    add: (obj) => enqueue(obj),
    update: (oldObj, newObj) => {
      if (onlySignificant && !significantChange(oldObj, newObj)) return;
      // A changed reference (a cluster moved to another Secret) must wake the old dependents too.
      if (oldObj === newObj) enqueue(newObj);
      else enqueue(newObj, oldObj);
    },
    delete: (obj) => enqueue(obj),
  };
}

/**
 * Whether an update matters to a reconcile: always for periodic resyncs (same object) and for
 * objects without `generation` (Secrets, ConfigMaps: any change is content); otherwise when the
 * spec (generation), labels, annotations (e.g. force-sync), finalizers or deletion changed.
 * A status-only update, typically the controller's own write, is not significant.
 */
export function significantChange(oldObj: KubeObject, newObj: KubeObject): boolean {
  if (oldObj === newObj) return true;
  const a = oldObj.metadata ?? {};
  const b = newObj.metadata ?? {};
  if (b.generation === undefined) return a.resourceVersion !== b.resourceVersion;
  return (
    a.generation !== b.generation ||
    String(a.deletionTimestamp ?? "") !== String(b.deletionTimestamp ?? "") ||
    JSON.stringify(a.labels ?? {}) !== JSON.stringify(b.labels ?? {}) ||
    JSON.stringify(a.annotations ?? {}) !== JSON.stringify(b.annotations ?? {}) ||
    JSON.stringify(a.finalizers ?? []) !== JSON.stringify(b.finalizers ?? [])
  );
}
