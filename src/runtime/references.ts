// Objects naming other objects of their namespace: a reference waits until the named object is
// Ready and yields its AWS name; a deletion waits while others still name the object.
import { objectKey } from "../kube/keys.ts";
import type { KubeObject } from "../kube/rest.ts";
import type { AnyManagedKind, Reference } from "./kind.ts";

/** Objects of one kind by "namespace/name": an informer in the operator, the state dir in the CLI. */
export interface ObjectLookup {
  get(key: string): KubeObject | undefined;
  list(): KubeObject[];
}

/** Every kind that can name or be named: the managed kinds, and ElastiCacheCluster's references. */
export interface ReferenceSource {
  kind: string;
  informer: ObjectLookup;
  /** The references an object of this kind makes (by object name or by AWS name), given its last status. */
  references(spec: unknown, status?: Record<string, unknown>): Reference[];
  /** The resource's AWS name (undefined for kinds that cannot be named, like ElastiCacheCluster). */
  awsName?(spec: unknown): string | undefined;
}

export type Resolution = { awsName: string } | { reason: string; message: string };

export class ReferenceGraph {
  readonly #sources: Map<string, ReferenceSource>;

  constructor(sources: ReferenceSource[]) {
    this.#sources = new Map(sources.map((s) => [s.kind, s]));
  }

  /** The AWS name of a referenced object, or why the referencing object must wait. */
  resolve(namespace: string, ref: Reference): Resolution {
    const source = this.#sources.get(ref.kind);
    if (source === undefined) return { awsName: ref.awsName ?? ref.name };
    const target =
      ref.awsName === undefined
        ? source.informer.get(`${namespace}/${ref.name}`)
        : this.#byAwsName(source, namespace, ref.awsName);
    // A name given as an AWS name that no object of the namespace has: a resource made outside.
    if (target === undefined && ref.awsName !== undefined) return { awsName: ref.awsName };
    if (target === undefined)
      return {
        reason: "WaitingForReference",
        message: `waiting for ${ref.kind} ${namespace}/${ref.name} (${ref.field}): it does not exist yet; create it`,
      };
    const status = (target as { status?: { ready?: boolean } }).status;
    const name = target.metadata?.name ?? ref.name;
    if (status?.ready !== true || target.metadata?.deletionTimestamp !== undefined)
      return {
        reason: "WaitingForReference",
        message: `waiting for ${ref.kind} ${namespace}/${name} (${ref.field}) to be Ready`,
      };
    return { awsName: source.awsName?.(specOf(target)) ?? ref.awsName ?? ref.name };
  }

  /** The AWS name of each reference; one not Ready yet stands for the name the spec gives. */
  awsNames(namespace: string, refs: Reference[]): string[] {
    return refs.map((ref) => {
      const r = this.resolve(namespace, ref);
      return "awsName" in r ? r.awsName : (ref.awsName ?? ref.name);
    });
  }

  /** The first reference that is not Ready yet, or undefined when all are (or name outside resources). */
  waitFor(namespace: string, refs: Reference[]): { reason: string; message: string } | undefined {
    for (const ref of refs) {
      const r = this.resolve(namespace, ref);
      if ("reason" in r) return r;
    }
    return undefined;
  }

  /**
   * Objects of the namespace that name this one (by object name or by its AWS name). One being
   * deleted still counts until it is gone: its AWS resource may use this one until then (a user
   * group held by its cluster still holds its users; deleting a user takes it out of its groups).
   */
  usersOf(kind: string, namespace: string, name: string, awsName: string | undefined): string[] {
    const users: string[] = [];
    for (const source of this.#sources.values()) {
      for (const obj of source.informer.list()) {
        if (obj.metadata?.namespace !== namespace) continue;
        const names = safeReferences(source, obj).some(
          (r) =>
            r.kind === kind &&
            (r.awsName === undefined ? r.name === name : awsName !== undefined && r.awsName === awsName),
        );
        if (names)
          users.push(
            `${source.kind} ${obj.metadata?.name}${obj.metadata?.deletionTimestamp !== undefined ? " (being deleted)" : ""}`,
          );
      }
    }
    return users.sort();
  }

  /** Keys of objects (of `source`'s kind) that name the given object: they re-check when it changes. */
  dependents(sourceKind: string, target: KubeObject, targetKind: string): string[] {
    const source = this.#sources.get(sourceKind);
    const targetSource = this.#sources.get(targetKind);
    if (source === undefined) return [];
    const namespace = target.metadata?.namespace;
    const awsName = targetSource?.awsName?.(specOf(target));
    return source.informer
      .list()
      .filter((obj) => obj.metadata?.namespace === namespace)
      .filter((obj) =>
        safeReferences(source, obj).some(
          (r) =>
            r.kind === targetKind &&
            (r.awsName === undefined ? r.name === target.metadata?.name : r.awsName === awsName),
        ),
      )
      .map((obj) => objectKey(obj));
  }

  /** Keys of the objects of `targetKind` that `changed` (of `changedKind`) names: a deletion they hold re-checks. */
  targets(changedKind: string, changed: KubeObject, targetKind: string): string[] {
    const source = this.#sources.get(changedKind);
    const target = this.#sources.get(targetKind);
    const namespace = changed.metadata?.namespace;
    if (source === undefined || target === undefined || namespace === undefined) return [];
    const keys: string[] = [];
    for (const ref of safeReferences(source, changed)) {
      if (ref.kind !== targetKind) continue;
      const obj =
        ref.awsName === undefined
          ? target.informer.get(`${namespace}/${ref.name}`)
          : this.#byAwsName(target, namespace, ref.awsName);
      if (obj !== undefined) keys.push(objectKey(obj));
    }
    return keys;
  }

  #byAwsName(source: ReferenceSource, namespace: string, awsName: string): KubeObject | undefined {
    return source.informer
      .list()
      .find((o) => o.metadata?.namespace === namespace && safeAwsName(source, o) === awsName);
  }
}

/** A managed kind as a reference source. */
export function kindSource(kind: AnyManagedKind, informer: ObjectLookup): ReferenceSource {
  return {
    kind: kind.definition.kind,
    informer,
    references: (spec, status) => kind.references?.(kind.parseSpec(spec), status) ?? [],
    awsName: (spec) => kind.awsName(kind.parseSpec(spec)),
  };
}

function specOf(obj: KubeObject): unknown {
  return (obj as { spec?: unknown }).spec;
}

function safeReferences(source: ReferenceSource, obj: KubeObject): Reference[] {
  try {
    return source.references(specOf(obj), (obj as { status?: Record<string, unknown> }).status);
  } catch {
    return [];
  }
}

function safeAwsName(source: ReferenceSource, obj: KubeObject): string | undefined {
  try {
    return source.awsName?.(specOf(obj));
  } catch {
    return undefined;
  }
}
