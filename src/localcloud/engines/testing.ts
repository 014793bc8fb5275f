// Helpers for the engine tests: a host in a temp dir that is always torn down, and the
// real command-line clients (redis-cli) to talk to nodes as users would.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import { promisify } from "node:util";

import type { EngineHost, NodeOptions } from "./contract.ts";
import { createEngineHost, type EngineHostOptions } from "./host.ts";

const run = promisify(execFile);

export interface TestHost {
  host: EngineHost;
  dataDir: string;
  logs: string[];
}

/** A host in a fresh temp dir; every process stopped and the dir removed when the test ends. */
export async function startTestHost(
  t: Pick<TestContext, "after">,
  options: Partial<EngineHostOptions> = {},
): Promise<TestHost> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "engines-test-"));
  const logs: string[] = [];
  const host = createEngineHost({
    dataDir,
    handleSignals: false,
    log: (line) => logs.push(line),
    ...options,
  });
  t.after(async () => {
    await host.stopAll();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { host, dataDir, logs };
}

/** Runs redis-cli with the given arguments; resolves with trimmed stdout. */
export async function redisCli(args: string[], input?: string): Promise<string> {
  const child = run("redis-cli", ["--no-auth-warning", ...args], { timeout: 20_000 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  const { stdout } = await child;
  return stdout.trim();
}

/** pids of processes whose command line contains `pattern` (pgrep -f). */
export async function pgrep(pattern: string): Promise<number[]> {
  try {
    const { stdout } = await run("pgrep", ["-f", pattern]);
    return stdout.split("\n").filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

export function nodeOptions(dataDir: string, nodeId: string, extra: Partial<NodeOptions> = {}): NodeOptions {
  return {
    nodeId,
    engine: "redis",
    engineVersion: "7.0",
    dataDir: path.join(dataDir, "nodes", nodeId),
    ...extra,
  };
}
