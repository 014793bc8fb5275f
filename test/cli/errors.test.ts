// Errors as a user needs them: each exits non-zero, says what is wrong and what to do, and leaves
// no half-written state (nothing recorded when the files themselves are wrong).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { repoPath } from "../support/paths.ts";
import { cli, processesOf, tempStateDir } from "./cli.ts";
import { cluster, provider, writeManifest } from "./manifests.ts";

const REDIS = 'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro';

describe("standalone errors", () => {
  const state = tempStateDir();
  const S = ["--state-dir", state.dir];
  const objects = join(state.dir, "objects");
  after(() => state.cleanup());

  it("refuses an unknown kind, naming the file and document", async () => {
    const file = writeManifest(
      state.dir,
      "kinds.yaml",
      cluster("ok", "ok-cache", REDIS),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    );
    const r = await cli(["apply", ...S, "-f", file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /kinds\.yaml:2: unknown kind "ConfigMap": apply reads AWSProvider, ElastiCacheCluster, Secret, ElastiCacheSubnetGroup[^\n]* documents/,
    );
    assert.equal(existsSync(objects), false, "nothing recorded");
  });

  it("reports an invalid spec with validate's own messages", async () => {
    const file = writeManifest(
      state.dir,
      "invalid.yaml",
      cluster(
        "bad",
        "bad-cache",
        'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro\nnumCacheNodes: 3\nsnapshotRetentionLimit: 99',
      ),
    );
    const validate = await cli(["validate", "-f", file]);
    assert.equal(validate.code, 1);
    const r = await cli(["apply", ...S, "-f", file]);
    assert.equal(r.code, 1);
    const lines = validate.stdout.trim().split("\n");
    assert.ok(lines.length >= 1);
    for (const line of lines) assert.ok(r.stderr.includes(line), `missing "${line}" in:\n${r.stderr}`);
    assert.equal(existsSync(objects), false);
  });

  it("names a missing auth token Secret and what to add", async () => {
    const file = writeManifest(
      state.dir,
      "token.yaml",
      cluster(
        "secure",
        "secure-cache",
        `${REDIS}\nreplicationGroupDescription: x\ntransitEncryptionEnabled: true\nauthTokenRef:\n  name: cache-token\n  key: token`,
      ),
    );
    const r = await cli(["apply", ...S, "-f", file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Secret default\/cache-token \(referenced by spec\.authTokenRef\) does not exist/);
    assert.match(
      r.stderr,
      /add a Secret document named cache-token with the key token to the files you apply/,
    );
    assert.match(r.stderr, /never kept in the state dir/);
    assert.equal(existsSync(objects), false);
  });

  it("names a provider's missing credentials Secret", async () => {
    const file = writeManifest(
      state.dir,
      "simple.yaml",
      cluster("simple", "simple-cache", REDIS).replace("local-test", "localstack"),
    );
    const r = await cli(["apply", ...S, "-f", repoPath("examples", "localstack.yaml"), "-f", file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /its AWSProvider default\/localstack cannot get credentials: Secret default\/aws-credentials .* does not exist/,
    );
    assert.equal(existsSync(objects), false);
  });

  it("says which program the local cloud misses and how to install it", async () => {
    const file = writeManifest(state.dir, "simple.yaml", cluster("simple", "simple-cache", REDIS));
    const r = await cli(["apply", ...S, "-f", file], { PATH: "/nonexistent" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /redis-server not found: install it with 'apt-get install redis-server'/);
    assert.equal(existsSync(objects), false);
    assert.deepEqual(processesOf(state.dir), [], "no local cloud was started");
  });

  it("shows AWS's refusal with its cause and the fix", async () => {
    const file = writeManifest(
      state.dir,
      "subnet.yaml",
      provider("local-test"),
      cluster("nosubnet", "nosubnet-cache", `${REDIS}\nsubnetGroupName: missing-subnet`),
    );
    const r = await cli(["apply", ...S, "-f", file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /nosubnet: not ready: AWSRejected: AWS rejected CreateCacheCluster \(CacheSubnetGroupNotFoundFault\).*missing-subnet.*change the spec/,
    );
    const described = await cli(["describe", "nosubnet", ...S]);
    assert.match(described.stdout, /Warning +AWSRejected/);
  });

  it("shows refused credentials with what to fix", async () => {
    const file = writeManifest(
      state.dir,
      "creds.yaml",
      provider(
        "wrong-keys",
        "  accessKeyIDRef:\n    name: wrong\n    key: id\n  secretAccessKeyRef:\n    name: wrong\n    key: secret\n",
      ),
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: wrong\nstringData:\n  id: AKIDNOTKNOWN\n  secret: not-the-secret\n",
      cluster("creds", "creds-cache", REDIS).replace("local-test", "wrong-keys"),
    );
    const r = await cli(["apply", ...S, "-f", file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /creds: not ready: InvalidCredentials: AWS did not accept the provider's credentials .*fix the AWSProvider's keys or role/,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /not-the-secret/);
    const stored = spawnSync("grep", ["-r", "not-the-secret", objects], { encoding: "utf8" });
    assert.equal(stored.stdout, "", "secret values are never written to the state dir");
  });
});
