// Test support: load a cluster-mode cache with real keys and take them away again, with the real
// redis-cli. `fillKeys` pipes SETs to one node (all slots must be on it: a one-shard cluster);
// the others reach every primary the cluster lists.
import { spawn, spawnSync } from "node:child_process";
import { redisCli } from "./harness.ts";

function resp(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

/** SETs `count` keys `load:<i>` of `valueBytes` each through redis-cli --pipe. */
export function fillKeys(port: number, count: number, valueBytes: number): void {
  const value = "x".repeat(valueBytes);
  let input = "";
  for (let i = 0; i < count; i++) input += resp(["SET", `load:${i}`, value]);
  const r = spawnSync("redis-cli", ["-p", String(port), "--pipe"], {
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.status !== 0 || !/errors: 0/.test(r.stdout))
    throw new Error(`redis-cli --pipe failed: ${r.stdout}${r.stderr}`);
}

/** The ports of the cluster's primaries, from CLUSTER NODES. */
export function primaryPorts(port: number): number[] {
  return redisCli(["-p", String(port), "CLUSTER", "NODES"])
    .split("\n")
    .filter((line) => {
      const flags = line.split(" ")[2]?.split(",") ?? [];
      return flags.includes("master") && !flags.includes("fail");
    })
    .map((line) => Number(/:(\d+)@/.exec(line)?.[1]))
    .filter((p) => p > 0);
}

/** Keys held by the whole cluster (DBSIZE of every primary). */
export function clusterKeyCount(port: number): number {
  return primaryPorts(port).reduce((n, p) => n + Number(redisCli(["-p", String(p), "DBSIZE"])), 0);
}

/** Deletes every key on every primary. */
export function flushCluster(port: number): void {
  for (const p of primaryPorts(port)) redisCli(["-p", String(p), "FLUSHALL"]);
}

/**
 * Keeps one node's engine busy answering pipelined PINGs (a replica answers them without MOVED),
 * until `stop()`: load for the engine CPU metrics.
 */
export function busyEngine(port: number): { stop(): void } {
  const child = spawn(
    "redis-benchmark",
    ["-p", String(port), "-t", "ping", "-n", "1000000000", "-c", "8", "-P", "16", "-q"],
    {
      stdio: "ignore",
    },
  );
  return { stop: () => child.kill("SIGTERM") };
}
