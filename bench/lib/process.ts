// A peer operator's binary as a child process: logs to a file, ready when an HTTP health URL
// answers 200, stopped with SIGTERM (SIGKILL after a bound), killed should the benchmark exit first.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

export interface RunningProcess {
  pid: number;
  logFile: string;
  log(): string;
  exited(): number | string | undefined;
  stop(): Promise<void>;
}

export async function startProcess(options: {
  program: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  healthUrl: string;
  startTimeoutMs?: number;
}): Promise<RunningProcess> {
  const fd = openSync(options.logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(options.program, options.args, { stdio: ["ignore", fd, fd], env: options.env });
  } finally {
    closeSync(fd);
  }
  let exit: number | string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on("exit", (code, signal) => {
      exit = code ?? signal ?? "unknown";
      resolve();
    });
    child.on("error", (err) => {
      exit = `spawn error: ${err.message}`;
      resolve();
    });
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  const log = () => {
    try {
      return readFileSync(options.logFile, "utf8");
    } catch {
      return "";
    }
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (exit !== undefined)
      throw new Error(`${options.program} exited (${exit}) while starting:\n${log().slice(-4000)}`);
    try {
      const res = await fetch(options.healthUrl, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.program} did not answer ${options.healthUrl}:\n${log().slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid ?? 0,
    logFile: options.logFile,
    log,
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
      })();
      return stopping;
    },
  };
}
