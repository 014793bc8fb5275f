// An apply interrupted (SIGINT) right after its create call resumes on the next apply: the state
// dir remembers the create, so no second create is sent, and the cache becomes Ready.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, calls, cli, localCloudAdmin, mutating, resetCalls, tempStateDir } from "./cli.ts";
import { cluster, provider, writeManifest } from "./manifests.ts";

describe("interrupted apply", () => {
  const state = tempStateDir();
  const S = ["--state-dir", state.dir];
  let files: string[];

  before(async () => {
    files = [
      "-f",
      writeManifest(state.dir, "provider.yaml", provider("local-test")),
      "-f",
      writeManifest(
        state.dir,
        "warm.yaml",
        cluster("warm", "interrupt-warm", 'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro'),
      ),
    ];
    // Starts the local cloud, then slows its transitions so the next create stays "creating" a while.
    const warm = await cli(["apply", ...S, ...files]);
    assert.equal(warm.code, 0, warm.stderr);
    await localCloudAdmin(state.dir, "POST", "pace", { transitionDelayMs: 3000 });
  });
  after(() => state.cleanup());

  it("resumes without a duplicate create", async () => {
    const file = writeManifest(
      state.dir,
      "slow.yaml",
      cluster("slow", "interrupt-slow", 'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro'),
    );
    await resetCalls(state.dir);
    const child = spawn(process.execPath, [BIN, "apply", ...S, "-f", files[1] ?? "", "-f", file], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no create seen:\n${stdout}\n${stderr}`)), 30_000);
      child.stdout.on("data", (d) => {
        stdout += d;
        if (/slow\s+Creating/.test(stdout)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill("SIGINT");
    assert.equal(await exited, 130);
    assert.match(stderr, /interrupted: progress is saved in .*; run the same apply again to resume/);
    const stored = JSON.parse(
      readFileSync(join(state.dir, "objects", "ElastiCacheCluster.default.slow.json"), "utf8"),
    );
    assert.equal(stored.status.topology, "CacheCluster", "the create is remembered");
    assert.notEqual(stored.status.ready, true);

    const resumed = await cli(["apply", ...S, "-f", files[1] ?? "", "-f", file]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /slow\s+Ready/);
    assert.deepEqual(mutating(await calls(state.dir)), { "elasticache:CreateCacheCluster": 1 });
  });
});
