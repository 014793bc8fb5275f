// One real control plane (etcd + kube-apiserver, started by tools/controlplane/up) per test run.
//
// `npm test` (test/run.ts) starts it once and hands it to every test process through the
// environment (CONTROLPLANE_DIR and KUBECONFIG). A test file run on its own
// (`node --test test/e2e/x.test.ts`) starts its own on first use instead. Either way the process
// that started it always stops it: on normal exit, on SIGINT/SIGTERM, and, should it be killed
// outright, through the watchdog that `up` runs for CONTROLPLANE_OWNER_PID.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface ControlPlane {
  /** Path of the admin kubeconfig (client certificate in group system:masters). */
  kubeconfig: string;
  /** Folder holding certificates, data, logs and controlplane.env. */
  dir: string;
  /** Everything `up` recorded in DIR/controlplane.env (server URL, CA, issuer, key paths). */
  env: Record<string, string>;
  /** Stops both processes and removes the folder; safe to call more than once. */
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const upScript = path.join(repoRoot, "tools", "controlplane", "up");
const downScript = path.join(repoRoot, "tools", "controlplane", "down");
// Far above the usual few seconds: the machine is shared, and `up` bounds its own waits at 60 s.
const startTimeoutMs = 120_000;

/** Parses DIR/controlplane.env (KEY=value lines) written by `up`. */
export function readControlPlaneEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path.join(dir, "controlplane.env"), "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** Runs `up` in a fresh temp dir and returns the running control plane. */
export async function startControlPlane(): Promise<ControlPlane> {
  const dir = mkdtempSync(path.join(tmpdir(), "infra-operator-cp-"));
  // Registered before `up` runs: an interrupt during start-up must stop what already started.
  const cleanup = registerCleanup(dir);
  const { code, stderr } = await runUp(dir);
  if (code !== 0) {
    cleanup.stopNow();
    throw new Error(
      `tools/controlplane/up failed (exit ${code}):\n${stderr.trim()}\n` +
        "If the binaries are missing, run tools/controlplane/build first.",
    );
  }
  const env = readControlPlaneEnv(dir);
  return { kubeconfig: path.join(dir, "kubeconfig"), dir, env, stop: cleanup.stop };
}

let shared: Promise<ControlPlane> | undefined;

/**
 * The run's control plane: the one `npm test` started (named by CONTROLPLANE_DIR, and only if
 * KUBECONFIG points into it, so a developer's own KUBECONFIG is never used by mistake), else one
 * started for this process on first call. Sets process.env.KUBECONFIG for child processes.
 */
export function sharedControlPlane(): Promise<ControlPlane> {
  shared ??= fromEnvironmentOrStart();
  return shared;
}

async function fromEnvironmentOrStart(): Promise<ControlPlane> {
  const dir = process.env.CONTROLPLANE_DIR;
  if (dir && process.env.KUBECONFIG === path.join(dir, "kubeconfig")) {
    // Owned by the process that started it; this one only borrows it.
    return { kubeconfig: process.env.KUBECONFIG, dir, env: readControlPlaneEnv(dir), stop: async () => {} };
  }
  const started = await startControlPlane();
  process.env.CONTROLPLANE_DIR = started.dir;
  process.env.KUBECONFIG = started.kubeconfig;
  return started;
}

function runUp(dir: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(upScript, [dir], {
      env: {
        ...process.env,
        CONTROLPLANE_OWNER_PID: String(process.pid),
        CONTROLPLANE_OWNER_REMOVES_DIR: process.env.CONTROLPLANE_KEEP === "1" ? "0" : "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.resume();
    const timer = setTimeout(() => {
      stderr += `\ncontrolplane: up took longer than ${startTimeoutMs / 1000}s; stopped it.`;
      child.kill("SIGKILL");
    }, startTimeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: 127, stderr: `cannot run ${upScript}: ${error.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stderr });
    });
  });
}

/**
 * Makes sure the control plane in `dir` is stopped whatever happens to this process. Returns an
 * async stop (normal path) and a synchronous one (for exit and signal handlers, where only
 * synchronous work runs).
 */
function registerCleanup(dir: string): { stop: () => Promise<void>; stopNow: () => void } {
  let stopped = false;
  const keep = process.env.CONTROLPLANE_KEEP === "1"; // keep logs and data for a post-mortem
  const finish = () => {
    process.off("exit", onExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    spawnSync(downScript, [dir], { stdio: "ignore", timeout: 60_000 });
    finish();
  };
  const onExit = () => stopNow();
  const onSignal = (signal: NodeJS.Signals) => {
    stopNow();
    // Our handler replaced the default action; re-raise so the process still dies of the signal.
    process.kill(process.pid, signal);
  };
  process.on("exit", onExit);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await new Promise<void>((resolve) => {
      const child = spawn(downScript, [dir], { stdio: "ignore" });
      child.on("error", () => resolve());
      child.on("close", () => resolve());
    });
    finish();
  };
  return { stop, stopNow };
}
