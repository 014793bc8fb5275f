// Runs kubectl against the test run's control plane (never the developer's own cluster: the
// kubeconfig is always passed explicitly).
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { sharedControlPlane } from "./controlplane.ts";
import { repoPath } from "./paths.ts";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's standard input (for `-f -`). */
  input?: string;
  /** Defaults to the run's shared control plane. */
  kubeconfig?: string;
  /** Kills kubectl after this long (default 60 s) and reports it in stderr with code 124. */
  timeoutMs?: number;
}

/**
 * KUBECTL if set, else kubectl on PATH, else the one tools/controlplane/build makes on machines
 * without one.
 */
function findKubectl(): string {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, "kubectl"))) return path.join(dir, "kubectl");
  }
  const built = repoPath(".cache", "controlplane", "bin", "kubectl");
  return isExecutable(built) ? built : "kubectl";
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const kubectlProgram = findKubectl();

/** The command line as it may be shown in errors: bearer tokens are secrets and never appear. */
export function describeKubectl(args: string[]): string {
  return `kubectl ${args.map((arg) => (arg.startsWith("--token=") ? "--token=<redacted>" : arg)).join(" ")}`;
}

/** Runs `kubectl ARGS` and resolves with its exit code and output; never rejects on a non-zero exit. */
export async function kubectl(args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const kubeconfig = options.kubeconfig ?? (await sharedControlPlane()).kubeconfig;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlProgram, ["--kubeconfig", kubeconfig, ...args], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === "ENOENT"
          ? new Error(
              `kubectl is not installed (looked for '${kubectlProgram}'): run tools/controlplane/build, which builds one when none is on PATH, or set KUBECTL to its path.`,
            )
          : error,
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n${describeKubectl(args)} did not finish within ${timeoutMs} ms; killed it.`;
      resolve({ code: timedOut ? 124 : (code ?? 1), stdout, stderr });
    });
    // kubectl may exit before reading all input (e.g. a bad flag); that is reported by its exit code.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** Like kubectl, but throws (with the command and its stderr) unless it exits 0; returns stdout. */
export async function kubectlOk(args: string[], options: KubectlOptions = {}): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code !== 0) {
    throw new Error(`${describeKubectl(args)} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}
