// The documentation's example manifests (examples/), as e2e tests use them.
import { type Manifest, readManifests, yamlFilesUnder } from "./manifests.ts";
import { repoPath } from "./paths.ts";

export const examplesDir = repoPath("examples");

/** Every example file: kustomization files are build inputs, not API objects, and are left out. */
export function exampleFiles(): string[] {
  return yamlFilesUnder(examplesDir).filter((file) => !/(^|\/)kustomization\.ya?ml$/.test(file));
}

/** The first example object of `kind` (in file order) that `accept` likes; throws when none does. */
export function firstExample(kind: string, accept: (manifest: Manifest) => boolean = () => true): Manifest {
  for (const file of exampleFiles()) {
    for (const manifest of readManifests(file)) {
      if (manifest.kind === kind && accept(manifest)) return manifest;
    }
  }
  throw new Error(`no ${kind} example under ${examplesDir} matches what the test needs`);
}
