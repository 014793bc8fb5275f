// The objects this process wrote last (finalizer added, status written), kept until its informer
// has caught up with them.
//
// A reconcile that starts right after one of ours reads the informer's copy, which may not have
// seen our write yet (its watch event is still on the way; a loaded machine stretches that). The
// status in that copy is from before the write: for a cluster, one without the topology it was just
// created with, so the step (which skips the look before a create) would create it a second time.
// Reconciles therefore start from the newer of the informer's copy and our last write.
//
// "Newer" compares resourceVersions as integers: the API server's are etcd revisions, and
// Kubernetes made that comparison official (KEP-5504, comparable resource versions). A version that
// is not an integer is never compared: the informer's copy is used, as before.
import type { KubeObject } from "./rest.ts";

/** Entries checked against the informer on each write, oldest first, so the map stays small. */
const SWEEP = 4;

export class OwnWrites<T extends KubeObject> {
  readonly #written = new Map<string, T>();
  readonly #cached: (key: string) => T | undefined;

  /** `cached` reads the informer's copy of a key. */
  constructor(cached: (key: string) => T | undefined) {
    this.#cached = cached;
  }

  /** Remembers the object as the API server answered a write of it. */
  wrote(key: string, obj: T | undefined): void {
    if (obj === undefined) return;
    let swept = 0;
    for (const [k, w] of this.#written) {
      if (swept++ >= SWEEP) break;
      if (!isOlder(this.#cached(k), w)) this.#written.delete(k);
    }
    this.#written.delete(key);
    this.#written.set(key, obj);
  }

  /** The informer's copy, or our last write when the informer has not seen it yet. */
  freshest(key: string): T | undefined {
    const cached = this.#cached(key);
    const written = this.#written.get(key);
    if (written === undefined) return cached;
    // Gone from the informer: its deletion came after our write.
    if (cached === undefined || !isOlder(cached, written)) {
      this.#written.delete(key);
      return cached;
    }
    return written;
  }

  forget(key: string): void {
    this.#written.delete(key);
  }

  get size(): number {
    return this.#written.size;
  }
}

/** True when `a` is a version of the object from before `b` (both resourceVersions integers). */
export function isOlder(a: KubeObject | undefined, b: KubeObject): boolean {
  const va = revision(a?.metadata?.resourceVersion);
  const vb = revision(b.metadata?.resourceVersion);
  return va !== undefined && vb !== undefined && a?.metadata?.uid === b.metadata?.uid && va < vb;
}

function revision(v: string | undefined): bigint | undefined {
  return v !== undefined && /^[0-9]+$/.test(v) ? BigInt(v) : undefined;
}
