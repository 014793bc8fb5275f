// Waiting for a provider's verdict (Ready True or False for its current generation), and reading
// and applying cluster-scoped providers.
import { kubectlOk } from "../../support/kubectl.ts";
import type { ClusterObject, Condition } from "../../support/operator-env.ts";
import { PROVIDERS } from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

/** The Ready condition once it is computed for the provider's current generation. */
export async function providerVerdict(
  namespace: string,
  name: string,
  resource = PROVIDERS,
  timeoutMs = 60_000,
): Promise<Condition & { ready?: boolean; callerIdentity?: string }> {
  const provider = await waitFor(
    `${resource} ${namespace}/${name} has a Ready verdict`,
    () => getProvider(namespace, resource, name),
    (p) => {
      const ready = p.status?.conditions?.find((c) => c.type === "Ready");
      return (
        ready !== undefined &&
        ready.status !== "Unknown" &&
        (ready.observedGeneration ?? 0) >= p.metadata.generation
      );
    },
    timeoutMs,
  );
  const ready = provider.status?.conditions?.find((c) => c.type === "Ready") as Condition;
  return {
    ...ready,
    ready: provider.status?.ready,
    callerIdentity: provider.status?.callerIdentity as string | undefined,
  };
}

/** A provider object; `namespace` "" for a ClusterAWSProvider. */
export async function getProvider(namespace: string, resource: string, name: string): Promise<ClusterObject> {
  const where = namespace === "" ? [] : ["-n", namespace];
  return JSON.parse(await kubectlOk(["get", resource, name, ...where, "-o", "json"])) as ClusterObject;
}

/** `kubectl apply` of a cluster-scoped object. */
export async function applyClusterScoped(manifest: unknown): Promise<void> {
  await kubectlOk(["apply", "-f", "-"], { input: JSON.stringify(manifest) });
}
