// Installs CustomResourceDefinitions the way users do (server-side apply) and waits until the
// API server serves them (condition Established).
import { kubectlOk } from "./kubectl.ts";

/** Applies every manifest under `path` (file or folder) and returns the CRD names, once Established. */
export async function installCrds(path: string): Promise<string[]> {
  const applied = await kubectlOk([
    "apply",
    "--server-side",
    "--field-manager=infra-operator-tests",
    "-o",
    "name",
    "-f",
    path,
  ]);
  const names = applied
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("customresourcedefinition.apiextensions.k8s.io/"))
    .map((line) => line.slice(line.indexOf("/") + 1));
  if (names.length === 0) throw new Error(`no CustomResourceDefinition found in ${path}`);
  await kubectlOk(
    ["wait", "--for=condition=Established", "--timeout=60s", ...names.map((name) => `crd/${name}`)],
    { timeoutMs: 90_000 },
  );
  return names;
}
