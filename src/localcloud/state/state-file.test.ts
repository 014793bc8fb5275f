import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { emptyState } from "./records.ts";
import { StateFile } from "./state-file.ts";

test("state round-trips through the data dir, privately and without temp files left", () => {
  const dir = mkdtempSync(join(tmpdir(), "lc-state-"));
  try {
    const file = new StateFile(dir);
    assert.deepEqual(file.load(), emptyState());
    const s = emptyState();
    s.tags["arn:x"] = [{ Key: "a", Value: "b" }];
    file.save(s);
    assert.deepEqual(new StateFile(dir).load().tags, { "arn:x": [{ Key: "a", Value: "b" }] });
    assert.deepEqual(readdirSync(dir), ["state.json"]);
    assert.equal(statSync(file.path).mode & 0o077, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
