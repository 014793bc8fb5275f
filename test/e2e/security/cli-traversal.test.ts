// Red team: the standalone CLI turns names from manifests (and NAME arguments) into state file
// paths. A namespace like `x/../../../../escaped` must not write outside --state-dir, two objects
// must never share a file, and hostile YAML (an alias bomb, a document that is not a mapping)
// ends in one error line and exit 1, never a stack trace or an exhausted process.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { cli } from "../../cli/cli.ts";
import { provider, writeManifest } from "../../cli/manifests.ts";

/** Every path under `dir`, sorted: what the test compares before and after. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

function oneErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one stderr line, got:\n${stderr}`);
  assert.match(lines[0] ?? "", pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack frames");
}

describe("standalone CLI against hostile names and YAML", () => {
  // The state dir sits two levels down so that the traversal below, if it worked, would land in
  // `parent`, which the test watches.
  const parent = mkdtempSync(join(tmpdir(), "cli-traversal-"));
  const stateDir = join(parent, "deep", "state");
  mkdirSync(stateDir, { recursive: true });
  const files = mkdtempSync(join(tmpdir(), "cli-traversal-files-"));
  const S = ["--state-dir", stateDir];
  after(() => {
    rmSync(parent, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it("refuses a namespace or name that would leave the state dir, writing nothing", async () => {
    const before = tree(parent);
    const namespaced = (namespace: string, name = "p") =>
      provider(name).replace("namespace: default", `namespace: "${namespace}"`);
    for (const [doc, rule] of [
      [
        namespaced("x/../../../../escaped"),
        /metadata\.namespace: "x\/\.\.\/\.\.\/\.\.\/\.\.\/escaped" must be a DNS-1123 label/,
      ],
      [
        namespaced("default", "../../escaped"),
        /metadata\.name: "\.\.\/\.\.\/escaped" must be a DNS-1123 subdomain/,
      ],
    ] as const) {
      const file = writeManifest(files, "traversal.yaml", doc);
      const r = await cli(["apply", ...S, "-f", file]);
      assert.equal(r.code, 1, r.stderr);
      oneErrorLine(r.stderr, /traversal\.yaml:1: AWSProvider "[^"]*": /);
      assert.match(r.stderr, rule);
    }
    assert.deepEqual(tree(parent), before, "nothing written under the state dir's parent");
    assert.equal(existsSync(join(parent, "escaped.p.json")), false);
  });

  it("refuses `delete NAME` with a name Kubernetes would refuse", async () => {
    const before = tree(parent);
    const r = await cli(["delete", ...S, "x/../../../../escaped"]);
    assert.equal(r.code, 1, r.stderr);
    oneErrorLine(
      r.stderr,
      /^infra-operator delete: "x\/\.\.\/\.\.\/\.\.\/\.\.\/escaped": name: "\.\.\/\.\.\/\.\.\/\.\.\/escaped" must be a DNS-1123 subdomain/,
    );
    assert.deepEqual(tree(parent), before);
  });

  it("keeps a/b.c and a.b/c apart: the first is stored, the second is not a namespace", async () => {
    const inNamespace = (namespace: string, name: string) =>
      provider(name).replace("namespace: default", `namespace: ${namespace}`);
    const ok = await cli(["apply", ...S, "-f", writeManifest(files, "first.yaml", inNamespace("a", "b.c"))]);
    assert.equal(ok.code, 0, ok.stderr);
    const refused = await cli([
      "apply",
      ...S,
      "-f",
      writeManifest(files, "second.yaml", inNamespace("a.b", "c")),
    ]);
    assert.equal(refused.code, 1);
    oneErrorLine(
      refused.stderr,
      /second\.yaml:1: AWSProvider "c": metadata\.namespace: "a\.b" must be a DNS-1123 label/,
    );
    assert.deepEqual(readdirSync(join(stateDir, "objects")), ["AWSProvider.a.b.c.json"]);
  });

  it("ends an alias bomb with one line and exit 1", async () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) {
      const [prev, next] = [String.fromCharCode(97 + i), String.fromCharCode(98 + i)];
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const file = writeManifest(files, "bomb.yaml", provider("ok"), `${lines.join("\n")}\n`);
    for (const command of ["apply", "plan", "validate"]) {
      const r = await cli([command, ...(command === "validate" ? [] : S), "-f", file]);
      assert.equal(r.code, 1, `${command}: ${r.stderr}`);
      oneErrorLine(r.stderr, /bomb\.yaml:2: invalid YAML: .*alias/i);
    }
  });

  it("ends a document that is not a mapping, or does not parse, with one line and exit 1", async () => {
    for (const [name, text, line] of [
      ["list.yaml", "- a\n- b\n", /list\.yaml:1: a document must be a mapping/],
      ["broken.yaml", "a: [1, 2\nb: {\n", /broken\.yaml:1: invalid YAML: /],
    ] as const) {
      const r = await cli(["apply", ...S, "-f", writeManifest(files, name, text)]);
      assert.equal(r.code, 1, r.stderr);
      oneErrorLine(r.stderr, line);
    }
  });
});
