// Metrics read from the objects themselves at scrape time (kube-state-metrics style), from the
// informers' caches: how many caches are in each AWS status, which caches and providers are not
// Ready, and why caches fail to sync. The dashboard and the alerts (src/monitoring/) use them.
// Every replica serves them from its own informers, so queries take max() across replicas.
import type { Condition, Informer, KubeObject, Registry } from "../kube/index.ts";

interface WithStatus {
  status?: { ready?: boolean; clusterStatus?: string; conditions?: Condition[] };
}

export function registerObjectMetrics(
  registry: Registry,
  informers: {
    clusters: Informer<KubeObject>;
    /** AWSProviders and ClusterAWSProviders (no namespace). */
    providers: Array<{ kind: string; informer: Informer<KubeObject> }>;
  },
): void {
  const byStatus = registry.gauge(
    "infra_operator_elasticache_clusters",
    "ElastiCacheClusters by the status AWS reports (unknown before the first look) and whether they are Ready.",
    ["status", "ready"],
  );
  const clusterReady = registry.gauge(
    "infra_operator_elasticache_cluster_ready",
    "1 when the ElastiCacheCluster is Ready (usable), else 0.",
    ["namespace", "name"],
  );
  const notSynced = registry.gauge(
    "infra_operator_elasticache_clusters_not_synced",
    "ElastiCacheClusters whose Synced condition is False, by its reason (AWSRejected, AccessDenied, Throttled, ...).",
    ["reason"],
  );
  const providerReady = registry.gauge(
    "infra_operator_awsprovider_ready",
    "1 when the AWSProvider or ClusterAWSProvider is Ready (its credentials verified), else 0.",
    ["kind", "namespace", "name"],
  );
  // All four are rebuilt together when the first one renders.
  byStatus.onCollect(() => {
    for (const g of [byStatus, clusterReady, notSynced, providerReady]) g.reset();
    for (const o of informers.clusters.list()) {
      const status = (o as WithStatus).status ?? {};
      const ready = status.ready === true;
      byStatus.inc({ status: status.clusterStatus ?? "unknown", ready: String(ready) });
      clusterReady.set(ref(o), ready ? 1 : 0);
      const synced = status.conditions?.find((c) => c.type === "Synced");
      if (synced?.status === "False") notSynced.inc({ reason: synced.reason || "Unknown" });
    }
    for (const { kind, informer } of informers.providers) {
      for (const o of informer.list()) {
        providerReady.set({ kind, ...ref(o) }, (o as WithStatus).status?.ready === true ? 1 : 0);
      }
    }
  });
}

function ref(o: KubeObject): { namespace: string; name: string } {
  return { namespace: o.metadata?.namespace ?? "", name: o.metadata?.name ?? "" };
}
