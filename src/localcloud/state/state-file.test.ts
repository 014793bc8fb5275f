import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { emptyState } from "./records.ts";
import { StateFile } from "./state-file.ts";
import { emptyWorld } from "./world.ts";

test("state round-trips through the data dir, privately and without temp files left", () => {
  const dir = mkdtempSync(join(tmpdir(), "lc-state-"));
  try {
    const file = new StateFile(dir);
    assert.deepEqual(file.load(), emptyWorld());
    const w = emptyWorld();
    const s = emptyState();
    s.tags["arn:x"] = [{ Key: "a", Value: "b" }];
    w.scopes["111111111111/eu-west-1"] = s;
    file.save(w);
    assert.deepEqual(new StateFile(dir).load().scopes["111111111111/eu-west-1"]?.tags, {
      "arn:x": [{ Key: "a", Value: "b" }],
    });
    assert.deepEqual(readdirSync(dir), ["state.json"]);
    assert.equal(statSync(file.path).mode & 0o077, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("state saved before scopes existed is split by each resource's account and region", () => {
  const dir = mkdtempSync(join(tmpdir(), "lc-state-"));
  try {
    const flat = emptyState();
    const arnA = "arn:aws:elasticache:us-east-1:000000000000:cluster:a";
    const arnB = "arn:aws:elasticache:eu-west-1:111111111111:cluster:b";
    flat.clusters.a = { id: "a", arn: arnA } as never;
    flat.clusters.b = { id: "b", arn: arnB } as never;
    flat.tags[arnB] = [{ Key: "k", Value: "v" }];
    flat.events.push({ sourceIdentifier: "a", sourceType: "cache-cluster", message: "m", date: "d" });
    writeFileSync(join(dir, "state.json"), JSON.stringify(flat));
    const world = new StateFile(dir).load();
    assert.deepEqual(Object.keys(world.scopes).sort(), ["000000000000/us-east-1", "111111111111/eu-west-1"]);
    assert.deepEqual(Object.keys(world.scopes["000000000000/us-east-1"]?.clusters ?? {}), ["a"]);
    assert.deepEqual(Object.keys(world.scopes["111111111111/eu-west-1"]?.clusters ?? {}), ["b"]);
    assert.deepEqual(world.scopes["111111111111/eu-west-1"]?.tags[arnB], [{ Key: "k", Value: "v" }]);
    assert.equal(world.scopes["000000000000/us-east-1"]?.events.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("AUTH tokens of older state files become digests; none is written back in clear", () => {
  const dir = mkdtempSync(join(tmpdir(), "lc-state-"));
  try {
    const token = "old-clear-token-0123456789";
    const flat = emptyState();
    flat.clusters.a = {
      id: "a",
      arn: "arn:aws:elasticache:us-east-1:000000000000:cluster:a",
      authTokens: [token],
    } as never;
    writeFileSync(join(dir, "state.json"), JSON.stringify(flat));
    const file = new StateFile(dir);
    const world = file.load();
    const cluster = world.scopes["000000000000/us-east-1"]?.clusters.a;
    assert.deepEqual(cluster?.authTokenDigests, [createHash("sha256").update(token).digest("hex")]);
    file.save(world);
    assert.doesNotMatch(readFileSync(file.path, "utf8"), new RegExp(token));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
