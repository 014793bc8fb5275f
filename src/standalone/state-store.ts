// The standalone CLI's memory: one JSON file per object (AWSProvider, ElastiCacheCluster, and the
// names of Secrets), holding what Kubernetes would: metadata, spec, status and recent events.
// Each file is written atomically after every step, so an interrupted apply resumes from the last
// completed step. Secret values are never written: a Secret is kept as its name and key names.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { isName, isNamespace } from "../api/object-names.ts";
import { managedKinds } from "../kinds/registry.ts";
import type { KubeObject } from "../kube/rest.ts";
import { writeFileAtomic } from "../localcloud/state/atomic-file.ts";
import type { ObjectLookup } from "../runtime/references.ts";

/** AWSProvider, ElastiCacheCluster, Secret, or a kind of the family (src/kinds/registry.ts). */
export type StoredKind = string;
const STORED_KINDS: readonly string[] = [
  "AWSProvider",
  "ElastiCacheCluster",
  "Secret",
  ...managedKinds.map((k) => k.definition.kind),
];

export interface StoredEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
}

export interface StoredObject {
  apiVersion: string;
  kind: StoredKind;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    generation: number;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  /** For Secrets: only `{ keys: [...] }`, never values. */
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
  events?: StoredEvent[];
}

const MAX_EVENTS = 20;

export class StateStore {
  readonly dir: string;
  readonly #objects: string;

  constructor(dir: string) {
    this.dir = dir;
    this.#objects = join(dir, "objects");
  }

  /**
   * `KIND.NAMESPACE.NAME.json`. Unambiguous because kinds and namespaces (DNS-1123 labels) hold no
   * '.', and safe because no part holds a '/'. Callers validate first; this checks again so that a
   * path outside the state dir (or two objects in one file) cannot happen whatever reaches it.
   */
  #file(kind: StoredKind, namespace: string, name: string): string {
    if (!STORED_KINDS.includes(kind) || !isNamespace(namespace) || !isName(name)) {
      throw new Error(
        `refusing to store ${kind} ${JSON.stringify(`${namespace}/${name}`)}: not a valid name`,
      );
    }
    const file = resolve(this.#objects, `${kind}.${namespace}.${name}.json`);
    if (dirname(file) !== resolve(this.#objects)) {
      throw new Error(`refusing to store ${kind} ${namespace}/${name}: its path leaves ${this.#objects}`);
    }
    return file;
  }

  get(kind: StoredKind, namespace: string, name: string): StoredObject | undefined {
    const file = this.#file(kind, namespace, name);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, "utf8")) as StoredObject;
  }

  list(kind: StoredKind): StoredObject[] {
    if (!existsSync(this.#objects)) return [];
    return readdirSync(this.#objects)
      .filter((f) => f.startsWith(`${kind}.`) && f.endsWith(".json"))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(this.#objects, f), "utf8")) as StoredObject);
  }

  put(object: StoredObject): void {
    const { kind, metadata } = object;
    const file = this.#file(kind, metadata.namespace, metadata.name);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(file, `${JSON.stringify(object, null, 2)}\n`);
  }

  remove(kind: StoredKind, namespace: string, name: string): void {
    rmSync(this.#file(kind, namespace, name), { force: true });
  }

  /** The stored objects of one kind as a reference lookup ("namespace/name" keys). */
  lookup(kind: StoredKind): ObjectLookup {
    return {
      get: (key) => {
        const [namespace = "default", name = ""] = key.split("/");
        const found = isName(name) && isNamespace(namespace) ? this.get(kind, namespace, name) : undefined;
        return found as KubeObject | undefined;
      },
      list: () => this.list(kind) as unknown as KubeObject[],
    };
  }

  /**
   * The object as it will be stored for a new spec: the same uid and status as before, and a
   * generation that moves only when the spec changed (as the API server does).
   */
  prepare(input: {
    apiVersion: string;
    kind: StoredKind;
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    spec: Record<string, unknown>;
    now: Date;
  }): StoredObject {
    const previous = this.get(input.kind, input.namespace, input.name);
    const sameSpec = previous !== undefined && isDeepStrictEqual(previous.spec, input.spec);
    return {
      apiVersion: input.apiVersion,
      kind: input.kind,
      metadata: {
        name: input.name,
        namespace: input.namespace,
        uid: previous?.metadata.uid ?? randomUUID(),
        generation: previous === undefined ? 1 : previous.metadata.generation + (sameSpec ? 0 : 1),
        creationTimestamp: previous?.metadata.creationTimestamp ?? isoSeconds(input.now),
        ...(input.labels ? { labels: input.labels } : {}),
        ...(input.annotations ? { annotations: input.annotations } : {}),
      },
      spec: input.spec,
      ...(previous?.status ? { status: previous.status } : {}),
      ...(previous?.events ? { events: previous.events } : {}),
    };
  }
}

/** Appends events, merging a repeat of the last one (same type, reason, message) into a count. */
export function withEvents(
  events: StoredEvent[] | undefined,
  added: Array<{ type: "Normal" | "Warning"; reason: string; message: string }>,
  now: Date,
): StoredEvent[] {
  const list = [...(events ?? [])];
  const at = isoSeconds(now);
  for (const e of added) {
    const last = list[list.length - 1];
    if (last && last.type === e.type && last.reason === e.reason && last.message === e.message) {
      list[list.length - 1] = { ...last, lastTimestamp: at, count: last.count + 1 };
    } else {
      list.push({ ...e, firstTimestamp: at, lastTimestamp: at, count: 1 });
    }
  }
  return list.slice(-MAX_EVENTS);
}

export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
