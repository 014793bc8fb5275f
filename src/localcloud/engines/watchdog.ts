// What makes sure no engine outlives the local cloud, however it ends. Engines get a parent-death
// signal (setpriv, see engine-process.ts), but that signal is SIGTERM, which a Redis that cannot
// save refuses, and an engine still starting may not have it yet. So each engine host also starts
// a watchdog: a small detached shell holding a pipe from the local cloud. When the local cloud dies
// (SIGKILL included) the pipe closes, and the watchdog asks every engine working under the data dir
// to stop (SIGTERM, so Redis saves), then kills what is left after 3 s. Engines are recognised by
// their program name and their working folder (the node's folder, even once removed).
import { spawn } from "node:child_process";
import { readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";

/** Program names of engine processes, as /proc/<pid>/comm shows them (setpriv while it starts one). */
export const enginePrograms = ["redis-server", "valkey-server", "memcached", "setpriv"];

const script = `
dir="$1"
cat >/dev/null
engines() {
  for p in /proc/[0-9]*; do
    # Builtins only per process (no fork): a scan must stay fast on a busy machine.
    { read -r comm < "$p/comm"; } 2>/dev/null || continue
    case "$comm" in ${enginePrograms.join("|")}) ;; *) continue ;; esac
    case "$(readlink "$p/cwd" 2>/dev/null)" in "$dir"/*) echo "\${p#/proc/}" ;; esac
  done
}
pids=$(engines); [ -n "$pids" ] && kill -TERM $pids 2>/dev/null
i=0
while [ $i -lt 30 ] && [ -n "$(engines)" ]; do sleep 0.1; i=$((i + 1)); done
pids=$(engines); [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
exit 0
`;

export interface Watchdog {
  /** After a clean stop: ends the watchdog without it acting (a new host may use the same dir). */
  dispose(): void;
}

export function startWatchdog(dataDir: string): Watchdog {
  if (process.platform !== "linux") return { dispose: () => {} };
  const child = spawn("sh", ["-c", script, "localcloud-watchdog", path.resolve(dataDir)], {
    // Its own process group: a Ctrl-C meant for the local cloud does not end the watchdog first.
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  child.on("error", () => {});
  child.unref();
  child.stdin?.on("error", () => {});
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    dispose: () => {
      child.kill("SIGKILL");
      child.stdin?.destroy();
    },
  };
}

/** Pids of engine processes working under `dataDir` (their cwd), mid-start ones included. */
export async function enginesUnder(dataDir: string): Promise<number[]> {
  if (process.platform !== "linux") return [];
  const root = `${path.resolve(dataDir)}/`;
  const pids: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = (await readFile(`/proc/${entry}/comm`, "utf8").catch(() => "")).trim();
    if (!enginePrograms.includes(comm)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => "");
    if (cwd.startsWith(root)) pids.push(Number(entry));
  }
  return pids;
}

/** SIGKILLs every engine left under `dataDir` (after a stop whose graceful part is over). */
export async function killEnginesUnder(dataDir: string): Promise<void> {
  for (const pid of await enginesUnder(dataDir)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
