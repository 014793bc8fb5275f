// The auth token of a cluster, read from its Secret and checked against AWS's rules before any
// call, so a bad token is reported on the object instead of half-creating a cache.
import type { ElastiCacheCluster } from "../api/object-schemas.ts";
import { globalRedactor } from "./redact.ts";
import { consentRefusal } from "./secret-consent.ts";
import { type SecretLookup, secretValue } from "./secret-values.ts";

export class AuthTokenError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** AWS: 16-128 printable ASCII characters, none of / " @. */
const VALID_TOKEN = /^[!#-.0-?A-~]{16,128}$/;

export function readAuthToken(
  cluster: ElastiCacheCluster,
  secrets: SecretLookup,
  allowCrossNamespace: boolean,
): string | undefined {
  const ref = cluster.spec.authTokenRef;
  if (ref === undefined) return undefined;
  const own = cluster.metadata.namespace ?? "default";
  const namespace = ref.namespace ?? own;
  if (namespace !== own && !allowCrossNamespace) {
    throw new AuthTokenError(
      "InvalidSpec",
      `spec.authTokenRef.namespace ${namespace} is another namespace: infra-operator reads auth tokens only from the object's own namespace (${own}) unless started with --allow-cross-namespace-secrets; copy the Secret into ${own}`,
    );
  }
  // Even then, only from a Secret that names this namespace as one it is shared with.
  const target = namespace !== own ? secrets.get(`${namespace}/${ref.name}`) : undefined;
  const refusal = target === undefined ? undefined : consentRefusal(target, own);
  if (refusal !== undefined) throw new AuthTokenError("SecretNotShared", refusal);
  let token: string;
  try {
    token = secretValue(secrets, namespace, ref, "spec.authTokenRef");
  } catch (err) {
    throw new AuthTokenError("SecretNotFound", (err as Error).message);
  }
  globalRedactor.add(token);
  if (!VALID_TOKEN.test(token)) {
    throw new AuthTokenError(
      "InvalidAuthToken",
      `the auth token in Secret ${namespace}/${ref.name} (key ${ref.key}) does not meet AWS's rules: 16 to 128 printable ASCII characters, without '/', '"' or '@' (length now ${token.length})`,
    );
  }
  return token;
}
