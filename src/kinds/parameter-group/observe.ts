// What AWS says about a cache parameter group: the group, the parameters set in it (Source user,
// every page), its tags, and the cache clusters that use it with their apply status.
import {
  type CacheCluster,
  type CacheParameterGroup,
  DescribeCacheClustersCommand,
  DescribeCacheParameterGroupsCommand,
  DescribeCacheParametersCommand,
  type Parameter,
} from "@aws-sdk/client-elasticache";
import type { ElastiCacheApi } from "../../runtime/elasticache-api.ts";
import type { ManagedObserved } from "../../runtime/kind.ts";

export interface CacheUse {
  cacheClusterID: string;
  replicationGroupID?: string;
  parameterApplyStatus?: string;
  cacheNodeIDsToReboot: string[];
}

export interface ObservedParameterGroup extends ManagedObserved {
  family: string;
  description: string;
  /** The parameters set in the group (Source user) and their values. */
  parameters: Record<string, string>;
  /** Of those, the ones that take effect only when a cache reboots. */
  requiresReboot: string[];
  caches: CacheUse[];
}

/** Every page of a Marker-paginated read. */
async function allPages<T, Out extends { Marker?: string }>(
  read: (marker: string | undefined) => Promise<Out>,
  items: (out: Out) => T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const out = await read(marker);
    all.push(...(items(out) ?? []));
    marker = out.Marker;
  } while (marker !== undefined && marker !== "");
  return all;
}

export async function observeParameterGroup(
  api: ElastiCacheApi,
  parameterGroupName: string,
): Promise<ObservedParameterGroup | undefined> {
  const name = parameterGroupName.toLowerCase();
  const out = await api.find<{ CacheParameterGroups?: CacheParameterGroup[] }>(
    new DescribeCacheParameterGroupsCommand({ CacheParameterGroupName: name }),
  );
  const group = out?.CacheParameterGroups?.find((g) => g.CacheParameterGroupName?.toLowerCase() === name);
  if (group?.ARN === undefined) return undefined;
  const parameters = await allPages(
    (Marker) =>
      api.send<{ Parameters?: Parameter[]; Marker?: string }>(
        new DescribeCacheParametersCommand({ CacheParameterGroupName: name, Source: "user", Marker }),
      ),
    (o) => o.Parameters,
  );
  const clusters = await allPages(
    (Marker) =>
      api.send<{ CacheClusters?: CacheCluster[]; Marker?: string }>(
        new DescribeCacheClustersCommand({ Marker }),
      ),
    (o) => o.CacheClusters,
  );
  const set = parameters.filter((p) => p.ParameterName !== undefined && p.Source === "user");
  return {
    arn: group.ARN,
    tags: await api.tags(group.ARN),
    family: group.CacheParameterGroupFamily ?? "",
    description: group.Description ?? "",
    parameters: Object.fromEntries(set.map((p) => [p.ParameterName as string, p.ParameterValue ?? ""])),
    requiresReboot: set
      .filter((p) => p.ChangeType === "requires-reboot")
      .map((p) => p.ParameterName as string)
      .sort(),
    caches: clusters
      .filter((c) => c.CacheParameterGroup?.CacheParameterGroupName?.toLowerCase() === name)
      .map((c) => ({
        cacheClusterID: c.CacheClusterId ?? "",
        ...(c.ReplicationGroupId ? { replicationGroupID: c.ReplicationGroupId } : {}),
        parameterApplyStatus: c.CacheParameterGroup?.ParameterApplyStatus,
        cacheNodeIDsToReboot: c.CacheParameterGroup?.CacheNodeIdsToReboot ?? [],
      }))
      .sort((a, b) => a.cacheClusterID.localeCompare(b.cacheClusterID)),
  };
}
