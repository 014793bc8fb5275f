// `apply`: validate the files, resolve providers and Secrets, record the objects in the state dir,
// then drive every cluster (concurrently) with the operator's reconcile step until Ready.
import type { ElastiCacheCluster } from "../api/objects.ts";
import { clusterReferences } from "../kinds/cluster-references.ts";
import { familyGraph } from "../kinds/graph.ts";
import type { ServerlessCacheSpec, ServerlessCacheStatus } from "../kinds/serverless-cache/schema.ts";
import { verdictLine, verdictOf } from "./apply-verdict.ts";
import { connect } from "./connect.ts";
import { connectionSummary, serverlessConnectionSummary } from "./connection-summary.ts";
import { type DriveOutcome, driveCluster } from "./drive-cluster.ts";
import { driveManaged } from "./drive-managed.ts";
import { stateDirFingerprint } from "./fingerprint-key.ts";
import { type FamilyObject, loadManifestSet, type ManifestSet } from "./manifest-set.ts";
import { type ProgressOutput, ProgressView } from "./progress-view.ts";
import { resolveClusters, resolveFamily } from "./resolve.ts";
import { objectName } from "./select-clusters.ts";
import { StateStore, type StoredObject } from "./state-store.ts";

export interface ApplyOptions {
  files: string[];
  stateDir: string;
  wait: boolean;
  timeoutMs: number;
  rotationGraceSeconds: number;
  out: ProgressOutput;
  err: (line: string) => void;
  /** Called once the objects are recorded, before the first step (SIGINT handling). */
  onStarted?: (view: ProgressView) => void;
}

