// The CLI talks like kubectl: apply says created / configured (what changed) / unchanged per
// object; get, describe and delete take -f; get prints -o yaml|json|wide|name; every command has
// --help; exit codes are 0 done, 1 error, 2 usage.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { commands } from "../../src/cli/commands.ts";
import { cli, tempStateDir } from "./cli.ts";
import { cluster, provider, writeManifest } from "./manifests.ts";

const REDIS = 'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro\nnumCacheNodes: 1';

describe("kubectl-style CLI", () => {
  const state = tempStateDir();
  const S = ["--state-dir", state.dir];
  const file = (spec: string) =>
    writeManifest(state.dir, "app.yaml", provider("local-test"), cluster("web", "kstyle-web", spec));
  let created: Awaited<ReturnType<typeof cli>>;
  before(async () => {
    created = await cli(["apply", ...S, "-f", file(REDIS)]);
  });
  after(() => state.cleanup());

  it("apply says created, then unchanged, then configured with what changed", async () => {
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^awsprovider\/local-test created$/m);
    assert.match(created.stdout, /^elasticachecluster\/web created$/m);

    const again = await cli(["apply", ...S, "-f", file(REDIS)]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^awsprovider\/local-test unchanged$/m);
    assert.match(again.stdout, /^elasticachecluster\/web unchanged$/m);
    assert.doesNotMatch(again.stdout, /created|configured/);

    const changed = await cli([
      "apply",
      ...S,
      "-f",
      file(`${REDIS.replace("cache.t3.micro", "cache.t3.small")}\ntags:\n  team: web`),
    ]);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /^awsprovider\/local-test unchanged$/m);
    assert.match(
      changed.stdout,
      /^elasticachecluster\/web configured \(nodeType: cache\.t3\.micro → cache\.t3\.small; tags\.team: added \(web\)\)$/m,
    );
  });

  it("get -f and describe -f act on the clusters the file names", async () => {
    const path = file(REDIS);
    const got = await cli(["get", ...S, "-f", path]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^NAME +CLUSTER-ID/);
    assert.match(got.stdout, /^web +kstyle-web +redis/m);
    const described = await cli(["describe", ...S, "-f", path]);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /^Name: +web$/m);
    assert.match(described.stdout, /^Cluster ID: +kstyle-web$/m);
    const missing = writeManifest(state.dir, "other.yaml", cluster("nope", "kstyle-nope", REDIS));
    const notThere = await cli(["describe", ...S, "-f", missing]);
    assert.equal(notThere.code, 1);
    assert.match(notThere.stderr, /no ElastiCacheCluster default\/nope in /);
  });

  it("get -o name, wide, yaml and json", async () => {
    const name = await cli(["get", ...S, "-o", "name"]);
    assert.equal(name.code, 0, name.stderr);
    assert.equal(name.stdout, "elasticachecluster/web\n");
    const wide = await cli(["get", ...S, "-o", "wide"]);
    const [header, row] = wide.stdout.trim().split("\n");
    assert.deepEqual(header?.split(/\s+/).slice(-3), ["PROVIDER", "TOPOLOGY", "USD-MONTH"]);
    assert.match(row ?? "", /local-test +CacheCluster +24\.82$/, "1 × cache.t3.small");
    const yaml = await cli(["get", "web", ...S, "-o", "yaml"]);
    assert.match(yaml.stdout, /^kind: ElastiCacheCluster$/m);
    const json = JSON.parse((await cli(["get", ...S, "-o", "json", "-f", file(REDIS)])).stdout);
    assert.equal(json.kind, "List");
    assert.equal(json.items[0].metadata.name, "web");
    const bad = await cli(["get", ...S, "-o", "table"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /-o must be one of yaml, json, wide, name, got "table"/);
  });

  it("delete -f deletes the file's clusters, then its provider", async () => {
    const deleted = await cli(["delete", ...S, "-f", file(REDIS)]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^elasticachecluster\/web deleted \(kstyle-web was deleted in AWS\)$/m);
    const left = await cli(["get", ...S, "-o", "name"]);
    assert.equal(left.stdout, "");
  });
});

describe("CLI usage and exit codes", () => {
  it("lists the commands with their summaries in one aligned column", async () => {
    const help = await cli(["--help"]);
    assert.equal(help.code, 0);
    const lines = help.stdout.split("\n").filter((l) => /^ {2}\S/.test(l));
    assert.equal(lines.length, Object.keys(commands).length);
    const columns = new Set(lines.map((l) => /^ {2}\S.*?\S {2,}(?=\S)/.exec(l)?.[0].length));
    assert.equal(columns.size, 1, `summaries start at different columns:\n${lines.join("\n")}`);
    assert.match(help.stdout, /Exit codes: 0 done, 1 error .*, 2 usage error/);
  });

  it("has --help for every command (exit 0) and exits 2 on an unknown flag", async () => {
    for (const name of Object.keys(commands)) {
      const help = await cli([name, "--help"]);
      assert.equal(help.code, 0, `${name} --help: ${help.stderr}`);
      assert.match(help.stdout, new RegExp(`^Usage: infra-operator ${name}\\b`), name);
      if (name === "run") continue; // the operator stops on a bad flag; its exit codes are pods' business
      const bad = await cli([name, "--no-such-flag"]);
      assert.equal(bad.code, 2, `${name} --no-such-flag: ${bad.stdout}${bad.stderr}`);
      assert.match(bad.stderr, /Unknown option '--no-such-flag'/);
    }
  });

  it("exits 2 with no command or an unknown one, 1 on an error", async () => {
    assert.equal((await cli([])).code, 2);
    const unknown = await cli(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const state = tempStateDir();
    try {
      const missing = await cli(["describe", "nope", "--state-dir", state.dir]);
      assert.equal(missing.code, 1);
    } finally {
      await state.cleanup();
    }
  });
});
