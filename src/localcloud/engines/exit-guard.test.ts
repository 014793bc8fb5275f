// Engines die with the process that hosts them: on SIGTERM (the guard stops them, saving
// data) and even on SIGKILL (the kernel's parent-death signal).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { pgrep, redisCli } from "./testing.ts";

const hostModule = fileURLToPath(new URL("./host.ts", import.meta.url));

/** A separate Node process hosting one redis and one memcached node; reports their pids and ports. */
async function startHostingProcess(dataDir: string) {
  const script = `
    const { createEngineHost } = await import(${JSON.stringify(hostModule)});
    const host = createEngineHost({ dataDir: ${JSON.stringify(dataDir)}, log: () => {} });
    const redis = await host.startNode({ nodeId: "guard-r", engine: "redis", engineVersion: "7.0", dataDir: ${JSON.stringify(`${dataDir}/r`)} });
    const memcached = await host.startNode({ nodeId: "guard-m", engine: "memcached", engineVersion: "1.6", dataDir: ${JSON.stringify(`${dataDir}/m`)} });
    process.stdout.write(JSON.stringify({ redis, memcached }) + "\\n");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(
      () => reject(new Error("the hosting process did not report its nodes in 20 s")),
      20_000,
    );
    child.stdout.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) {
        clearTimeout(timer);
        resolve(text.trim());
      }
    });
    child.once("exit", () => reject(new Error("the hosting process exited early")));
  });
  const nodes = JSON.parse(line) as {
    redis: { pid: number; endpoint: { port: number } };
    memcached: { pid: number };
  };
  return { child, exited, nodes };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pids: number[]): Promise<void> {
  for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(pids.filter(alive), [], "engine processes outlived their host");
}

for (const signal of ["SIGTERM", "SIGINT", "SIGKILL"] as const) {
  test(`engines stop when the hosting process gets ${signal}`, { timeout: 60_000 }, async (t) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "engines-guard-"));
    const hosting = await startHostingProcess(dataDir);
    const pids = [hosting.nodes.redis.pid, hosting.nodes.memcached.pid];
    t.after(async () => {
      hosting.child.kill("SIGKILL");
      for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    });
    assert.ok(pids.every(alive));
    assert.equal(await redisCli(["-p", String(hosting.nodes.redis.endpoint.port), "SET", "k", "v"]), "OK");
    hosting.child.kill(signal);
    await hosting.exited;
    await waitGone(pids);
    assert.deepEqual(await pgrep(dataDir), []);
    // Redis saved its data on the way out (SIGTERM from the guard or from the kernel).
    assert.ok(existsSync(path.join(dataDir, "r", "dump.rdb")));
  });
}
