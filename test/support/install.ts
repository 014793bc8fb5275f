// Installing the operator's packaging (kustomize output or a rendered Helm chart) on the test control
// plane, and acting as its ServiceAccount: a TokenRequest token in a kubeconfig of its own, so a
// process using it has exactly the rights the packaged RBAC grants.
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { sharedControlPlane } from "./controlplane.ts";
import { kubectl, kubectlOk } from "./kubectl.ts";
import { asKubectlInput, type Manifest } from "./manifests.ts";
import { sleep } from "./wait.ts";

export const OPERATOR_NAMESPACE = "infra-operator-system";

// Folders holding bearer tokens (token files, kubeconfigs): removed when the test process exits.
const tokenDirs: string[] = [];
process.once("exit", () => {
  for (const dir of tokenDirs) rmSync(dir, { recursive: true, force: true });
});

async function privateDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tokenDirs.push(dir);
  return dir;
}
export const OPERATOR_SERVICE_ACCOUNT = "infra-operator-controller-manager";

/** The objects of a multi-document YAML stream (kustomize or helm output). */
export function parseStream(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0)
      throw new Error(`${source}: invalid YAML: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) out.push(value as Manifest);
  }
  return out;
}

/** `kubectl kustomize DIR` as objects. */
export async function kustomize(dir: string): Promise<Manifest[]> {
  return parseStream(await kubectlOk(["kustomize", dir]), `kubectl kustomize ${dir}`);
}

/**
 * Applies the objects but the Deployment (the test control plane runs no kubelet: the operator runs
 * as a local process instead), then waits for the CRDs to be served. Namespaces go first, so the
 * namespaced objects find theirs. Server-side apply with the tests' field manager, as installCrds
 * does, so other test files applying the same CRDs never conflict; retried a few times because
 * they may do so at the same moment.
 */
export async function applyPackaging(objects: Manifest[]): Promise<void> {
  const kept = objects.filter((o) => o.kind !== "Deployment");
  const namespaces = kept.filter((o) => o.kind === "Namespace");
  const rest = kept.filter((o) => o.kind !== "Namespace");
  for (const batch of [namespaces, rest]) {
    if (batch.length === 0) continue;
    let last = "";
    for (let attempt = 1; ; attempt++) {
      const result = await kubectl(
        ["apply", "--server-side", "--field-manager=infra-operator-tests", "--force-conflicts", "-f", "-"],
        { input: asKubectlInput(batch) },
      );
      if (result.code === 0) break;
      last = result.stderr.trim();
      if (attempt >= 4) throw new Error(`kubectl apply of the packaging failed 4 times: ${last}`);
      await sleep(500 * attempt);
    }
  }
  const crds = kept
    .filter((o) => o.kind === "CustomResourceDefinition")
    .map((o) => `crd/${o.metadata?.name}`);
  if (crds.length > 0)
    await kubectlOk(["wait", "--for=condition=Established", "--timeout=60s", ...crds], { timeoutMs: 90_000 });
}

export interface TokenOptions {
  namespace?: string;
  serviceAccount?: string;
  /** The token's audience (default: the API server's own). */
  audience?: string;
  duration?: string;
}

/** A token for a ServiceAccount from the TokenRequest API (`kubectl create token`). */
export async function serviceAccountToken(options: TokenOptions = {}): Promise<string> {
  const args = [
    "create",
    "token",
    options.serviceAccount ?? OPERATOR_SERVICE_ACCOUNT,
    "-n",
    options.namespace ?? OPERATOR_NAMESPACE,
    "--duration",
    options.duration ?? "2h",
    ...(options.audience ? ["--audience", options.audience] : []),
  ];
  const token = (await kubectlOk(args)).trim();
  if (token.split(".").length !== 3) throw new Error("kubectl create token did not print a JWT");
  return token;
}

/** Writes `token` to a private temp file (as a pod's projected token volume holds it); returns its path. */
export async function writeTokenFile(token: string): Promise<string> {
  const dir = await privateDir("sa-token-");
  const file = path.join(dir, "token");
  writeFileSync(file, token, { mode: 0o600 });
  return file;
}

/**
 * A kubeconfig that authenticates with the ServiceAccount's token (no client certificate), against
 * the run's control plane. The file is private (mode 600): it holds a bearer token.
 */
export async function serviceAccountKubeconfig(options: TokenOptions = {}): Promise<string> {
  const { env } = await sharedControlPlane();
  const server = env.CONTROLPLANE_SERVER;
  const ca = env.CONTROLPLANE_CA;
  if (!server || !ca) throw new Error("controlplane.env lacks CONTROLPLANE_SERVER or CONTROLPLANE_CA");
  const token = await serviceAccountToken(options);
  const dir = await privateDir("sa-kubeconfig-");
  const file = path.join(dir, "kubeconfig");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "controlplane", cluster: { server, "certificate-authority": ca } }],
    users: [{ name: "operator", user: { token } }],
    contexts: [{ name: "operator", context: { cluster: "controlplane", user: "operator" } }],
    "current-context": "operator",
  };
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** `kubectl auth can-i VERB RESOURCE [-n NS]` as the kubeconfig's identity: true for "yes". */
export async function canI(
  kubeconfig: string,
  verb: string,
  resource: string,
  namespace?: string,
): Promise<boolean> {
  const args = ["auth", "can-i", verb, resource, ...(namespace ? ["-n", namespace] : ["--all-namespaces"])];
  const result = await kubectl(args, { kubeconfig });
  const answer = result.stdout.trim();
  if (answer !== "yes" && answer !== "no") {
    throw new Error(
      `kubectl auth can-i ${verb} ${resource} answered neither yes nor no: ${result.stderr.trim()}`,
    );
  }
  return answer === "yes";
}

/** Lines of an operator log that show the API server refused it something. */
export function forbiddenLines(log: string): string[] {
  return log.split("\n").filter((line) => /forbidden/i.test(line));
}
