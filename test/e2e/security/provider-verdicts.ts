// Waiting for an AWSProvider's verdict (Ready True or False for its current generation).
import { type Condition, getObj, PROVIDERS } from "../../support/operator-env.ts";
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
    () => getObj(namespace, resource, name),
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
