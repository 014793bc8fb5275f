// Restarts the kube-apiserver of a control plane this process started itself (never the run's
// shared one: other test files are using it). The server is stopped with SIGTERM and started
// again with the very same command line, so its port, certificates and etcd data are kept.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ControlPlane } from "./controlplane.ts";
import { sleep } from "./wait.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return state !== "Z";
  } catch {
    return false;
  }
}

/** True when /readyz answers 200 (checked with the admin client certificate, like `up` does). */
export function apiserverReady(cp: ControlPlane): boolean {
  const pki = path.join(cp.dir, "pki");
  const r = spawnSync(
    "curl",
    [
      "-sf",
      "--max-time",
      "1",
      "--cacert",
      path.join(pki, "ca.crt"),
      "--cert",
      path.join(pki, "admin.crt"),
      "--key",
      path.join(pki, "admin.key"),
      `${cp.env.CONTROLPLANE_SERVER}/readyz`,
    ],
    { stdio: "ignore" },
  );
  return r.status === 0;
}

/**
 * Stops the API server, keeps it down for `downMs`, starts it again; resolves with the time
 * (Date.now) at which /readyz first answered again.
 */
export async function restartApiserver(cp: ControlPlane, downMs: number): Promise<number> {
  const pidFile = path.join(cp.dir, "apiserver.pid");
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8")
    .split("\0")
    .filter((a) => a !== "");
  if (!argv.some((a) => a.includes(cp.dir)))
    throw new Error(`pid ${pid} is not this control plane's apiserver`);
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 300 && alive(pid); i++) await sleep(100);
  if (alive(pid)) process.kill(pid, "SIGKILL");
  await sleep(downMs);
  const log = openSync(path.join(cp.dir, "apiserver.log"), "a");
  const [command = "", ...args] = argv;
  const child = spawn(command, args, { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  const deadline = Date.now() + 60_000;
  while (!apiserverReady(cp)) {
    if (Date.now() > deadline)
      throw new Error("the restarted kube-apiserver did not become ready within 60 s");
    await sleep(100);
  }
  return Date.now();
}
