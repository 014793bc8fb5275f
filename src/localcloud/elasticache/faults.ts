// ElastiCache errors by their model shape name, so the wire code and HTTP status come from the
// service model (e.g. CacheClusterNotFoundFault -> CacheClusterNotFound, 404).
import { AwsError } from "../protocol/errors.ts";
import { serviceModel } from "../protocol/model.ts";

const errors = serviceModel("elasticache").errors;

export function fault(shape: string, message: string): AwsError {
  const e = errors[shape];
  if (e === undefined) throw new Error(`unknown ElastiCache error shape ${shape}`);
  return new AwsError(e.code, message, e.status);
}

export const notFound = {
  cluster: (id: string) => fault("CacheClusterNotFoundFault", `CacheCluster not found: ${id}`),
  replicationGroup: (id: string) =>
    fault("ReplicationGroupNotFoundFault", `ReplicationGroup not found: ${id}`),
  snapshot: (name: string) => fault("SnapshotNotFoundFault", `Snapshot ${name} not found.`),
  subnetGroup: (name: string) =>
    fault("CacheSubnetGroupNotFoundFault", `Cache subnet group ${name} not found.`),
};
