// `delete`: the same reconcile step with deletion set, so deletionPolicy means what it means for
// the operator (Delete removes the cache in AWS and waits until it is gone, Retain leaves it,
// Orphan strips infra-operator's tags); the object then leaves the state dir.
import { type ElastiCacheCluster, parseElastiCacheCluster } from "../api/objects.ts";
import { familyGraph } from "../kinds/graph.ts";
import { connect } from "./connect.ts";
import { type DriveOutcome, driveCluster } from "./drive-cluster.ts";
import { driveManaged } from "./drive-managed.ts";
import { emptyManifestSet, type FamilyObject, loadManifestSet, type ManifestSet } from "./manifest-set.ts";
import { type ProgressOutput, ProgressView } from "./progress-view.ts";
import { resolveClusters, resolveFamily } from "./resolve.ts";
import { objectName } from "./select-clusters.ts";
import { StateStore, type StoredObject } from "./state-store.ts";
import { UserError } from "./user-error.ts";

export interface DeleteOptions {
  /** Clusters by namespace/name; with `files`, those of the files. */
  names: Array<{ namespace: string; name: string }>;
  /** Objects of the family's kinds (src/kinds/) by kind and namespace/name. */
  familyNames?: Array<{ kind: string; namespace: string; name: string }>;
  files: string[];
  stateDir: string;
  timeoutMs: number;
  out: ProgressOutput;
  err: (line: string) => void;
}

export async function deleteClusters(o: DeleteOptions): Promise<number> {
  const print = (line: string) => o.out.write(`${line}\n`);
  const store = new StateStore(o.stateDir);
  const set: ManifestSet = o.files.length > 0 ? loadManifestSet(o.files) : emptyManifestSet();
  const wanted = [
    ...o.names,
    ...set.clusters.map((c) => ({ namespace: c.metadata.namespace ?? "default", name: c.metadata.name })),
  ];
  const stored: StoredObject[] = [];
  for (const w of wanted) {
    const object = store.get("ElastiCacheCluster", w.namespace, w.name);
    if (object) stored.push(object);
    else if (o.names.includes(w)) {
      throw new UserError(
        `no ElastiCacheCluster ${w.namespace}/${w.name} in ${o.stateDir}; \`infra-operator get\` lists what is there`,
      );
    } else print(`ElastiCacheCluster ${w.namespace}/${w.name} is not in the state dir; nothing to delete`);
  }
  const familyStored: StoredObject[] = [];
  const familyWanted = [
    ...(o.familyNames ?? []),
    ...set.family.map((f) => ({ kind: f.kind, namespace: f.metadata.namespace, name: f.metadata.name })),
  ];
  for (const w of familyWanted) {
    const object = store.get(w.kind, w.namespace, w.name);
    if (object) familyStored.push(object);
    else if (o.familyNames?.includes(w))
      throw new UserError(
        `no ${w.kind} ${w.namespace}/${w.name} in ${o.stateDir}; \`infra-operator get ${w.kind.toLowerCase()}\` lists what is there`,
      );
    else print(`${w.kind} ${w.namespace}/${w.name} is not in the state dir; nothing to delete`);
  }
  // The stored spec is what was applied last: its deletionPolicy is the one that counts.
  const clusters = stored.map(clusterOf);
  const resolved = resolveClusters(set, store, clusters, print, { authTokens: false });
  const family = resolveFamily(set, store, familyStored.map(familyObjectOf), print, { secrets: false });
  // Every policy talks to AWS, Retain too (it marks the cache as retained by this object's uid).
  const connections = await connect(o.stateDir, resolved, print, family);
  const graph = familyGraph((kind) => store.lookup(kind));
  try {
    const label = (s: StoredObject) =>
      s.metadata.namespace === "default" ? s.metadata.name : `${s.metadata.namespace}/${s.metadata.name}`;
    const view = new ProgressView(o.out, [...familyStored, ...stored].map(label));
    const deadline = Date.now() + o.timeoutMs;
    // All at once: a Delete of what others still name waits until they are gone.
    const familyOutcomes = Promise.all(
      family.map(async (f, i) => {
        const object = familyStored[i] as StoredObject;
        const outcome = await driveManaged({
          store,
          stored: object,
          kind: f.kind,
          api: connections.apiOf(f.provider),
          graph,
          defaultTags: f.provider.spec.defaultTags ?? {},
          secrets: [],
          deleting: true,
          deadline,
          onProgress: (p) => view.update({ ...p, name: label(object) }),
        }).catch((err: unknown) => ({
          ok: false,
          message: (err as Error).message,
          status: {},
          released: false,
        }));
        view.done(label(object));
        return { object, outcome };
      }),
    );
    const outcomes = await Promise.all(
      resolved.map(async (r, i) => {
        const object = stored[i] as StoredObject;
        const outcome = await driveCluster({
          store,
          stored: object,
          cluster: r.cluster,
          gateway: connections.gatewayOf(r.provider),
          defaultTags: r.provider.spec.defaultTags ?? {},
          deleting: true,
          wait: true,
          deadline,
          rotationGraceSeconds: 0,
          onProgress: (p) => view.update({ ...p, name: label(object) }),
        }).catch(
          (err: unknown): DriveOutcome => ({
            ok: false,
            message: (err as Error).message,
            status: {},
            released: false,
          }),
        );
        view.done(label(object));
        return { object, outcome };
      }),
    );
    const familyDone = await familyOutcomes;
    view.stop();
    let failed = 0;
    for (const { object, outcome } of [...familyDone, ...outcomes]) {
      if (outcome.ok) print(`${objectName(object.kind, object.metadata.name)} deleted (${outcome.message})`);
      else {
        failed++;
        o.err(`${label(object)}: not deleted: ${outcome.message}`);
      }
    }
    if (failed === 0) {
      for (const p of set.providers)
        store.remove("AWSProvider", p.metadata.namespace ?? "default", p.metadata.name);
      for (const key of set.secrets.keys()) {
        const [namespace = "default", name = ""] = key.split("/");
        store.remove("Secret", namespace, name);
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    connections.close();
  }
}

function familyObjectOf(o: StoredObject): FamilyObject {
  const { name, namespace, annotations } = o.metadata;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: o.spec,
  };
}

function clusterOf(o: StoredObject): ElastiCacheCluster {
  return parseElastiCacheCluster(
    {
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        ...(o.metadata.annotations ? { annotations: o.metadata.annotations } : {}),
      },
      spec: o.spec,
    },
    { stored: true },
  );
}
