// helm for the tests: built once from the Go module proxy by tools/helm/build (cached under
// .cache/helm; .ci/run builds it before the tests), then run with the run's kubeconfig.
import { spawnSync } from "node:child_process";
import { repoPath } from "./paths.ts";

let cached: string | undefined;

/** Path of the helm binary, building it on first use (minutes the very first time). */
export function helmBinary(): string {
  if (cached !== undefined) return cached;
  const build = spawnSync(repoPath("tools", "helm", "build"), [], { encoding: "utf8", timeout: 15 * 60_000 });
  if (build.status !== 0) {
    throw new Error(
      `tools/helm/build failed (exit ${build.status ?? build.signal}): ${build.stderr.trim().split("\n").slice(-5).join("\n")}`,
    );
  }
  cached = build.stdout.trim().split("\n").at(-1) ?? "";
  return cached;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm (no cluster access is needed for lint and template). */
export function helm(args: string[]): HelmResult {
  const result = spawnSync(helmBinary(), args, { encoding: "utf8", timeout: 120_000 });
  return { code: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** `helm template` of the repository's chart; throws with helm's message on failure. */
export function helmTemplate(release: string, namespace: string, set: Record<string, string> = {}): string {
  const args = ["template", release, repoPath("charts", "infra-operator"), "--namespace", namespace];
  for (const [key, value] of Object.entries(set)) args.push("--set", `${key}=${value}`);
  const result = helm(args);
  if (result.code !== 0)
    throw new Error(`helm ${args.join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
  return result.stdout;
}
