// What an ElastiCacheCluster names of the family, by AWS name: an object of its namespace with
// that name is waited for (and held from deletion while the cluster uses it); a name no object has
// is a resource made outside the operator and is used as it is. restoreFromSnapshot counts only
// until the cache exists (AWS reads the snapshot at creation): the snapshot may go afterwards.
import type { Reference } from "../runtime/kind.ts";

interface ClusterSpecReferences {
  clusterID?: string;
  parameterGroupName?: string;
  subnetGroupName?: string;
  userGroupIDs?: string[];
  restoreFromSnapshot?: string;
}

/** The cache exists in AWS (its status has its ARN): what only its creation reads is no longer needed. */
function created(status: Record<string, unknown> | undefined): boolean {
  return typeof status?.cacheClusterARN === "string" && status.cacheClusterARN !== "";
}

export function clusterReferences(spec: unknown, status?: Record<string, unknown>): Reference[] {
  const s = (spec ?? {}) as ClusterSpecReferences;
  const refs: Reference[] = [];
  if (s.parameterGroupName !== undefined && !s.parameterGroupName.startsWith("default."))
    refs.push({
      kind: "ElastiCacheParameterGroup",
      name: s.parameterGroupName,
      awsName: s.parameterGroupName,
      field: "spec.parameterGroupName",
    });
  if (s.subnetGroupName !== undefined)
    refs.push({
      kind: "ElastiCacheSubnetGroup",
      name: s.subnetGroupName,
      awsName: s.subnetGroupName,
      field: "spec.subnetGroupName",
    });
  for (const [i, id] of (s.userGroupIDs ?? []).entries())
    refs.push({ kind: "ElastiCacheUserGroup", name: id, awsName: id, field: `spec.userGroupIDs[${i}]` });
  if (s.restoreFromSnapshot !== undefined && !created(status))
    refs.push({
      kind: "ElastiCacheSnapshot",
      name: s.restoreFromSnapshot,
      awsName: s.restoreFromSnapshot,
      field: "spec.restoreFromSnapshot",
    });
  return refs;
}

/** The cluster's AWS name, for kinds that name a cluster (snapshots). */
export function clusterAwsName(spec: unknown): string | undefined {
  return (spec as ClusterSpecReferences | undefined)?.clusterID;
}
