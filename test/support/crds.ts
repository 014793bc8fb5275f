// Installs CustomResourceDefinitions the way users do (server-side apply) and waits until the
// API server serves them (condition Established).
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { kubectlOk } from "./kubectl.ts";
import { repoPath } from "./paths.ts";

/** The generated CRD files of config/crd (the kustomization beside them is not an API object). */
export function crdFiles(dir = repoPath("config", "crd")): string[] {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: generate the CRDs with 'npm run generate'`);
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && !/^kustomization\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Applies the CRDs (default: config/crd) with `kubectl apply --server-side`, `-f` for each file or
 * `-k` for a kustomization folder, and returns their names once all are Established.
 */
export async function installCrds(
  source: { files?: string[]; kustomization?: string } = {},
): Promise<string[]> {
  const from = source.kustomization
    ? ["-k", source.kustomization]
    : (source.files ?? crdFiles()).flatMap((f) => ["-f", f]);
  const applied = await kubectlOk([
    "apply",
    "--server-side",
    "--field-manager=infra-operator-tests",
    "-o",
    "name",
    ...from,
  ]);
  const names = applied
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("customresourcedefinition.apiextensions.k8s.io/"))
    .map((line) => line.slice(line.indexOf("/") + 1));
  if (names.length === 0) throw new Error(`no CustomResourceDefinition found in ${from.join(" ")}`);
  await kubectlOk(
    ["wait", "--for=condition=Established", "--timeout=60s", ...names.map((name) => `crd/${name}`)],
    {
      timeoutMs: 90_000,
    },
  );
  return names;
}
