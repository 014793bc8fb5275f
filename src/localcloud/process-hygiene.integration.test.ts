// Integration: `infra-operator local-cloud` as its own process ends cleanly in every state — SIGTERM
// while a cluster-mode group forms exits in seconds, SIGKILL leaves no engine behind (those still
// starting included), and a data dir removed while it runs does not keep engines alive after SIGTERM.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { CreateReplicationGroupCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { enginesUnder } from "./engines/watchdog.ts";
import { testCredentials, waitFor, waitGroupAvailable } from "./testing/harness.ts";

const bin = fileURLToPath(new URL("../../bin/infra-operator.js", import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  dataDir: string;
  exited: Promise<void>;
  ec: ElastiCacheClient;
}

async function startLocalCloudProcess(t: { after(fn: () => unknown): void }): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), "lc-hygiene-"));
  const child = spawn(process.execPath, [bin, "local-cloud", "--port", "0", "--data-dir", dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  t.after(async () => {
    child.kill("SIGKILL");
    for (const pid of await enginesUnder(dataDir)) process.kill(pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.resume();
  const url = await waitFor("the local cloud's URL", async () => /listening on (\S+)/.exec(out)?.[1], 30_000);
  const ec = new ElastiCacheClient({
    endpoint: url,
    region: "us-east-1",
    credentials: testCredentials,
    maxAttempts: 1,
  });
  return { child, url, dataDir, exited, ec };
}

function createShardedGroup(ec: ElastiCacheClient, id: string) {
  return ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: id,
      ReplicationGroupDescription: "hygiene",
      CacheNodeType: "cache.t3.micro",
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 1,
    }),
  );
}

async function noEnginesLeft(dataDir: string): Promise<void> {
  let left: number[] = [];
  await waitFor(
    "no engine left",
    async () => {
      left = await enginesUnder(dataDir);
      return left.length === 0 ? true : undefined;
    },
    30_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; still running: ${left.join(", ")}`);
  });
}

/** Seconds from the signal to the exit; generous bound (the requirement is 5 s, see BENCHMARKS.md). */
async function secondsToExit(p: Running, signal: NodeJS.Signals): Promise<number> {
  const started = performance.now();
  p.child.kill(signal);
  await Promise.race([p.exited, new Promise((r) => setTimeout(r, 30_000))]);
  assert.notEqual(
    p.child.exitCode === null && p.child.signalCode === null,
    true,
    "the local cloud did not exit",
  );
  return (performance.now() - started) / 1000;
}

test("SIGTERM while a cluster-mode group forms: the local cloud exits at once and stops its engines", async (t) => {
  const p = await startLocalCloudProcess(t);
  await createShardedGroup(p.ec, "forming");
  await waitFor("engines starting", async () =>
    (await enginesUnder(p.dataDir)).length > 0 ? true : undefined,
  );
  const seconds = await secondsToExit(p, "SIGTERM");
  t.diagnostic(`exited ${seconds.toFixed(1)} s after SIGTERM`);
  assert.ok(seconds < 15, `took ${seconds} s`);
  await noEnginesLeft(p.dataDir);
});

test("SIGKILL: no engine outlives the local cloud, engines still starting included", async (t) => {
  const p = await startLocalCloudProcess(t);
  await createShardedGroup(p.ec, "killed");
  await waitFor("engines starting", async () =>
    (await enginesUnder(p.dataDir)).length > 0 ? true : undefined,
  );
  p.child.kill("SIGKILL");
  await p.exited;
  await noEnginesLeft(p.dataDir);
});

test("a data dir removed while it runs: SIGTERM still stops every engine", async (t) => {
  const p = await startLocalCloudProcess(t);
  await createShardedGroup(p.ec, "orphaned");
  await waitGroupAvailable(p.ec, "orphaned");
  assert.equal((await enginesUnder(p.dataDir)).length, 4);
  rmSync(p.dataDir, { recursive: true, force: true });
  const seconds = await secondsToExit(p, "SIGTERM");
  t.diagnostic(`exited ${seconds.toFixed(1)} s after SIGTERM`);
  assert.ok(seconds < 15, `took ${seconds} s`);
  await noEnginesLeft(p.dataDir);
});

test("SIGKILL of a local cloud whose engines cannot save (data dir removed): none survives", async (t) => {
  // Redis refuses the parent-death SIGTERM when it cannot write its RDB; the watchdog kills it.
  const p = await startLocalCloudProcess(t);
  await createShardedGroup(p.ec, "unsaved");
  await waitGroupAvailable(p.ec, "unsaved");
  rmSync(p.dataDir, { recursive: true, force: true });
  p.child.kill("SIGKILL");
  await p.exited;
  await noEnginesLeft(p.dataDir);
});
