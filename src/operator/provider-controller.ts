// AWSProvider and ClusterAWSProvider: resolve credentials (Secrets, IRSA, AssumeRole), prove them
// with STS GetCallerIdentity, report who they are. Re-checked periodically and whenever a Secret
// changes. What a provider may use is checked first (src/operator/identity-policy.ts).
import type { AWSProviderStatus } from "../api/aws-provider.ts";
import { InvalidObjectError } from "../api/object-schemas.ts";
import type { ClientCache } from "../aws/clients.ts";
import { CloudError } from "../aws/errors.ts";
import { type Condition, setCondition } from "../kube/conditions.ts";
import { done, type Reconciler, requeueAfter } from "../kube/controller.ts";
import type { EventRecorder } from "../kube/events.ts";
import type { Informer } from "../kube/informer.ts";
import type { KubeObject, KubeRest } from "../kube/rest.ts";
import { writeStatus } from "../kube/status.ts";
import { providerAuth, type ServiceAccountTokens } from "../secrets/provider-auth.ts";
import { type SecretLookup, SecretValueError } from "../secrets/secret-values.ts";
import { type IdentityPolicy, providerRefusal } from "./identity-policy.ts";
import type { ParsedProvider, ProviderKind } from "./provider-kinds.ts";

export interface ProviderControllerDeps {
  rest: KubeRest;
  kind: ProviderKind;
  providers: Informer<KubeObject>;
  /** Secrets of the namespace the kind reads them in (ProviderKind.credentialsNamespace). */
  secrets: SecretLookup;
  /** Providers this operator leaves alone (a ClusterAWSProvider selecting none of its namespaces). */
  ignores?: (provider: ParsedProvider) => boolean;
  clients: ClientCache;
  events: EventRecorder;
  now: () => number;
  /** How often verified credentials are checked again. */
  recheckMs: number;
  identityPolicy: IdentityPolicy;
  serviceAccountTokens: ServiceAccountTokens;
}

interface Verdict {
  ready: boolean;
  reason: string;
  message: string;
  identity?: { account: string; arn: string };
  retryMs?: number;
}

export function providerReconciler(deps: ProviderControllerDeps): Reconciler {
  return async ({ key }) => {
    const raw = deps.providers.get(key);
    if (raw === undefined) return done;
    let provider: ParsedProvider;
    try {
      provider = deps.kind.parse(raw);
    } catch (err) {
      if (!(err instanceof InvalidObjectError)) throw err;
      await report(deps, raw, undefined, { ready: false, reason: "InvalidSpec", message: err.message });
      return done;
    }
    if (deps.ignores?.(provider)) return done;
    const verdict = await verify(deps, provider);
    await report(deps, raw, provider, verdict);
    return requeueAfter(verdict.retryMs ?? deps.recheckMs);
  };
}

async function verify(deps: ProviderControllerDeps, provider: ParsedProvider): Promise<Verdict> {
  const namespace = deps.kind.credentialsNamespace(provider);
  // Before any Secret is read or any call made: nothing is sent where the policy forbids it.
  const refused = providerRefusal(
    provider.spec,
    provider.metadata.name,
    deps.kind.scope(provider),
    deps.identityPolicy,
  );
  if (refused !== undefined) return { ready: false, ...refused };
  try {
    const auth = providerAuth(provider.spec, namespace, deps.secrets, deps.serviceAccountTokens);
    const clients = deps.clients.get(
      {
        uid: provider.metadata.uid ?? `${namespace}/${provider.metadata.name}`,
        generation: provider.metadata.generation ?? 0,
      },
      auth,
    );
    // A re-check asks STS only if no call proved these credentials within the period.
    const identity = await clients.verifyIdentity({ provenWithinMs: deps.recheckMs });
    return {
      ready: true,
      reason: "Authenticated",
      message: `authenticated as ${identity.arn} (${clients.method} credentials)`,
      identity,
    };
  } catch (err) {
    if (err instanceof SecretValueError)
      return { ready: false, reason: "SecretNotFound", message: err.message };
    if (!(err instanceof CloudError)) throw err;
    const endpoint = provider.spec.endpoint ? ` at ${provider.spec.endpoint}` : "";
    if (err.code === "ServiceAccountTokenUnavailable")
      return { ready: false, reason: err.code, message: err.message, retryMs: 30_000 };
    switch (err.kind) {
      case "InvalidCredentials":
        return {
          ready: false,
          reason: "InvalidCredentials",
          message: `AWS${endpoint} refused the credentials (${err.code}): check the access keys or the role`,
          retryMs: 60_000,
        };
      case "AccessDenied":
        return {
          ready: false,
          reason: "AccessDenied",
          message: `${err.iamAction ?? err.action} was denied: ${err.message}`,
          retryMs: 60_000,
        };
      case "Unreachable":
        return {
          ready: false,
          // A timeout (the endpoint accepted and never answered) is told apart from a refusal.
          reason: err.code === "ETIMEDOUT" ? "EndpointTimeout" : "EndpointUnreachable",
          message: `cannot reach AWS${endpoint}: ${err.message}`,
          retryMs: 15_000,
        };
      default:
        return { ready: false, reason: err.kind, message: err.message, retryMs: 30_000 };
    }
  }
}

async function report(
  deps: ProviderControllerDeps,
  raw: KubeObject,
  provider: ParsedProvider | undefined,
  verdict: Verdict,
): Promise<void> {
  const previous = (raw as { status?: AWSProviderStatus }).status ?? {};
  const status: AWSProviderStatus = {
    ready: verdict.ready,
    conditions: setCondition(
      previous.conditions as Condition[] | undefined,
      {
        type: "Ready",
        status: verdict.ready ? "True" : "False",
        reason: verdict.reason,
        message: verdict.message,
        observedGeneration: raw.metadata?.generation,
      },
      deps.now(),
    ),
    observedGeneration: raw.metadata?.generation,
  };
  if (verdict.identity) {
    status.accountID = verdict.identity.account;
    status.callerIdentity = verdict.identity.arn;
    // Written when the identity changes or becomes ready again, not at every re-check.
    status.lastAuthenticationTime =
      previous.ready && previous.callerIdentity === verdict.identity.arn && previous.lastAuthenticationTime
        ? previous.lastAuthenticationTime
        : new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  const { written } = await writeStatus(deps.rest, deps.kind.resource, raw, status);
  if (written && previous.ready !== verdict.ready && provider !== undefined) {
    if (verdict.ready) await deps.events.normal(raw, verdict.reason, verdict.message);
    else await deps.events.warning(raw, verdict.reason, verdict.message);
  } else if (written && provider === undefined) {
    await deps.events.warning(raw, verdict.reason, verdict.message);
  }
}
