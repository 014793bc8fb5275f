// A real Kubernetes node for the tests (tools/node: kubelet + containerd in a network namespace of
// their own, kube-controller-manager and kube-scheduler beside the control plane), on the run's
// control plane, with the operator's image built from packages (tools/image/build) loaded into it.
//
// Root only; INFRA_OPERATOR_NODE_TESTS=0 turns it off (node-switch.ts, docs/node-tests.md). The
// process that starts a node always stops it (tools/node/down): on normal exit, on SIGINT/SIGTERM,
// and at exit after a failure; down also clears what a killed run left behind when called again.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ControlPlane, startControlPlane } from "./controlplane.ts";
import { type BuiltImage, buildImage } from "./image.ts";
import { repoPath } from "./paths.ts";

export { nodeTestsSkipReason } from "./node-switch.ts";

export interface TestNode {
  dir: string;
  /** DIR/node.env: NODE_NAME, NODE_IP, NODE_HOST_IP (the host's end of the veth), NODE_POD_CIDR, ... */
  env: Record<string, string>;
  controlPlane: ControlPlane;
  image: BuiltImage;
  /** DIR/kubectl: the control plane's admin kubeconfig. */
  kubectl: string;
  /** DIR/helm: the same kubeconfig. */
  helm: string;
  stop(): Promise<void>;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): string {
  const r = spawnSync(script, args, { encoding: "utf8", env, timeout: timeoutMs });
  if (r.status !== 0)
    throw new Error(
      `${path.relative(repoPath(), script)} failed (exit ${r.status ?? r.signal}):\n${(r.stderr ?? "").trim().split("\n").slice(-15).join("\n")}`,
    );
  return r.stdout;
}

function readEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

export interface NodeTimings {
  imageBuildMs: number;
  nodeBuildMs: number;
  nodeUpMs: number;
  imageLoadMs: number;
}

export const timings: NodeTimings = { imageBuildMs: 0, nodeBuildMs: 0, nodeUpMs: 0, imageLoadMs: 0 };

/**
 * Builds (or reuses) the node's programs and the image, starts a control plane of its own (a
 * second kube-controller-manager on the run's shared one would fight the first), a node on it,
 * and loads the image. stop() stops both.
 */
export async function startNode(): Promise<TestNode> {
  let t = Date.now();
  const image = buildImage();
  timings.imageBuildMs = Date.now() - t;
  t = Date.now();
  run(repoPath("tools", "node", "build"), [], process.env, 20 * 60_000);
  timings.nodeBuildMs = Date.now() - t;
  const dir = mkdtempSync(path.join(tmpdir(), "infra-operator-node-"));
  const down = () =>
    spawnSync(repoPath("tools", "node", "down"), [dir], { stdio: "ignore", timeout: 120_000 });
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    down();
    process.off("exit", stopNow);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (process.env.INFRA_OPERATOR_NODE_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopNow();
    process.kill(process.pid, signal);
  };
  process.on("exit", stopNow);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let controlPlane: ControlPlane | undefined;
  try {
    controlPlane = await startControlPlane();
  } catch (err) {
    stopNow();
    throw err;
  }
  // This process's kubectl helpers (support/kubectl.ts) then talk to the node's control plane.
  process.env.CONTROLPLANE_DIR = controlPlane.dir;
  process.env.KUBECONFIG = controlPlane.kubeconfig;
  const env = { ...process.env };
  try {
    t = Date.now();
    run(repoPath("tools", "node", "up"), [dir], env, 300_000);
    timings.nodeUpMs = Date.now() - t;
    t = Date.now();
    run(path.join(dir, "load-image"), [image.archive], env, 300_000);
    timings.imageLoadMs = Date.now() - t;
  } catch (err) {
    stopNow();
    await controlPlane.stop();
    throw err;
  }
  const cp = controlPlane;
  return {
    dir,
    env: readEnv(path.join(dir, "node.env")),
    controlPlane: cp,
    image,
    kubectl: path.join(dir, "kubectl"),
    helm: path.join(dir, "helm"),
    stop: async () => {
      if (stopped) return;
      await new Promise<void>((resolve) => {
        const child = spawn(repoPath("tools", "node", "down"), [dir], { stdio: "ignore" });
        child.on("error", () => resolve());
        child.on("close", () => resolve());
      });
      stopNow();
      await cp.stop();
    },
  };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the node's wrappers (DIR/kubectl, DIR/helm) asynchronously. */
export function runTool(tool: string, args: string[], input?: string, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(tool, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(input ?? "");
  });
}

/** Like runTool, throwing with the tool's message when it fails; returns stdout. */
export async function runToolOk(
  tool: string,
  args: string[],
  input?: string,
  timeoutMs?: number,
): Promise<string> {
  const r = await runTool(tool, args, input, timeoutMs);
  if (r.code !== 0)
    throw new Error(`${path.basename(tool)} ${args.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}
