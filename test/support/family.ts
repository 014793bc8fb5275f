// Helpers for the e2e tests of the family's kinds (src/kinds/): objects, Ready, conditions, gone.
import type { Manifest } from "./manifests.ts";
import { API, findObj, getObj, isReady } from "./operator-env.ts";
import { waitFor } from "./wait.ts";

export { waitObjCondition } from "./operator-env.ts";

export function familyObject(kind: string, name: string, spec: Record<string, unknown>): Manifest {
  return {
    apiVersion: API,
    kind,
    metadata: { name },
    spec: { providerRef: { name: "localstack" }, ...spec },
  };
}

export async function waitObjReady(namespace: string, resource: string, name: string, timeoutMs = 60_000) {
  return waitFor(
    `${resource} ${namespace}/${name} Ready`,
    () => getObj(namespace, resource, name),
    isReady,
    timeoutMs,
  );
}

export async function waitObjGone(namespace: string, resource: string, name: string, timeoutMs = 60_000) {
  await waitFor(
    `${resource} ${namespace}/${name} gone`,
    () => findObj(namespace, resource, name),
    (o) => o === undefined,
    timeoutMs,
  );
}

/** The ownership tags the documentation names (docs/kinds.md). */
export const OWNER_TAG = "infra-operator.runner.codes/owner";
export const RETAINED_TAG = "infra-operator.runner.codes/retained";

/** What `read` returns, or undefined when AWS answers `fault` (the resource does not exist). */
export async function unlessNotFound<T>(fault: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if ((err as { name?: string }).name === fault) return undefined;
    throw err;
  }
}
