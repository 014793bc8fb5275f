// Which AWS identities a provider may use, decided before any Secret is read or any call is made.
// A namespaced AWSProvider may use what its namespace owns (keys from its own Secrets); the
// operator's own identity (default credential chain, the operator Pod's IRSA token) only in the
// namespaces a cluster admin lists. A ClusterAWSProvider is admin-owned and may use it anywhere.
// Endpoints must pass the allowlist for both kinds (src/operator/endpoint-allowlist.ts).
import type { AWSProviderSpec } from "../api/aws-provider.ts";
import { type EndpointPrefix, endpointRefusal } from "./endpoint-allowlist.ts";

export interface IdentityPolicy {
  /** `--allowed-endpoints`. */
  allowedEndpoints: readonly EndpointPrefix[];
  /** `--operator-identity-namespaces`; "*" lists every namespace. */
  operatorIdentityNamespaces: ReadonlySet<string>;
}

export type ProviderScope = { kind: "AWSProvider"; namespace: string } | { kind: "ClusterAWSProvider" };

export interface Refusal {
  reason: "EndpointNotAllowed" | "InsecureEndpoint" | "OperatorIdentityNotAllowed";
  message: string;
}

/** A policy that refuses everything optional (no endpoints but AWS's, no operator identity). */
export const strictPolicy: IdentityPolicy = { allowedEndpoints: [], operatorIdentityNamespaces: new Set() };

/** `--operator-identity-namespaces`: comma-separated namespace names, or "*". */
export function parseNamespaceList(value: string | undefined, flag: string): Set<string> {
  const names = new Set<string>();
  for (const name of (value ?? "").split(",").map((s) => s.trim())) {
    if (name === "") continue;
    if (name !== "*" && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name))
      throw new Error(
        `${flag}: "${name}" is not a namespace name (lower-case letters, digits, "-"), nor "*"`,
      );
    names.add(name);
  }
  return names;
}

/** True when the provider names no credentials of its own: the operator's identity would be used. */
export function usesOperatorIdentity(spec: AWSProviderSpec): boolean {
  return (
    spec.accessKeyIDRef === undefined &&
    spec.secretAccessKeyRef === undefined &&
    spec.serviceAccountRef === undefined
  );
}

export function operatorIdentityAllowed(policy: IdentityPolicy, namespace: string): boolean {
  return policy.operatorIdentityNamespaces.has("*") || policy.operatorIdentityNamespaces.has(namespace);
}

/** Why this provider may not be used as written, or undefined when it may. */
export function providerRefusal(
  spec: AWSProviderSpec,
  name: string,
  scope: ProviderScope,
  policy: IdentityPolicy,
): Refusal | undefined {
  if (spec.endpoint !== undefined && spec.endpoint !== "local") {
    const refused = endpointRefusal(spec.endpoint, policy.allowedEndpoints);
    if (refused !== undefined) return refused;
  }
  if (scope.kind === "ClusterAWSProvider") return undefined;
  const { namespace } = scope;
  if (usesOperatorIdentity(spec) && !operatorIdentityAllowed(policy, namespace)) {
    const what = spec.roleARN !== undefined ? `assume ${spec.roleARN} as` : "act as";
    return {
      reason: "OperatorIdentityNotAllowed",
      message:
        `AWSProvider ${namespace}/${name} names no credentials of its own (no accessKeyIDRef/secretAccessKeyRef, no serviceAccountRef), so it would ${what} the operator's own AWS identity, which namespace ${namespace} may not use: ` +
        `set spec.serviceAccountRef to a ServiceAccount of ${namespace} that the role's trust policy names, or spec.accessKeyIDRef and spec.secretAccessKeyRef to keys in a Secret of ${namespace}; ` +
        `or a cluster admin adds ${namespace} to the operator's --operator-identity-namespaces (Helm value operatorIdentityNamespaces) or offers a ClusterAWSProvider`,
    };
  }
  return undefined;
}
