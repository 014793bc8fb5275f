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
