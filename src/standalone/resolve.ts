// Wiring of each cluster for the standalone CLI: its AWSProvider (from the files, else the state
// dir, else the embedded local cloud), the provider's credentials and the cluster's auth token
// (Secrets from the files only: their values are never kept in the state dir).
import type { AWSProviderSpec } from "../api/aws-provider.ts";
import type { ElastiCacheCluster } from "../api/objects.ts";
import type { ProviderAuth } from "../aws/credentials.ts";
import { managedKind } from "../kinds/registry.ts";
import type { AnyManagedKind } from "../runtime/kind.ts";
import { AuthTokenError, readAuthToken } from "../secrets/auth-token.ts";
import { providerAuth } from "../secrets/provider-auth.ts";
import { type SecretObject, SecretValueError, secretValue } from "../secrets/secret-values.ts";
import type { FamilyObject, ManifestSet } from "./manifest-set.ts";
import type { StateStore } from "./state-store.ts";
import { UserError } from "./user-error.ts";

export interface ResolvedProvider {
  name: string;
  namespace: string;
  spec: AWSProviderSpec;
  /** Uses the embedded local cloud (endpoint "local", or no AWSProvider at all). */
  local: boolean;
  /** No AWSProvider was found: the embedded default stands in. */
  embedded: boolean;
  /** Credentials and region; for the local cloud the endpoint is filled in once it runs. */
  auth: ProviderAuth;
}

export interface ResolvedCluster {
  cluster: ElastiCacheCluster;
  namespace: string;
  provider: ResolvedProvider;
  /** Never printed nor stored. */
  authToken?: string;
}

/** The local cloud's default identity (docs: access key "test", secret "test"). */
const LOCAL_KEYS = { accessKeyId: "test", secretAccessKey: "test" };
const SECRET_HINT = "Secret values are never kept in the state dir: pass the Secret's file with -f again";

export function resolveClusters(
  set: ManifestSet,
  store: StateStore,
  clusters: ElastiCacheCluster[],
  notice: (line: string) => void,
  options: { authTokens: boolean } = { authTokens: true },
): ResolvedCluster[] {
  const problems: string[] = [];
  const lookup = { get: (key: string): SecretObject | undefined => set.secrets.get(key) };
  const resolved: ResolvedCluster[] = [];
  for (const cluster of clusters) {
    const namespace = cluster.metadata.namespace ?? "default";
    const what = `ElastiCacheCluster ${namespace}/${cluster.metadata.name}`;
    if (cluster.spec.providerRef.kind === "ClusterAWSProvider") {
      problems.push(
        `${what}: providerRef.kind ClusterAWSProvider is resolved by the operator only; the standalone CLI reads AWSProviders (set providerRef to one in the files or the state dir)`,
      );
      continue;
    }
    const provider = providerFor(
      set,
      store,
      namespace,
      cluster.spec.providerRef.name,
      lookup,
      problems,
      what,
    );
    if (provider?.embedded) {
      notice(
        `${what}: no AWSProvider ${namespace}/${cluster.spec.providerRef.name} in the files or the state dir; using the embedded local cloud`,
      );
    }
    const authToken = options.authTokens ? tokenOf(cluster, lookup, what, problems) : undefined;
    if (provider) resolved.push({ cluster, namespace, provider, ...(authToken ? { authToken } : {}) });
  }
  if (problems.length > 0) throw new UserError(problems.join("\n"));
  return resolved;
}

export function providerFor(
  set: ManifestSet,
  store: StateStore,
  namespace: string,
  name: string,
  secrets: { get(key: string): SecretObject | undefined },
  problems: string[],
  what: string,
): ResolvedProvider | undefined {
  const fromFiles = set.providers.find(
    (p) => p.metadata.name === name && (p.metadata.namespace ?? "default") === namespace,
  );
  const stored = fromFiles ? undefined : store.get("AWSProvider", namespace, name);
  const spec = (fromFiles?.spec ?? stored?.spec) as AWSProviderSpec | undefined;
  if (spec === undefined) {
    return {
      name,
      namespace,
      spec: { region: "us-east-1", endpoint: "local" } as AWSProviderSpec,
      local: true,
      embedded: true,
      auth: { region: "us-east-1", ...LOCAL_KEYS },
    };
  }
  const local = spec.endpoint === "local";
  try {
    const auth = providerAuth(spec, namespace, secrets);
    if (local && auth.accessKeyId === undefined) Object.assign(auth, LOCAL_KEYS);
    return { name, namespace, spec, local, embedded: false, auth };
  } catch (err) {
    if (!(err instanceof SecretValueError)) throw err;
    problems.push(
      `${what}: its AWSProvider ${namespace}/${name} cannot get credentials: ${err.message}; add that Secret to the files you apply (${SECRET_HINT})`,
    );
    return undefined;
  }
}

function tokenOf(
  cluster: ElastiCacheCluster,
  secrets: { get(key: string): SecretObject | undefined },
  what: string,
  problems: string[],
): string | undefined {
  try {
    return readAuthToken(cluster, secrets, false);
  } catch (err) {
    if (!(err instanceof AuthTokenError)) throw err;
    const ref = cluster.spec.authTokenRef;
    const hint =
      err.reason === "SecretNotFound"
        ? `; add a Secret document named ${ref?.name} with the key ${ref?.key} to the files you apply (${SECRET_HINT})`
        : "";
    problems.push(`${what}: ${err.message}${hint}`);
    return undefined;
  }
}

export interface ResolvedFamilyObject {
  object: FamilyObject;
  kind: AnyManagedKind;
  provider: ResolvedProvider;
  /** Values of the kind's secretInputs (passwords): never printed nor stored. */
  secrets: string[];
}

/** The provider and Secret values of each object of the family (Secrets from the files only). */
export function resolveFamily(
  set: ManifestSet,
  store: StateStore,
  objects: FamilyObject[],
  notice: (line: string) => void,
  options: { secrets: boolean } = { secrets: true },
): ResolvedFamilyObject[] {
  const problems: string[] = [];
  const lookup = { get: (key: string): SecretObject | undefined => set.secrets.get(key) };
  const resolved: ResolvedFamilyObject[] = [];
  for (const object of objects) {
    const kind = managedKind(object.kind);
    if (kind === undefined) continue;
    const { namespace, name } = object.metadata;
    const what = `${object.kind} ${namespace}/${name}`;
    const spec = kind.parseSpec(object.spec);
    if (spec.providerRef.kind === "ClusterAWSProvider") {
      problems.push(
        `${what}: providerRef.kind ClusterAWSProvider is resolved by the operator only; the standalone CLI reads AWSProviders (set providerRef to one in the files or the state dir)`,
      );
      continue;
    }
    const provider = providerFor(set, store, namespace, spec.providerRef.name, lookup, problems, what);
    if (provider?.embedded)
      notice(
        `${what}: no AWSProvider ${namespace}/${spec.providerRef.name} in the files or the state dir; using the embedded local cloud`,
      );
    const secrets: string[] = [];
    if (options.secrets)
      for (const input of kind.secretInputs?.(spec) ?? []) {
        try {
          secrets.push(secretValue(lookup, namespace, input, input.field));
        } catch (err) {
          if (!(err instanceof SecretValueError)) throw err;
          problems.push(
            `${what}: ${err.message}; add a Secret document named ${input.name} with the key ${input.key} to the files you apply (${SECRET_HINT})`,
          );
        }
      }
    if (provider) resolved.push({ object, kind, provider, secrets });
  }
  if (problems.length > 0) throw new UserError(problems.join("\n"));
  return resolved;
}
