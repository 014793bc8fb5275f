// One supervised engine process: spawned with its output appended to a log file in the
// node's folder, tied to the life of the hosting process, and stoppable with a bounded wait.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { readFile, readlink, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { findOnPath } from "./binaries.ts";

// `setpriv --pdeathsig TERM` makes the kernel send SIGTERM to the engine when the hosting
// process dies, even by SIGKILL, so no engine outlives the local cloud. (util-linux; used
// when present.)
const setpriv = process.platform === "linux" ? findOnPath("setpriv") : undefined;

export interface EngineProcess {
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<string>;
  hasExited(): boolean;
}

export function spawnEngine(binary: string, args: string[], logFile: string, cwd: string): EngineProcess {
  const logFd = openSync(logFile, "a");
  const command = setpriv ? setpriv : binary;
  const commandArgs = setpriv ? ["--pdeathsig", "TERM", "--", binary, ...args] : args;
  let child: ChildProcess;
  try {
    child = spawn(command, commandArgs, { cwd, stdio: ["ignore", logFd, logFd], detached: false });
  } finally {
    closeSync(logFd);
  }
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      resolve(signal ?? String(code));
    });
    child.once("error", (error) => {
      done = true;
      resolve(`spawn error: ${error.message}`);
    });
  });
  if (child.pid === undefined) {
    throw new Error(`could not start ${binary}; see ${logFile}`);
  }
  return { pid: child.pid, child, exited, hasExited: () => done };
}

/** Sends `signal`, waits up to `timeoutMs` for exit, then SIGKILLs. */
export async function stopEngine(
  engine: EngineProcess,
  timeoutMs = 10_000,
  signal: NodeJS.Signals = "SIGTERM",
) {
  if (engine.hasExited()) return;
  engine.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const result = await Promise.race([engine.exited, timedOut]);
  clearTimeout(timer);
  if (result === "timeout") {
    engine.child.kill("SIGKILL");
    await engine.exited;
  }
}

/** The last `lines` lines of a log file ("" when unreadable), to quote in errors. */
export function logTail(logFile: string, lines = 15): string {
  try {
    const text = readFileSync(logFile, "utf8");
    return text.trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/**
 * An engine left running by a previous hosting process that died without cleanup
 * (only possible where setpriv is missing): stop it before starting the node again.
 * The pid file holds the pid; /proc confirms it is still an engine working in this folder
 * (its current directory), not an unrelated process that reused the pid.
 */
export async function stopLeftoverEngine(pidFile: string, nodeDir: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number((await readFile(pidFile, "utf8")).trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let cwd: string;
  try {
    cwd = await readlink(`/proc/${pid}/cwd`);
  } catch {
    await rm(pidFile, { force: true });
    return false;
  }
  if (cwd !== path.resolve(nodeDir)) return false;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      process.kill(pid, 0);
    } catch {
      await rm(pidFile, { force: true });
      return true;
    }
  }
  process.kill(pid, "SIGKILL");
  return true;
}

export async function writePidFile(pidFile: string, pid: number): Promise<void> {
  await writeFile(pidFile, `${pid}\n`);
}