export async function applyManifests(o: ApplyOptions): Promise<number> {
  const print = (line: string) => o.out.write(`${line}\n`);
  const set = loadManifestSet(o.files);
  const store = new StateStore(o.stateDir);
  const resolved = resolveClusters(set, store, set.clusters, print);
  const family = resolveFamily(set, store, set.family, print);
  const connections = await connect(o.stateDir, resolved, print, family);
  const graph = familyGraph((kind) => store.lookup(kind));
  try {
    const record = (next: StoredObject) => {
      const previous = store.get(next.kind, next.metadata.namespace, next.metadata.name);
      store.put(next);
      print(verdictLine(objectName(next.kind, next.metadata.name), verdictOf(previous, next)));
    };
    const now = new Date();
    for (const object of otherObjects(store, set, now)) record(object);
    const members = family.map((f) => ({ f, stored: storedFamilyObject(store, f.object, now) }));
    for (const { stored } of members) record(stored);
    const entries = resolved.map((r) => ({ r, stored: storedCluster(store, r.cluster, now) }));
    for (const { stored } of entries) record(stored);
    if (entries.length === 0 && members.length === 0) {
      print(
        `no ElastiCacheCluster in the files; recorded ${set.providers.length} AWSProvider(s) in ${o.stateDir}`,
      );
      return 0;
    }
    const label = (s: StoredObject) =>
      s.metadata.namespace === "default" ? s.metadata.name : `${s.metadata.namespace}/${s.metadata.name}`;
    const view = new ProgressView(
      o.out,
      [...members, ...entries].map((e) => label(e.stored)),
    );
    o.onStarted?.(view);
    const deadline = Date.now() + o.timeoutMs;
    // Every object at once: each waits for what it names to be Ready, so the order follows the references.
    const familyOutcomes = Promise.all(
      members.map(async ({ f, stored }) => {
        const outcome = await driveManaged({
          store,
          stored,
          kind: f.kind,
          api: connections.apiOf(f.provider),
          graph,
          defaultTags: f.provider.spec.defaultTags ?? {},
          secrets: f.secrets,
          ...(f.secrets.length > 0 ? { fingerprint: stateDirFingerprint(o.stateDir) } : {}),
          deleting: false,
          deadline,
          onProgress: (p) => view.update({ ...p, name: label(stored) }),
        }).catch((err: unknown) => ({
          ok: false,
          message: (err as Error).message,
          status: {},
          released: false,
        }));
        view.done(label(stored));
        return { f, stored, outcome };
      }),
    );
    const outcomes = await Promise.all(
      entries.map(async ({ r, stored }) => {
        const outcome = await driveCluster({
          store,
          stored,
          cluster: r.cluster,
          gateway: connections.gatewayOf(r.provider),
          defaultTags: r.provider.spec.defaultTags ?? {},
          ...(r.authToken !== undefined
            ? { authToken: r.authToken, fingerprint: stateDirFingerprint(o.stateDir) }
            : {}),
          deleting: false,
          wait: o.wait,
          waitFor: () =>
            graph.waitFor(r.namespace, clusterReferences(r.cluster.spec, stored.status))?.message,
          deadline,
          rotationGraceSeconds: o.rotationGraceSeconds,
          onProgress: (p) => view.update({ ...p, name: label(stored) }),
        }).catch(
          (err: unknown): DriveOutcome => ({
            ok: false,
            message: (err as Error).message,
            status: {},
            released: false,
          }),
        );
        view.done(label(stored));
        return { r, stored, outcome };
      }),
    );
    const familyDone = await familyOutcomes;
    view.stop();
    let failed = 0;
    for (const { f, stored, outcome } of familyDone) {
      if (!outcome.ok) {
        failed++;
        o.err(`${label(stored)}: not ready: ${outcome.message}`);
        continue;
      }
      print(`${objectName(stored.kind, stored.metadata.name)}: ${outcome.message}`);
      // A serverless cache's connection: what the operator writes to its connection Secret.
      const status = outcome.status as ServerlessCacheStatus;
      if (stored.kind === "ElastiCacheServerlessCache" && status.ready === true) {
        const caFile = f.provider.local ? connections.localCloud?.caFile : undefined;
        for (const line of serverlessConnectionSummary(
          label(stored),
          stored.spec as ServerlessCacheSpec,
          status,
          caFile ? { caFile } : {},
        ))
          print(line);
      }
    }
    for (const { r, stored, outcome } of outcomes) {
      if (!outcome.ok) {
        failed++;
        o.err(`${label(stored)}: not ready: ${outcome.message}`);
        continue;
      }
      if (!o.wait && !outcome.status.ready) {
        print(
          `${label(stored)}: ${outcome.message}; follow it with: infra-operator get ${stored.metadata.name}`,
        );
        continue;
      }
      const caFile = r.provider.local ? connections.localCloud?.caFile : undefined;
      for (const line of connectionSummary(
        label(stored),
        r.cluster.spec,
        outcome.status,
        caFile ? { caFile } : {},
      )) {
        print(line);
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    connections.close();
  }
}

/** Providers as given; Secrets by name and key names only (never their values). */
function otherObjects(store: StateStore, set: ManifestSet, now: Date): StoredObject[] {
  const providers = set.providers.map((p) =>
    store.prepare({
      apiVersion: p.apiVersion,
      kind: "AWSProvider",
      name: p.metadata.name,
      namespace: p.metadata.namespace ?? "default",
      spec: p.spec as Record<string, unknown>,
      now,
    }),
  );
  const secrets = [...set.secrets].map(([key, secret]) => {
    const [namespace = "default", name = ""] = key.split("/");
    return store.prepare({
      apiVersion: "v1",
      kind: "Secret",
      name,
      namespace,
      spec: { keys: Object.keys(secret.data ?? {}).sort() },
      now,
    });
  });
  return [...providers, ...secrets];
}

function storedFamilyObject(store: StateStore, object: FamilyObject, now: Date): StoredObject {
  return store.prepare({
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    ...(object.metadata.labels ? { labels: object.metadata.labels } : {}),
    ...(object.metadata.annotations ? { annotations: object.metadata.annotations } : {}),
    spec: object.spec,
    now,
  });
}

function storedCluster(store: StateStore, cluster: ElastiCacheCluster, now: Date): StoredObject {
  return store.prepare({
    apiVersion: cluster.apiVersion,
    kind: "ElastiCacheCluster",
    name: cluster.metadata.name,
    namespace: cluster.metadata.namespace ?? "default",
    ...(cluster.metadata.labels ? { labels: cluster.metadata.labels } : {}),
    ...(cluster.metadata.annotations ? { annotations: cluster.metadata.annotations } : {}),
    spec: cluster.spec as Record<string, unknown>,
    now,
  });
}
