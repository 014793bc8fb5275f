// What an ElastiCacheCluster's providerRef resolves to: the gateway of a Ready provider, or why
// there is none. An AWSProvider must be in the cluster's namespace; a ClusterAWSProvider must
// select the cluster's namespace. Either is checked against the identity policy once more, so no
// call is made on a Ready status written before the operator's flags changed.
import { InvalidObjectError } from "../api/object-schemas.ts";
import type { AwsClients, ClientCache } from "../aws/clients.ts";
import type { Condition } from "../kube/conditions.ts";
import type { Informer } from "../kube/informer.ts";
import type { KubeObject } from "../kube/rest.ts";
import type { CacheGateway } from "../reconcile/cache-gateway.ts";
import { providerAuth, type ServiceAccountTokens } from "../secrets/provider-auth.ts";
import type { SecretLookup } from "../secrets/secret-values.ts";
import { type IdentityPolicy, providerRefusal } from "./identity-policy.ts";
import { selects } from "./label-selector.ts";
import type { ParsedProvider, ProviderKind } from "./provider-kinds.ts";

export interface ProviderRef {
  kind?: "AWSProvider" | "ClusterAWSProvider";
  name: string;
}

export interface ProviderSource {
  kind: ProviderKind;
  informer: Informer<KubeObject>;
  secrets: SecretLookup;
}

export interface ReadyProviderDeps {
  namespaced: ProviderSource;
  cluster: ProviderSource;
  namespaces: Informer<KubeObject>;
  clients: ClientCache;
  identityPolicy: IdentityPolicy;
  serviceAccountTokens: ServiceAccountTokens;
  makeGateway: (clients: AwsClients) => CacheGateway;
}

/** A Ready provider: what every kind's step calls AWS through. */
export interface ReadyProvider {
  defaultTags: Record<string, string>;
  /** The clusters' gateway (batched observation, src/reconcile). */
  gateway: CacheGateway;
  /** The provider's AWS clients (the other kinds of the family call through them). */
  clients: AwsClients;
}

export type ProviderResolution = ReadyProvider | { reason: string; message: string };

export function readyProviderResolver(
  deps: ReadyProviderDeps,
): (namespace: string, ref: ProviderRef) => ProviderResolution {
  const gateways = new WeakMap<AwsClients, CacheGateway>();
  return (namespace, ref) => {
    const clusterWide = ref.kind === "ClusterAWSProvider";
    const source = clusterWide ? deps.cluster : deps.namespaced;
    const what = clusterWide ? `ClusterAWSProvider ${ref.name}` : `AWSProvider ${namespace}/${ref.name}`;
    const raw = source.informer.get(clusterWide ? ref.name : `${namespace}/${ref.name}`);
    if (raw === undefined) {
      return {
        reason: "ProviderNotFound",
        message: clusterWide
          ? `${what} does not exist: a cluster admin creates it, or set providerRef to an AWSProvider of ${namespace}`
          : `${what} does not exist: create it (see examples/localstack.yaml)`,
      };
    }
    let provider: ParsedProvider;
    try {
      provider = source.kind.parse(raw);
    } catch (err) {
      if (!(err instanceof InvalidObjectError)) throw err;
      return { reason: "ProviderNotReady", message: `${what} is not ready: ${err.message}` };
    }
    if (clusterWide) {
      const labels = deps.namespaces.get(namespace)?.metadata?.labels;
      if (!selects(provider.spec.namespaceSelector, labels))
        return {
          reason: "ProviderNotAllowed",
          message: `${what} does not select namespace ${namespace} (its spec.namespaceSelector): a cluster admin adds ${namespace} to it, or set providerRef to an AWSProvider of ${namespace}`,
        };
    }
    const status = (raw as { status?: { ready?: boolean; conditions?: Condition[] } }).status;
    if (status?.ready !== true) {
      const why = status?.conditions?.find((c) => c.type === "Ready")?.message ?? "not verified yet";
      return { reason: "ProviderNotReady", message: `${what} is not ready: ${why}` };
    }
    const refused = providerRefusal(
      provider.spec,
      ref.name,
      source.kind.scope(provider),
      deps.identityPolicy,
    );
    if (refused !== undefined)
      return { reason: "ProviderNotReady", message: `${what} is not ready: ${refused.message}` };
    const auth = providerAuth(
      provider.spec,
      source.kind.credentialsNamespace(provider),
      source.secrets,
      deps.serviceAccountTokens,
    );
    const clients = deps.clients.get(
      { uid: provider.metadata.uid ?? what, generation: provider.metadata.generation ?? 0 },
      auth,
    );
    let gateway = gateways.get(clients);
    if (gateway === undefined) {
      gateway = deps.makeGateway(clients);
      gateways.set(clients, gateway);
    }
    return { defaultTags: provider.spec.defaultTags ?? {}, gateway, clients };
  };
}
