// scripts/setup, which `npm run quickstart`, `npm test` and .ci/run go through: run by a user who
// is not root on a machine without the engines, it installs nothing and prints the exact apt-get
// command to run as root; a wrong purpose is a usage error.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { repoPath } from "../support/paths.ts";

const SETUP = repoPath("scripts", "setup");

describe("scripts/setup", () => {
  // A PATH with only what the script itself needs: no redis-server, redis-cli, memcached, ...
  const bin = mkdtempSync(join(tmpdir(), "setup-path-"));
  chmodSync(bin, 0o755);
  for (const program of ["bash", "id", "dirname", "env"]) {
    const found = spawnSync("bash", ["-c", `command -v ${program}`], { encoding: "utf8" }).stdout.trim();
    symlinkSync(found, join(bin, program));
  }
  // nobody runs a copy: the checkout itself may sit in a folder only root can read (mktemp -d).
  const copy = mkdtempSync(join(tmpdir(), "setup-copy-"));
  chmodSync(copy, 0o755);
  mkdirSync(join(copy, "scripts"), { mode: 0o755 });
  const setupCopy = join(copy, "scripts", "setup");
  copyFileSync(SETUP, setupCopy);
  chmodSync(setupCopy, 0o755);
  after(() => {
    rmSync(bin, { recursive: true, force: true });
    rmSync(copy, { recursive: true, force: true });
  });

  const asNobody = (...args: string[]) =>
    spawnSync(
      "setpriv",
      [
        "--reuid=nobody",
        "--regid=nogroup",
        "--clear-groups",
        "env",
        `PATH=${bin}`,
        "bash",
        setupCopy,
        ...args,
      ],
      {
        encoding: "utf8",
      },
    );

  it("without root, prints the exact apt-get command for the quick start's engines and stops", () => {
    const r = asNobody("quickstart", "--", "true");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /redis-server redis-tools missing; installing them needs root/);
    assert.match(
      r.stderr,
      /^ {2}sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends redis-server redis-tools'$/m,
    );
  });

  // The AWS CLI is looked for at /usr/bin/aws (not on PATH), so this machine may have it.
  it("for the tests, names every program the tests need", () => {
    const r = asNobody("test");
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      /apt-get install -y --no-install-recommends redis-server redis-tools memcached (awscli )?netcat-openbsd jq openssl zsh curl util-linux'/,
    );
  });

  it("refuses an unknown purpose with exit 2", () => {
    const r = spawnSync("bash", [SETUP, "everything"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /usage: scripts\/setup quickstart\|test/);
  });
});
