// Creating and reading custom objects through kubectl, for e2e tests.
import { kubectlOk } from "./kubectl.ts";
import { inNamespace, type Manifest } from "./manifests.ts";

export interface StoredObject {
  metadata: { name: string; namespace: string; generation: number; resourceVersion: string };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** Creates `manifest` in `namespace` (for real) and returns its name. */
export async function createIn(namespace: string, manifest: Manifest): Promise<string> {
  const placed = inNamespace(manifest, namespace);
  await kubectlOk(["create", "-n", namespace, "-f", "-", "-o", "name"], { input: JSON.stringify(placed) });
  const name = placed.metadata?.name;
  if (!name) throw new Error(`manifest of kind ${manifest.kind} has no metadata.name`);
  return name;
}

/** The object as stored by the API server. */
export async function getObject(resource: string, namespace: string, name: string): Promise<StoredObject> {
  return JSON.parse(await kubectlOk(["get", resource, name, "-n", namespace, "-o", "json"])) as StoredObject;
}
