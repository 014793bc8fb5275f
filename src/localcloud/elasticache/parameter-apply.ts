// How a parameter group reaches the nodes that use it, as on AWS: `immediate` parameters apply live
// (CONFIG SET on every Redis/Valkey node), `requires-reboot` ones wait for RebootCacheCluster (the
// cluster shows ParameterApplyStatus pending-reboot and lists the nodes to reboot). Every node start
// (create, reboot, added node, local cloud restart) runs with its group's values.
import type { NodeOptions } from "../engines/contract.ts";
import type { CacheClusterRecord } from "../state/records.ts";
import type { Cloud } from "./cloud.ts";
import { effectiveValues, findParameterGroup, type ParameterGroup } from "./parameter-groups.ts";
import { memcachedArguments, redisSettings } from "./parameter-settings.ts";
import { familyDefaults } from "./parameters/catalog.ts";

/** The engine settings a node of `cluster` starts with: the values its parameter group sets. */
export function engineSettingsOf(
  cloud: Cloud,
  cluster: CacheClusterRecord,
): Pick<NodeOptions, "configSettings" | "extraArgs"> {
  const group = findParameterGroup(cloud, cluster.parameterGroupName);
  if (group === undefined || Object.keys(group.values).length === 0) return {};
  if (cluster.engine === "memcached") return { extraArgs: memcachedArguments(group.values) };
  return { configSettings: redisSettings(effectiveValues(group), Object.keys(group.values)) };
}

/**
 * Applies a change of the parameters `names` (now as in `group`) to `clusters`: immediate ones live,
 * requires-reboot ones marked pending on every node until it reboots.
 */
export function applyParameterChanges(
  cloud: Cloud,
  clusters: CacheClusterRecord[],
  group: ParameterGroup,
  names: string[],
): void {
  const definitions = new Map((familyDefaults(group.family) ?? []).map((d) => [d.ParameterName, d]));
  const immediate = names.filter((n) => definitions.get(n)?.ChangeType === "immediate");
  const onReboot = names.filter((n) => definitions.get(n)?.ChangeType === "requires-reboot");
  const live = clusters.filter((c) => c.status !== "deleting" && c.status !== "create-failed");
  // ElastiCache:CacheClusterParametersChanged, one event per cluster using the group.
  const rebootNote = onReboot.length > 0 ? `; reboot to apply ${onReboot.join(", ")}` : "";
  if (names.length > 0)
    for (const c of live)
      cloud.event(
        "cache-cluster",
        c.id,
        `Updated parameter group ${group.name} for the cache cluster${rebootNote}`,
      );
  if (onReboot.length > 0) {
    for (const c of live) c.nodesPendingReboot = c.nodes.map((n) => n.cacheNodeId);
    cloud.save();
  }
  const settings = redisSettings(effectiveValues(group), immediate);
  if (Object.keys(settings).length === 0) return;
  for (const c of live.filter((x) => x.engine !== "memcached")) {
    cloud.background(
      `applying parameter group ${group.name} to ${c.id}`,
      async () => {
        for (const n of c.nodes) {
          if (n.port !== undefined) await cloud.engines.applySettings(n.engineNodeId, settings);
        }
      },
      (message) =>
        cloud.event("cache-cluster", c.id, `Failed to apply parameter group ${group.name}: ${message}`),
    );
  }
}

/** The parameters whose values differ between two groups (a cluster moving from one to the other). */
export function differingParameters(from: ParameterGroup | undefined, to: ParameterGroup): string[] {
  const a = from ? effectiveValues(from) : {};
  const b = effectiveValues(to);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((n) => a[n] !== b[n]);
}

/** After a reboot of `nodeIds` the group's values are in effect on them. */
export function rebooted(cluster: CacheClusterRecord, nodeIds: string[]): void {
  if (cluster.nodesPendingReboot === undefined) return;
  cluster.nodesPendingReboot = cluster.nodesPendingReboot.filter((id) => !nodeIds.includes(id));
  if (cluster.nodesPendingReboot.length === 0) delete cluster.nodesPendingReboot;
}
