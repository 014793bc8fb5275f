{{/*
What the operator does on Kubernetes, and nothing more: every verb below is one the code calls
(src/operator/, src/kube/). No wildcards. Identical to config/rbac/role.yaml (a test compares them).
*/}}
{{- define "infra-operator.managerRules" -}}
# Informers list and watch the managed kinds (ElastiCacheCluster and the family of
# src/kinds/); status writes re-read an object after a conflict (get).
# Their finalizer is added and removed with a merge patch on the object.
- apiGroups: ["aws-infra-operator.runner.codes"]
  resources: ["elasticacheclusters", "elasticacheparametergroups", "elasticachesubnetgroups", "elasticacheusers", "elasticacheusergroups", "elasticachesnapshots", "elasticacheserverlesscaches"]
  verbs: ["get", "list", "watch", "patch"]
# AWSProviders and ClusterAWSProviders are only read: the operator never changes their spec or metadata.
- apiGroups: ["aws-infra-operator.runner.codes"]
  resources: ["awsproviders", "clusterawsproviders"]
  verbs: ["get", "list", "watch"]
# Conditions, endpoints and identity are written through the /status subresource (merge patch).
- apiGroups: ["aws-infra-operator.runner.codes"]
  resources:
    - elasticacheclusters/status
    - awsproviders/status
    - clusterawsproviders/status
    - elasticacheparametergroups/status
    - elasticachesubnetgroups/status
    - elasticacheusers/status
    - elasticacheusergroups/status
    - elasticachesnapshots/status
    - elasticacheserverlesscaches/status
  verbs: ["patch"]
# Connection Secrets carry an ownerReference with blockOwnerDeletion; API servers that enforce
# owner-reference permissions (OwnerReferencesPermissionEnforcement) require update on the
# owner's finalizers subresource for that.
- apiGroups: ["aws-infra-operator.runner.codes"]
  resources: ["elasticacheclusters/finalizers", "elasticacheserverlesscaches/finalizers"]
  verbs: ["update"]
# Read: provider access keys and session tokens, auth tokens (authTokenRef), through an informer.
# Write: each cluster's and serverless cache's connection Secret (created, then replaced when its data changes).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update"]
# IRSA per tenant (AWSProvider spec.serviceAccountRef): a token of that ServiceAccount of the
# provider's own namespace, audience sts.amazonaws.com, traded with STS for the provider's role.
- apiGroups: [""]
  resources: ["serviceaccounts/token"]
  verbs: ["create"]
# Namespace labels, matched against a ClusterAWSProvider's spec.namespaceSelector.
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["list", "watch"]
# Events on (Cluster)AWSProviders and ElastiCacheClusters; repeats of one Event bump its count (patch).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}

{{/* Leader election on the Lease infra-operator-leader: read, create, renew/release (update). */}}
{{- define "infra-operator.leaderElectionRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
{{- end -}}


{{/*
With watchNamespace, the cluster-scoped part of the rules (a Role cannot grant it): ClusterAWSProviders,
namespace labels for their namespaceSelector, and their Events (which go to the default namespace).
*/}}
{{- define "infra-operator.clusterScopedRules" -}}
- apiGroups: ["aws-infra-operator.runner.codes"]
  resources: ["clusterawsproviders"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["aws-infra-operator.runner.codes"]
  resources: ["clusterawsproviders/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}

{{/* With watchNamespace: ClusterAWSProviders' Secrets and ServiceAccounts, in the release namespace. */}}
{{- define "infra-operator.clusterResourceRules" -}}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["serviceaccounts/token"]
  verbs: ["create"]
{{- end -}}
