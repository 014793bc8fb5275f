import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { Authorization } from "./authorization.ts";

const dir = mkdtempSync(path.join(tmpdir(), "kit-authorization-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("bearer token, basic credentials and none", () => {
  assert.equal(new Authorization({ kind: "token", token: "abc" }).header(), "Bearer abc");
  assert.equal(
    new Authorization({ kind: "basic", username: "admin", password: "pw" }).header(),
    `Basic ${Buffer.from("admin:pw").toString("base64")}`,
  );
  assert.equal(new Authorization({ kind: "none" }).header(), undefined);
});

test("a token file is re-read once refreshMs has passed (rotated projected tokens)", () => {
  const file = path.join(dir, "token");
  writeFileSync(file, "first\n");
  let now = 1_000;
  const auth = new Authorization({ kind: "tokenFile", path: file, refreshMs: 60_000 }, () => now);
  assert.equal(auth.header(), "Bearer first");
  writeFileSync(file, "second");
  now += 59_000;
  assert.equal(auth.header(), "Bearer first", "cached within refreshMs");
  now += 1_000;
  assert.equal(auth.header(), "Bearer second");
});

test("a token file that cannot be re-read keeps the last token; one never read is an error", () => {
  const file = path.join(dir, "token2");
  writeFileSync(file, "kept");
  let now = 0;
  const auth = new Authorization({ kind: "tokenFile", path: file, refreshMs: 10 }, () => now);
  assert.equal(auth.header(), "Bearer kept");
  rmSync(file);
  now = 100;
  assert.equal(auth.header(), "Bearer kept");
  const missing = new Authorization({ kind: "tokenFile", path: path.join(dir, "missing"), refreshMs: 10 });
  assert.throws(() => missing.header(), /cannot read the Kubernetes token file .*missing/);
});
