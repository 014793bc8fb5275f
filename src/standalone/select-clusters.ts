// Which recorded ElastiCacheClusters `get`, `describe` (and `delete`) act on: by NAME or
// NAMESPACE/NAME, or those named by the ElastiCacheCluster documents of files (`-f`, as kubectl
// does: only kind, name and namespace are read, so a file that no longer validates still works).
import { ManifestReadError, readManifests } from "../api/manifests.ts";
import { nameProblem, namespaceProblem } from "../api/object-names.ts";
import type { StateStore, StoredObject } from "./state-store.ts";
import { UserError } from "./user-error.ts";

export interface ObjectRef {
  namespace: string;
  name: string;
}

export function clusterRefsInFiles(files: string[], kind = "ElastiCacheCluster"): ObjectRef[] {
  let documents: ReturnType<typeof readManifests>;
  try {
    documents = readManifests(files);
  } catch (err) {
    if (err instanceof ManifestReadError) throw new UserError(err.message);
    throw err;
  }
  const refs: ObjectRef[] = [];
  for (const doc of documents) {
    const o = doc.object as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    if (o?.kind !== kind) continue;
    const name = o.metadata?.name;
    const namespace = o.metadata?.namespace ?? "default";
    const rule = nameProblem(name) ?? namespaceProblem(namespace);
    if (rule !== undefined) throw new UserError(`${doc.file}:${doc.index}: ${kind}: ${rule}`);
    refs.push({ namespace: namespace as string, name: name as string });
  }
  return refs;
}

/** The stored clusters in the order asked, and the refs that are not recorded. */
export function selectClusters(
  store: StateStore,
  refs: ObjectRef[],
  kind = "ElastiCacheCluster",
): { found: StoredObject[]; missing: ObjectRef[] } {
  const found: StoredObject[] = [];
  const missing: ObjectRef[] = [];
  for (const ref of refs) {
    const object = store.get(kind, ref.namespace, ref.name);
    if (object) found.push(object);
    else missing.push(ref);
  }
  return { found, missing };
}

/** kubectl's `-o name` form, also the start of apply's and delete's lines: `elasticachecluster/NAME`. */
export function objectName(kind: string, name: string): string {
  return `${kind.toLowerCase()}/${name}`;
}
