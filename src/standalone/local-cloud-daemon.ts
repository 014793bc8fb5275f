// The local cloud the standalone CLI starts for itself: `infra-operator local-cloud` detached in the
// background, its data in <state-dir>/local-cloud, its pid and URL in <state-dir>/local-cloud.json.
// Reused while it answers its health check; `local-cloud stop` ends it (and its engines).
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readAdminToken } from "../localcloud/admin/token.ts";
import { writeFileAtomic } from "../localcloud/state/atomic-file.ts";
import { freePort } from "./free-port.ts";
import { UserError } from "./user-error.ts";

export interface LocalCloudInfo {
  pid: number;
  url: string;
  dataDir: string;
  caFile: string;
}

const BIN = fileURLToPath(new URL("../../bin/infra-operator.js", import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 45_000;

export function localCloudPaths(stateDir: string) {
  return {
    info: join(stateDir, "local-cloud.json"),
    dataDir: join(stateDir, "local-cloud"),
    log: join(stateDir, "local-cloud.log"),
  };
}

export function readLocalCloudInfo(stateDir: string): LocalCloudInfo | undefined {
  const { info } = localCloudPaths(stateDir);
  if (!existsSync(info)) return undefined;
  try {
    return JSON.parse(readFileSync(info, "utf8")) as LocalCloudInfo;
  } catch {
    return undefined;
  }
}

/** The running local cloud of this state dir, started when it does not answer. */
export async function ensureLocalCloud(
  stateDir: string,
  log: (line: string) => void,
): Promise<LocalCloudInfo> {
  // Two commands started at once on one state dir must not start two clouds on the same data.
  const release = await lock(join(stateDir, "local-cloud.lock"));
  try {
    return await ensureLocked(stateDir, log);
  } finally {
    release();
  }
}

async function ensureLocked(stateDir: string, log: (line: string) => void): Promise<LocalCloudInfo> {
  const known = readLocalCloudInfo(stateDir);
  if (known && isAlive(known.pid) && (await healthy(known.url, known.dataDir))) return known;
  const paths = localCloudPaths(stateDir);
  mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const out = openSync(paths.log, "a");
    const child = spawn(
      process.execPath,
      [BIN, "local-cloud", "--port", String(port), "--data-dir", paths.dataDir],
      { detached: true, stdio: ["ignore", out, out] },
    );
    closeSync(out);
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new UserError(`could not start the local cloud: see ${paths.log}`);
    let exited = false;
    child.once("exit", () => {
      exited = true;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && !exited) {
      const health = await healthOf(url, paths.dataDir);
      if (health && health.dataDir === paths.dataDir) {
        const info: LocalCloudInfo = { pid, url, dataDir: paths.dataDir, caFile: String(health.caFile) };
        writeFileAtomic(paths.info, `${JSON.stringify(info, null, 2)}\n`);
        log(`started the local cloud at ${url} (pid ${pid}, data in ${paths.dataDir}, log ${paths.log})`);
        return info;
      }
      await sleep(200);
    }
    if (!exited) {
      process.kill(pid, "SIGKILL");
      throw new UserError(
        `the local cloud did not answer within ${START_TIMEOUT_MS / 1000}s: see ${paths.log}`,
      );
    }
    // Another program may have taken the port between our check and its bind: try another one.
    if (!/EADDRINUSE/.test(tail(paths.log))) break;
  }
  throw new UserError(`the local cloud could not start:\n${tail(paths.log)}\n(full log: ${paths.log})`);
}

/** Stops this state dir's local cloud and waits until it (and the engines it stops) are gone. */
export async function stopLocalCloud(stateDir: string): Promise<number | undefined> {
  const info = readLocalCloudInfo(stateDir);
  const paths = localCloudPaths(stateDir);
  if (info === undefined || !isAlive(info.pid) || !isOurs(info.pid)) {
    rmSync(paths.info, { force: true });
    return undefined;
  }
  process.kill(info.pid, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(info.pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(info.pid)) process.kill(info.pid, "SIGKILL");
  rmSync(paths.info, { force: true });
  return info.pid;
}

/** An exclusive lock file holding our pid; a lock whose process is gone is taken over. */
async function lock(file: string): Promise<() => void> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + START_TIMEOUT_MS + 5000;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let holder: number;
    try {
      holder = Number(readFileSync(file, "utf8").trim());
    } catch {
      continue; // released in between
    }
    if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new UserError(
        `another infra-operator command (pid ${holder}) is starting the local cloud; try again`,
      );
    }
    await sleep(200);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid still runs `infra-operator local-cloud` (not a recycled pid of another program). */
function isOurs(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("local-cloud");
  } catch {
    return true; // no /proc: trust the pid file
  }
}

/** The health answer of the local cloud serving `dataDir` (its admin token is read from there). */
async function healthOf(url: string, dataDir: string): Promise<Record<string, unknown> | undefined> {
  const token = readAdminToken(dataDir);
  if (token === undefined) return undefined;
  try {
    const res = await fetch(`${url}/_localcloud/health`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(1000),
    });
    if (!res.ok) return undefined;
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function healthy(url: string, dataDir: string): Promise<boolean> {
  const health = await healthOf(url, dataDir);
  return health?.status === "ok" && health.dataDir === dataDir;
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    return "";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
