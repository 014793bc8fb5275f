// The API resources the operator watches and writes.
import { awsProviderKind, clusterAWSProviderKind, elastiCacheClusterKind } from "../api/kinds.ts";
import { API_GROUP, API_VERSION } from "../api/shared.ts";
import type { ResourceType } from "../kube/resource.ts";

export const clusterResource: ResourceType = {
  group: API_GROUP,
  version: API_VERSION,
  plural: elastiCacheClusterKind.plural,
  namespaced: true,
  kind: elastiCacheClusterKind.kind,
};

export const providerResource: ResourceType = {
  group: API_GROUP,
  version: API_VERSION,
  plural: awsProviderKind.plural,
  namespaced: true,
  kind: awsProviderKind.kind,
};

export const clusterProviderResource: ResourceType = {
  group: API_GROUP,
  version: API_VERSION,
  plural: clusterAWSProviderKind.plural,
  namespaced: false,
  kind: clusterAWSProviderKind.kind,
};

/** Finalizer that holds an ElastiCacheCluster until its deletionPolicy has been carried out in AWS. */
export const CLUSTER_FINALIZER = "aws-infra-operator.runner.codes/finalizer";
/** Annotation whose every change reconciles at once, re-reading AWS in full (the documentation's "Force sync"). */
export const FORCE_SYNC_ANNOTATION = "force-sync";
