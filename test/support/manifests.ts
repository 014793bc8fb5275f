// Reading Kubernetes manifests from YAML files and placing them in a test namespace.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

export interface Manifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Every *.yaml / *.yml file under `dir`, recursively, sorted. */
export function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** The non-empty documents of a YAML file; throws with the file name on a YAML syntax error. */
export function readManifests(file: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  const manifests: Manifest[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new Error(`${file}: invalid YAML: ${document.errors[0]?.message}`);
    }
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) manifests.push(value as Manifest);
  }
  return manifests;
}

/** A copy of `manifest` whose metadata.namespace is `namespace` (when it named one at all). */
export function inNamespace(manifest: Manifest, namespace: string): Manifest {
  const copy = structuredClone(manifest);
  if (copy.metadata?.namespace !== undefined) copy.metadata.namespace = namespace;
  return copy;
}

/** A kubectl `-f -` input holding all the manifests (a List keeps them in one JSON document). */
export function asKubectlInput(manifests: Manifest[]): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: manifests });
}
