// An AWSProvider's spec plus its Secrets' values -> what the AWS layer needs to reach AWS.
import type { AWSProviderSpec } from "../api/aws-provider.ts";
import type { ProviderAuth } from "../aws/credentials.ts";
import { globalRedactor } from "./redact.ts";
import { type SecretLookup, secretValue } from "./secret-values.ts";

/** A web-identity token source for ServiceAccount namespace/name (the operator: TokenRequest). */
export type ServiceAccountTokens = (namespace: string, name: string) => () => Promise<string>;

export function providerAuth(
  spec: AWSProviderSpec,
  namespace: string,
  secrets: SecretLookup,
  serviceAccountTokens?: ServiceAccountTokens,
): ProviderAuth {
  const auth: ProviderAuth = { region: spec.region };
  if (spec.serviceAccountRef !== undefined) {
    if (serviceAccountTokens === undefined)
      throw new Error(
        "spec.serviceAccountRef needs a Kubernetes cluster (the operator requests the ServiceAccount's token): outside one, use keys or roleARN",
      );
    auth.webIdentityToken = serviceAccountTokens(namespace, spec.serviceAccountRef.name);
  }
  if (spec.endpoint !== undefined && spec.endpoint !== "local") auth.endpoint = spec.endpoint;
  if (spec.roleARN !== undefined) auth.roleARN = spec.roleARN;
  if (spec.externalID !== undefined) auth.externalID = spec.externalID;
  if (spec.accessKeyIDRef && spec.secretAccessKeyRef) {
    auth.accessKeyId = secretValue(secrets, namespace, spec.accessKeyIDRef, "spec.accessKeyIDRef");
    auth.secretAccessKey = secretValue(
      secrets,
      namespace,
      spec.secretAccessKeyRef,
      "spec.secretAccessKeyRef",
    );
    globalRedactor.add(auth.secretAccessKey);
  }
  if (spec.sessionTokenRef) {
    auth.sessionToken = secretValue(secrets, namespace, spec.sessionTokenRef, "spec.sessionTokenRef");
    globalRedactor.add(auth.sessionToken);
  }
  return auth;
}

/** Secret names a provider reads (to requeue it when one of them changes). */
export function providerSecretNames(spec: AWSProviderSpec): string[] {
  return [spec.accessKeyIDRef, spec.secretAccessKeyRef, spec.sessionTokenRef]
    .filter((r): r is { name: string; key: string } => r !== undefined)
    .map((r) => r.name);
}
