// The two provider kinds seen the same way by the controllers: an AWSProvider reads its Secrets and
// ServiceAccount in its own namespace and is held to the tenant rules; a ClusterAWSProvider reads
// them in the operator's cluster resource namespace and may use the operator's own identity.
import type { AWSProviderSpec } from "../api/aws-provider.ts";
import type { LabelSelector } from "../api/cluster-aws-provider.ts";
import type { ObjectMeta } from "../api/object-schemas.ts";
import { parseStoredAWSProvider, parseStoredClusterAWSProvider } from "../api/stored-objects.ts";
import type { ResourceType } from "../kube/resource.ts";
import type { ProviderScope } from "./identity-policy.ts";
import { clusterProviderResource, providerResource } from "./resources.ts";

export interface ParsedProvider {
  metadata: ObjectMeta;
  spec: AWSProviderSpec & { namespaceSelector?: LabelSelector };
}

export interface ProviderKind {
  kind: "AWSProvider" | "ClusterAWSProvider";
  resource: ResourceType;
  parse(raw: unknown): ParsedProvider;
  /** Where its Secret refs and serviceAccountRef are read. */
  credentialsNamespace(provider: ParsedProvider): string;
  scope(provider: ParsedProvider): ProviderScope;
  /** "AWSProvider team-a/x", "ClusterAWSProvider x". */
  describe(provider: { metadata?: { name?: string; namespace?: string } }): string;
}

export const namespacedProviderKind: ProviderKind = {
  kind: "AWSProvider",
  resource: providerResource,
  parse: parseStoredAWSProvider,
  credentialsNamespace: (p) => p.metadata.namespace ?? "default",
  scope: (p) => ({ kind: "AWSProvider", namespace: p.metadata.namespace ?? "default" }),
  describe: (p) => `AWSProvider ${p.metadata?.namespace ?? "default"}/${p.metadata?.name ?? ""}`,
};

export function clusterProviderKind(clusterResourceNamespace: string): ProviderKind {
  return {
    kind: "ClusterAWSProvider",
    resource: clusterProviderResource,
    parse: parseStoredClusterAWSProvider,
    credentialsNamespace: () => clusterResourceNamespace,
    scope: () => ({ kind: "ClusterAWSProvider" }),
    describe: (p) => `ClusterAWSProvider ${p.metadata?.name ?? ""}`,
  };
}
