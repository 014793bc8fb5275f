// The reference graph over every kind that names or is named: the family's kinds and
// ElastiCacheCluster, each read through a lookup (informers in the operator, the state dir in the CLI).
import { kindSource, type ObjectLookup, ReferenceGraph } from "../runtime/references.ts";
import { clusterAwsName, clusterReferences } from "./cluster-references.ts";
import { managedKinds } from "./registry.ts";

export function familyGraph(lookup: (kind: string) => ObjectLookup): ReferenceGraph {
  return new ReferenceGraph([
    ...managedKinds.map((k) => kindSource(k, lookup(k.definition.kind))),
    {
      kind: "ElastiCacheCluster",
      informer: lookup("ElastiCacheCluster"),
      references: clusterReferences,
      awsName: clusterAwsName,
    },
  ]);
}
