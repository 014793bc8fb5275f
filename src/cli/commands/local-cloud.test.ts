// The `infra-operator local-cloud` command as users run it: prints the URL, data dir and CA path,
// serves AWS calls, and on SIGTERM stops every engine process it started and exits 0.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  CreateCacheClusterCommand,
  DescribeCacheClustersCommand,
  ElastiCacheClient,
} from "@aws-sdk/client-elasticache";

const bin = new URL("../../../bin/infra-operator.js", import.meta.url).pathname;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("local-cloud serves until SIGTERM and leaves no engine process behind", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "lc-cli-"));
  const child = spawn(process.execPath, [bin, "local-cloud", "--port", "0", "--data-dir", dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const deadline = Date.now() + 30_000;
    while (!/listening on (http:\S+)/.test(stdout) && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /listening on (http:\S+)/.exec(stdout)?.[1];
    assert.ok(url, `no URL printed; stderr: ${stderr}`);
    assert.match(stdout, new RegExp(`data dir: ${dataDir}`));
    assert.match(stdout, /CA certificate \(TLS endpoints\): \S+ca\.crt/);
    const ec = new ElastiCacheClient({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    await ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "c1",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
      }),
    );
    let pid: number | undefined;
    for (let i = 0; i < 300 && pid === undefined; i++) {
      const r = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: "c1" }));
      if (r.CacheClusters?.[0]?.CacheClusterStatus === "available") {
        pid = Number(/redis-server pid (\d+)/.exec(stderr)?.[1]);
      } else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(pid && alive(pid), "the engine runs while the local cloud runs");
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.equal(alive(pid), false, "SIGTERM stopped the engine");
  } finally {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("local-cloud refuses unknown flags and a bad port with exit 2", async () => {
  const run = (args: string[]) =>
    new Promise<number | null>((resolve) =>
      spawn(process.execPath, [bin, "local-cloud", ...args], { stdio: "ignore" }).on("exit", resolve),
    );
  assert.equal(await run(["--bogus"]), 2);
  assert.equal(await run(["--port", "http"]), 2);
});
