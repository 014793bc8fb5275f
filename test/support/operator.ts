// The operator as users run it: `bin/infra-operator.js run` in a separate process, against the
// test run's kubeconfig, with a short resync and token rotation grace, metrics on a free loopback
// port and its logs captured to a file. Stopped with SIGTERM (SIGKILL after a bound) by `stop()`,
// which test files call in `after`; an exit hook kills it should the test process end first.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sharedControlPlane } from "./controlplane.ts";
import { repoPath } from "./paths.ts";

export interface OperatorProcess {
  pid: number;
  logFile: string;
  metricsUrl: string;
  /** Everything the operator has logged so far (stdout and stderr). */
  log(): string;
  /** SIGTERM, then waits (SIGKILL after 30 s); resolves with the exit code or signal. */
  stop(): Promise<number | string>;
  /** Set once the process has exited (undefined while it runs). */
  exited(): number | string | undefined;
}

export interface OperatorOptions {
  /** Watch only this namespace (the test file's own), so parallel files never share objects. */
  namespace?: string;
  resyncPeriod?: string;
  tokenRotationGrace?: string;
  logFormat?: "json" | "text";
  logLevel?: string;
  /**
   * `--allowed-endpoints`: the local cloud the test started (its URL). Default: none, so only
   * AWS's own endpoints are allowed.
   */
  allowedEndpoints?: string[];
  /**
   * `--operator-identity-namespaces`. Default: `default` and the watched namespace, which stands
   * for `default` in the tests (the documentation's providers live there).
   */
  operatorIdentityNamespaces?: string[];
  extraArgs?: string[];
  /** Environment of the operator process on top of this one's (e.g. the operator's own AWS identity). */
  env?: Record<string, string>;
  /** Another control plane's kubeconfig (default: the run's shared control plane). */
  kubeconfig?: string;
  /** The program run by Node (default bin/infra-operator.js; e.g. dist/cli/main.js for the compiled code). */
  entry?: string;
  /** Node's own flags, before the entry (e.g. the image's --max-semi-space-size). */
  nodeArgs?: string[];
}

/** A port nobody listens on right now (the operator binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startOperatorProcess(options: OperatorOptions = {}): Promise<OperatorProcess> {
  const kubeconfig = options.kubeconfig ?? (await sharedControlPlane()).kubeconfig;
  const dir = await mkdtemp(path.join(os.tmpdir(), "e2e-operator-"));
  const logFile = path.join(dir, "operator.log");
  const port = await freePort();
  const args = [
    options.entry ?? repoPath("bin", "infra-operator.js"),
    "run",
    "--kubeconfig",
    kubeconfig,
    "--leader-elect=false",
    "--metrics-bind-address",
    `127.0.0.1:${port}`,
    "--resync-period",
    options.resyncPeriod ?? "5s",
    "--token-rotation-grace",
    options.tokenRotationGrace ?? "3s",
    "--log-format",
    options.logFormat ?? "json",
    "--log-level",
    options.logLevel ?? "info",
    // The token fingerprint key lives in the test's namespace (there is no operator namespace here).
    ...(options.namespace
      ? [
          "--namespace",
          options.namespace,
          "--token-fingerprint-secret",
          `${options.namespace}/infra-operator-token-fingerprint-key`,
        ]
      : []),
    "--allowed-endpoints",
    (options.allowedEndpoints ?? []).join(","),
    // ClusterAWSProviders' Secrets: the watched namespace (no second Secret informer).
    ...(options.namespace ? ["--cluster-resource-namespace", options.namespace] : []),
    "--operator-identity-namespaces",
    (
      options.operatorIdentityNamespaces ?? ["default", ...(options.namespace ? [options.namespace] : [])]
    ).join(","),
    ...(options.extraArgs ?? []),
  ];
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], {
      stdio: ["ignore", fd, fd],
      env: { ...process.env, ...options.env, KUBECONFIG: kubeconfig },
    });
  } finally {
    closeSync(fd);
  }
  let exit: number | string | undefined;
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      exit = code ?? signal ?? "unknown";
      resolve(exit);
    });
    child.on("error", (err) => {
      exit = `spawn error: ${err.message}`;
      resolve(exit);
    });
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  const metricsUrl = `http://127.0.0.1:${port}`;
  const readLog = () => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  // Ready when /healthz answers; a process that exits first is reported with its log.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exit !== undefined) throw new Error(`the operator exited (${exit}) while starting:\n${readLog()}`);
    try {
      const res = await fetch(`${metricsUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the operator did not answer ${metricsUrl}/healthz within 60 s:\n${readLog()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let stopping: Promise<number | string> | undefined;
  return {
    pid: child.pid ?? 0,
    logFile,
    metricsUrl,
    log: readLog,
    exited: () => exit,
    stop: () => {
      stopping ??= (async () => {
        if (exit === undefined) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
          await exited;
          clearTimeout(timer);
        }
        process.off("exit", killOnExit);
        return exit ?? "unknown";
      })();
      return stopping;
    },
  };
}
