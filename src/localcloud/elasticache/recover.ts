// After a restart: every persisted resource gets its engine processes back, on the same ports and
// data dirs; work interrupted by the stop is settled the way it would have ended.
import type { CacheClusterRecord } from "../state/records.ts";
import type { Cloud } from "./cloud.ts";
import { startNodes, stopNodes } from "./nodes.ts";
import { attachReplicas } from "./replication-groups.ts";
import { recoverServerless } from "./serverless-engines.ts";
import { clusterLayout } from "./topology.ts";

const settledStatus: Record<string, string> = {
  creating: "available",
  modifying: "available",
  snapshotting: "available",
  "rebooting cache cluster nodes": "available",
};

export async function recover(cloud: Cloud): Promise<void> {
  const s = cloud.state;
  for (const snap of Object.values(s.snapshots)) if (snap.status === "creating") snap.status = "failed";
  const starts: Promise<void>[] = [];
  // A replication group stopped while deleting finishes deleting, members included.
  for (const rg of Object.values(s.replicationGroups)) {
    if (rg.status !== "deleting") continue;
    for (const id of rg.nodeGroups.flatMap((g) => g.members)) {
      const member = s.clusters[id];
      if (member) member.replicationGroupId = undefined;
      if (member) member.status = "deleting";
    }
    delete s.replicationGroups[rg.id];
    delete s.tags[rg.arn];
  }
  for (const c of Object.values(s.clusters)) {
    if (c.status === "deleting" && !c.replicationGroupId) {
      starts.push(
        stopNodes(cloud, c.nodes, true).then(() => {
          delete s.clusters[c.id];
          delete s.tags[c.arn];
        }),
      );
      continue;
    }
    const rg = c.replicationGroupId ? s.replicationGroups[c.replicationGroupId] : undefined;
    starts.push(
      startNodes(cloud, c, { clusterEnabled: rg?.clusterMode ?? false })
        .then(() => cloud.memcachedDiscovery.open(c))
        .then(() => {
          c.status = settledStatus[c.status] ?? c.status;
        })
        .catch((e: Error) => {
          cloud.log(`local cloud: cannot restart cache cluster ${c.id}: ${e.message}`);
          c.status = "incompatible-restore";
        }),
    );
  }
  await Promise.all(starts);
  for (const rg of Object.values(s.replicationGroups)) {
    const wasCreating = rg.status === "creating";
    rg.status = settledStatus[rg.status] ?? rg.status;
    if (rg.clusterMode && wasCreating) {
      // Stopped while forming: form it now (nodes that already met keep what they agreed).
      try {
        await cloud.engines.createCluster(clusterLayout(s.clusters, rg));
      } catch (e) {
        cloud.log(
          `local cloud: cluster-mode group ${rg.id} could not form after restart: ${(e as Error).message}`,
        );
        rg.status = "create-failed";
      }
      continue;
    }
    if (rg.clusterMode) {
      // Available only once the cluster serves again: until every peer is back, nodes answer CLUSTERDOWN.
      const nodeIds = rg.nodeGroups
        .flatMap((g) => g.members)
        .flatMap(
          (m) => (s.clusters[m] as CacheClusterRecord | undefined)?.nodes.map((n) => n.engineNodeId) ?? [],
        );
      try {
        await cloud.engines.awaitClusterHealthy(nodeIds);
      } catch (e) {
        cloud.log(
          `local cloud: cluster-mode group ${rg.id} did not become healthy after restart: ${(e as Error).message}`,
        );
      }
      continue;
    }
    for (const g of rg.nodeGroups) {
      try {
        const members = g.members.filter(
          (m) => (s.clusters[m] as CacheClusterRecord | undefined)?.nodes[0]?.port !== undefined,
        );
        await attachReplicas(cloud, rg, g, members);
      } catch (e) {
        cloud.log(`local cloud: cannot re-attach replicas of ${rg.id}: ${(e as Error).message}`);
      }
    }
  }
  await recoverServerless(cloud);
  cloud.save();
}
