// The background local cloud: started once even when two commands ask at the same time, reused
// while healthy, and stopped with its engines (nothing of the state dir left running).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readAdminToken } from "../localcloud/admin/token.ts";
import { ensureLocalCloud, readLocalCloudInfo, stopLocalCloud } from "./local-cloud-daemon.ts";

describe("local cloud daemon", () => {
  const dir = mkdtempSync(join(tmpdir(), "local-cloud-daemon-"));
  after(async () => {
    await stopLocalCloud(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts one local cloud for concurrent callers, reuses it, and stops it", async () => {
    const lines: string[] = [];
    const [a, b] = await Promise.all([
      ensureLocalCloud(dir, (l) => lines.push(l)),
      ensureLocalCloud(dir, (l) => lines.push(l)),
    ]);
    assert.equal(a.pid, b.pid);
    assert.equal(lines.filter((l) => l.startsWith("started the local cloud")).length, 1);
    const token = readAdminToken(join(dir, "local-cloud"));
    const health = await fetch(`${a.url}/_localcloud/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(((await health.json()) as { dataDir: string }).dataDir, join(dir, "local-cloud"));
    const again = await ensureLocalCloud(dir, (l) => lines.push(l));
    assert.equal(again.pid, a.pid, "reused while healthy");
    assert.equal(existsSync(join(dir, "local-cloud.lock")), false);

    assert.equal(await stopLocalCloud(dir), a.pid);
    assert.equal(readLocalCloudInfo(dir), undefined);
    const left = spawnSync("pgrep", ["-f", dir], { encoding: "utf8" }).stdout.trim();
    assert.equal(left, "");
    assert.equal(await stopLocalCloud(dir), undefined, "stopping twice is fine");
  });
});
