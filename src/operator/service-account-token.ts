// IRSA per tenant: a web-identity token of a ServiceAccount in the provider's own namespace, from
// the TokenRequest API (audience sts.amazonaws.com, as EKS's projected tokens have), so the IAM
// trust policy's `sub` names the tenant's ServiceAccount, never the operator's. A fresh token is
// requested at every credential refresh (about hourly per provider); none is stored.
import { CloudError } from "../aws/errors.ts";
import { KubeApiError, type KubeRest } from "../kube/rest.ts";
import { globalRedactor } from "../secrets/redact.ts";

export const STS_AUDIENCE = "sts.amazonaws.com";
/** Lifetime asked for: the API server's minimum is 10 minutes; STS only checks it at the exchange. */
const TOKEN_SECONDS = 600;

interface TokenRequestStatus {
  status?: { token?: string };
}

export function serviceAccountTokenSource(
  rest: KubeRest,
  namespace: string,
  name: string,
): () => Promise<string> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`;
  return async () => {
    let out: TokenRequestStatus;
    try {
      out = await rest.request<TokenRequestStatus>("POST", path, {
        body: {
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenRequest",
          spec: { audiences: [STS_AUDIENCE], expirationSeconds: TOKEN_SECONDS },
        },
        timeoutMs: 15_000,
      });
    } catch (err) {
      const why =
        err instanceof KubeApiError && err.status === 404
          ? "it does not exist: create it, or fix spec.serviceAccountRef.name"
          : `the API server answered: ${(err as Error).message}`;
      throw unavailable(namespace, name, why);
    }
    const token = out.status?.token;
    if (!token) throw unavailable(namespace, name, "the TokenRequest answer holds no token");
    globalRedactor.add(token);
    return token;
  };
}

function unavailable(namespace: string, name: string, why: string): CloudError {
  return new CloudError({
    kind: "InvalidCredentials",
    code: "ServiceAccountTokenUnavailable",
    action: "AssumeRoleWithWebIdentity",
    message: `cannot get a token for ServiceAccount ${namespace}/${name} (spec.serviceAccountRef): ${why}`,
  });
}
