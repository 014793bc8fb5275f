// `plan`: what apply would do, with read-only AWS calls only (describe and list tags): create,
// which fields would be modified, or nothing. Nothing is written to the state dir.
import type { ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import { topologyOf } from "../api/topology.ts";
import { formatMonthlyDifference } from "../cost/estimate.ts";
import { plannedCost } from "../cost/plan-cost.ts";
import { familyGraph } from "../kinds/graph.ts";
import { describeChanges, type PendingChange } from "../planner/describe-changes.ts";
import { ADOPT_ANNOTATION } from "../planner/ownership.ts";
import type { Memory } from "../planner/plan-types.ts";
import {
  migrateTokenHashes,
  NO_TOKEN_FINGERPRINT,
  type TokenFingerprint,
} from "../planner/token-fingerprint.ts";
import type { ElastiCacheApi } from "../runtime/elasticache-api.ts";
import { type ManagedStatus, managedStep } from "../runtime/step.ts";
import { connect } from "./connect.ts";
import { stateDirFingerprint } from "./fingerprint-key.ts";
import { loadManifestSet } from "./manifest-set.ts";
import { plannedAutoScaling } from "./plan-auto-scaling.ts";
import { type ResolvedFamilyObject, resolveClusters, resolveFamily } from "./resolve.ts";
import { StateStore } from "./state-store.ts";

export interface PlanOptions {
  files: string[];
  stateDir: string;
  out: { write(text: string): unknown };
}

const SYMBOL: Record<PendingChange["kind"], string> = {
  create: "+",
  modify: "~",
  tags: "~",
  adopt: "~",
  wait: "…",
  refused: "!",
};

export async function planManifests(o: PlanOptions): Promise<number> {
  const print = (line: string) => o.out.write(`${line}\n`);
  const set = loadManifestSet(o.files);
  const store = new StateStore(o.stateDir);
  const resolved = resolveClusters(set, store, set.clusters, print);
  const family = resolveFamily(set, store, set.family, print);
  const connections = await connect(o.stateDir, resolved, print, family);
  let pending = 0;
  let refused = 0;
  const totals = { after: 0, before: 0, unpriced: 0 };
  try {
    for (const f of family) {
      const line = await planFamilyObject(
        f,
        store,
        connections.apiOf(f.provider),
        f.secrets.length > 0 ? stateDirFingerprint(o.stateDir) : undefined,
      );
      print(line);
      if (!line.startsWith("=")) pending++;
    }
    for (const r of resolved) {
      const namespace = r.namespace;
      const name = r.cluster.metadata.name;
      const stored = store.get("ElastiCacheCluster", namespace, name);
      const status = (stored?.status ?? {}) as ElastiCacheClusterStatus;
      const fingerprint = r.authToken !== undefined ? stateDirFingerprint(o.stateDir) : NO_TOKEN_FINGERPRINT;
      const memory: Memory = migrateTokenHashes(
        {
          topology: status.topology,
          clusterMode: status.clusterMode,
          appliedTagKeys: status.appliedTagKeys,
          appliedTagsHash: status.appliedTagsHash,
          authTokenHash: status.authTokenHash,
          pendingAuthTokenHash: status.pendingAuthTokenHash,
          authTokenRotatedAt: status.authTokenRotatedAt,
        },
        r.authToken,
        fingerprint,
      );
      const gateway = connections.gatewayOf(r.provider);
      let observed = await gateway.observe(
        r.cluster.spec.clusterID,
        memory.topology ?? topologyOf(r.cluster.spec),
      );
      if (observed) observed = { ...observed, tags: await gateway.listTags(observed.arn) };
      const changes = describeChanges({
        owner: { namespace, name, uid: stored?.metadata.uid ?? "(new)" },
        spec: r.cluster.spec,
        defaultTags: r.provider.spec.defaultTags ?? {},
        ...(r.authToken !== undefined ? { authTokenHash: fingerprint(r.authToken) } : {}),
        adopt: r.cluster.metadata.annotations?.[ADOPT_ANNOTATION] === "true",
        memory: Object.fromEntries(Object.entries(memory).filter(([, v]) => v !== undefined)) as Memory,
        observed,
        now: new Date(),
        pollSeconds: 0, // a plan only describes; it never waits
        rotationGraceSeconds: 60,
      });
      const scaling = await plannedAutoScaling(r.cluster.spec, status, observed, gateway);
      const title = `ElastiCacheCluster ${namespace}/${name} (${r.cluster.spec.clusterID})`;
      const cost = plannedCost(r.provider.spec.region, r.cluster.spec, observed);
      if (cost.afterUSD === undefined) totals.unpriced++;
      else {
        totals.after += cost.afterUSD;
        totals.before += cost.beforeUSD ?? cost.afterUSD;
      }
      if (changes.length === 0 && scaling.calls.length === 0) {
        print(`= ${title}: no changes`);
        for (const line of scaling.owned) print(`    = autoScaling: ${line}`);
        print(`    $ ${cost.line}`);
        continue;
      }
      print(`${changes.some((c) => c.kind === "create") ? "+" : "~"} ${title}:`);
      for (const c of changes) {
        if (c.kind === "refused") refused++;
        else if (c.kind !== "wait") pending++;
        const fields = c.kind === "modify" && c.fields.length > 0 ? `${c.fields.join(", ")}: ` : "";
        print(`    ${SYMBOL[c.kind]} ${c.kind === "create" ? "create" : c.kind}: ${fields}${c.message}`);
      }
      pending += scaling.calls.length;
      for (const line of scaling.calls) print(`    ~ autoScaling: ${line}`);
      for (const line of scaling.owned) print(`    = autoScaling: ${line}`);
      print(`    $ ${cost.line}`);
    }
  } finally {
    connections.close();
  }
  print(`Plan: ${pending} change(s), ${refused} refused.`);
  if (resolved.length > 0) print(totalLine(totals));
  return refused > 0 ? 1 : 0;
}

/** `Estimated cost after apply: $2,453/month on demand (+$2,453/month).` */
function totalLine(t: { after: number; before: number; unpriced: number }): string {
  const unpriced = t.unpriced > 0 ? `; ${t.unpriced} cache(s) not priced` : "";
  const total = formatMonthlyDifference(0, t.after).replace(/^[+±]/, "");
  return `Estimated cost after apply: ${total} on demand (${formatMonthlyDifference(t.before, t.after)})${unpriced}.`;
}

/** One line for an object of the family: what the runtime's next step would do (nothing is called). */
async function planFamilyObject(
  f: ResolvedFamilyObject,
  store: StateStore,
  api: ElastiCacheApi,
  fingerprint: TokenFingerprint | undefined,
): Promise<string> {
  const { namespace, name } = f.object.metadata;
  const stored = store.get(f.object.kind, namespace, name);
  const spec = f.kind.parseSpec(f.object.spec);
  const title = `${f.object.kind} ${namespace}/${name} (${f.kind.awsName(spec)})`;
  const graph = familyGraph((kind) => store.lookup(kind));
  const refs = f.kind.references?.(spec, stored?.status) ?? [];
  const waiting = graph.waitFor(namespace, refs);
  if (waiting !== undefined && stored !== undefined) return `… ${title}: ${waiting.message}`;
  const result = await managedStep({
    kind: f.kind,
    spec,
    status: (stored?.status ?? {}) as ManagedStatus,
    generation: (stored?.metadata.generation ?? 0) + 1,
    owner: { namespace, name, uid: stored?.metadata.uid ?? "(new)" },
    deleting: false,
    adopt: f.object.metadata.annotations?.[ADOPT_ANNOTATION] === "true",
    defaultTags: f.provider.spec.defaultTags ?? {},
    secrets: f.secrets,
    fingerprint,
    resolved: graph.awsNames(namespace, refs),
    api,
    now: Date.now(),
    dryRun: true,
  });
  const ready = result.status.conditions?.find((c) => c.type === "Ready");
  const synced = result.status.conditions?.find((c) => c.type === "Synced");
  if (result.status.ready) return `= ${title}: no change`;
  if (synced?.status === "False") return `! ${title}: ${synced.reason}: ${synced.message}`;
  const symbol = ready?.reason === "Creating" ? "+" : "~";
  return `${symbol} ${title}: ${ready?.message ?? ready?.reason ?? "pending"}`;
}
