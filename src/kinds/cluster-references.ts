// What an ElastiCacheCluster names of the family, by AWS name: an object of its namespace with
// that name is waited for (and held from deletion while the cluster uses it); a name no object has
// is a resource made outside the operator and is used as it is.
import type { Reference } from "../runtime/kind.ts";

interface ClusterSpecReferences {
  clusterID?: string;
  parameterGroupName?: string;
  subnetGroupName?: string;
  userGroupIDs?: string[];
}

export function clusterReferences(spec: unknown): Reference[] {
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
  return refs;
}

/** The cluster's AWS name, for kinds that name a cluster (snapshots). */
export function clusterAwsName(spec: unknown): string | undefined {
  return (spec as ClusterSpecReferences | undefined)?.clusterID;
}
