// The README's first command, end to end: apply examples/quickstart.yaml on a fresh state dir,
// PING the printed redis-cli command, re-apply without a single mutating call, plan, get,
// describe, a modification through re-apply, then delete and stop with nothing left running.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { repoPath } from "../support/paths.ts";
import { calls, cli, mutating, processesOf, resetCalls, runPrintedPing, tempStateDir } from "./cli.ts";

const QUICKSTART = repoPath("examples", "quickstart.yaml");

describe("standalone quick start", () => {
  const state = tempStateDir();
  const S = ["--state-dir", state.dir];
  after(() => state.cleanup());

  let applied: Awaited<ReturnType<typeof cli>>;
  before(async () => {
    applied = await cli(["apply", "-f", QUICKSTART, ...S]);
  });

  it("is the README's first command, the test command its second", () => {
    const [first] = readFileSync(repoPath("README.md"), "utf8").matchAll(/```sh\n([^`]*)```/g);
    const commands = (first?.[1] ?? "")
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line !== "");
    assert.deepEqual(commands.slice(0, 2), ["npm run quickstart", "npm test"]);
    // Each sets up what it needs first (scripts/setup), then runs the quick start or the suite.
    const scripts = JSON.parse(readFileSync(repoPath("package.json"), "utf8")).scripts;
    assert.equal(
      scripts.quickstart,
      "scripts/setup quickstart -- node bin/infra-operator.js apply -f examples/quickstart.yaml",
    );
    assert.equal(scripts.test, "scripts/setup test -- node test/run.ts");
  });

  it("brings a Redis up in the embedded local cloud and its printed PING answers PONG", () => {
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /no AWSProvider default\/local .* using the embedded local cloud/);
    assert.match(applied.stdout, /started the local cloud at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(applied.stdout, /quickstart\s+Ready\s+aws: available/);
    assert.match(applied.stdout, /url: {2}redis:\/\/127\.0\.0\.1:\d+/);
    assert.equal(runPrintedPing(applied.stdout), "PONG");
  });

  it("keeps objects and status in the state dir, never a token", () => {
    const files = readdirSync(join(state.dir, "objects"));
    assert.deepEqual(files, ["ElastiCacheCluster.default.quickstart.json"]);
    const stored = JSON.parse(readFileSync(join(state.dir, "objects", files[0] ?? ""), "utf8"));
    assert.equal(stored.status.ready, true);
    assert.equal(stored.status.topology, "CacheCluster");
    assert.ok(stored.metadata.uid);
  });

  it("re-applies the unchanged file with zero mutating calls", async () => {
    await resetCalls(state.dir);
    const again = await cli(["apply", "-f", QUICKSTART, ...S]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /started the local cloud/, "the running local cloud is reused");
    const counts = await calls(state.dir);
    assert.deepEqual(mutating(counts), {});
    assert.ok(counts.total > 0, "it did look at AWS");
  });

  it("plans nothing for the unchanged file, and lists each changed field", async () => {
    const same = await cli(["plan", "-f", QUICKSTART, ...S]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /= ElastiCacheCluster default\/quickstart \(quickstart-redis\): no changes/);

    const changed = join(state.dir, "changed.yaml");
    writeFileSync(
      changed,
      readFileSync(QUICKSTART, "utf8")
        .replace("cache.t3.micro", "cache.t3.small")
        .replace(
          "deletionPolicy: Delete",
          "deletionPolicy: Delete\n  snapshotRetentionLimit: 2\n  tags:\n    team: web",
        ),
    );
    await resetCalls(state.dir);
    const planned = await cli(["plan", "-f", changed, ...S]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(
      planned.stdout,
      /~ modify: cacheNodeType: changing the node type from cache\.t3\.micro to cache\.t3\.small/,
    );
    assert.match(planned.stdout, /~ modify: snapshotRetentionLimit/);
    assert.match(planned.stdout, /~ tags: tagging: team/);
    assert.match(planned.stdout, /Plan: 3 change\(s\), 0 refused\./);
    assert.deepEqual(mutating(await calls(state.dir)), {}, "plan only reads");
  });

  it("applies a changed node type through re-apply with exactly one modify call", async () => {
    const changed = join(state.dir, "resized.yaml");
    writeFileSync(changed, readFileSync(QUICKSTART, "utf8").replace("cache.t3.micro", "cache.t3.small"));
    await resetCalls(state.dir);
    const result = await cli(["apply", "-f", changed, ...S]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(mutating(await calls(state.dir)), { "elasticache:ModifyCacheCluster": 1 });
    const got = await cli(["get", "quickstart", "-o", "json", ...S]);
    const object = JSON.parse(got.stdout);
    assert.equal(object.status.cacheNodeType, "cache.t3.small");
    assert.equal(object.metadata.generation, 2);
  });

  it("get shows kubectl's printer columns", async () => {
    const got = await cli(["get", ...S]);
    assert.equal(got.code, 0, got.stderr);
    const [header, row] = got.stdout.trim().split("\n");
    assert.deepEqual(header?.split(/\s+/), [
      "NAME",
      "CLUSTER-ID",
      "ENGINE",
      "VERSION",
      "NODE-TYPE",
      "STATUS",
      "ENDPOINT",
      "READY",
      "AGE",
    ]);
    assert.match(
      row ?? "",
      /^quickstart\s+quickstart-redis\s+redis\s+7\.1\.\d+\s+cache\.t3\.small\s+available\s+127\.0\.0\.1:\d+\s+true\s+\d+[sm]$/,
    );
    const yaml = await cli(["get", "quickstart", "-o", "yaml", ...S]);
    assert.match(yaml.stdout, /^kind: ElastiCacheCluster$/m);
    const missing = await cli(["get", "nope", ...S]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no ElastiCacheCluster default\/nope/);
  });

  it("describe shows status, conditions and the recent events", async () => {
    const described = await cli(["describe", "quickstart", ...S]);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /^Cluster ID: +quickstart-redis$/m);
    assert.match(described.stdout, /^ {2}Ready +True +Available/m);
    assert.match(described.stdout, /^ {2}Synced +True +Synced/m);
    assert.match(described.stdout, /Normal +Creating .*creating CacheCluster quickstart-redis/);
    assert.match(
      described.stdout,
      /Normal +Modifying .*changing the node type from cache\.t3\.micro to cache\.t3\.small/,
    );
  });

  it("deletes it in AWS (deletionPolicy Delete) and stops with nothing left running", async () => {
    await resetCalls(state.dir);
    const deleted = await cli(["delete", "quickstart", ...S]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /quickstart-redis was deleted in AWS/);
    assert.equal((await calls(state.dir)).byAction["elasticache:DeleteCacheCluster"], 1);
    assert.equal(existsSync(join(state.dir, "objects", "ElastiCacheCluster.default.quickstart.json")), false);
    const planned = await cli(["plan", "-f", QUICKSTART, ...S]);
    assert.match(planned.stdout, /\+ create: creating CacheCluster quickstart-redis/, "gone from AWS too");
    const stopped = await cli(["local-cloud", "stop", "--state-dir", state.dir]);
    assert.match(stopped.stdout, /stopped the local cloud \(pid \d+\)/);
    assert.deepEqual(processesOf(state.dir), []);
  });
});
