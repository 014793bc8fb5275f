// `infra-operator completion bash|zsh`: the printed scripts, loaded into the real shells, complete
// commands, each command's flags (read from its --help), -o formats and the state dir's clusters.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, cli, tempStateDir } from "./cli.ts";
import { cluster, provider, writeManifest } from "./manifests.ts";

describe("shell completion", () => {
  const state = tempStateDir();
  // The scripts call `infra-operator`; a wrapper on PATH runs this checkout with the test's state dir.
  const env = {
    ...process.env,
    PATH: `${state.dir}:${process.env.PATH}`,
    INFRA_OPERATOR_STATE_DIR: state.dir,
  };
  before(async () => {
    writeFileSync(
      join(state.dir, "infra-operator"),
      `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const file = writeManifest(
      state.dir,
      "c.yaml",
      provider("local-test"),
      cluster(
        "completed-cache",
        "completion-cache",
        'engine: memcached\nengineVersion: "1.6.22"\nnodeType: cache.t3.micro',
      ),
    );
    const applied = await cli(["apply", "-f", file, "--wait=false"], { INFRA_OPERATOR_STATE_DIR: state.dir });
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(() => state.cleanup());

  function bash(script: string, line: string[]): string[] {
    const words = line.map((w) => `'${w}'`).join(" ");
    const r = spawnSync(
      "bash",
      [
        "-c",
        `source <(infra-operator completion bash) || exit 9
COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; _infra_operator; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: "utf8", env },
    );
    assert.equal(r.status, 0, `${script}: ${r.stderr}`);
    return r.stdout.split("\n").filter((l) => l !== "");
  }

  function zsh(line: string[]): string[] {
    const words = line.map((w) => `'${w}'`).join(" ");
    // compadd, _describe, _files and compdef are zsh's completion system; here they print what they get.
    const r = spawnSync(
      "zsh",
      [
        "-c",
        `compdef() { :; }; compadd() { [[ "$1" == "--" ]] && shift; print -l -- "$@"; }
_describe() { local -a list; list=("\${(@P)2}"); print -l -- "\${list[@]%%:*}"; }
_files() { print -- "_files $*"; }
source <(infra-operator completion zsh) || exit 9
words=(${words}); CURRENT=${line.length}; _infra_operator`,
      ],
      { encoding: "utf8", env },
    );
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split("\n").filter((l) => l !== "");
  }

  it("prints a script for bash and zsh, and refuses another shell (exit 2)", async () => {
    assert.match(
      (await cli(["completion", "bash"])).stdout,
      /^complete -o default -F _infra_operator infra-operator$/m,
    );
    assert.match((await cli(["completion", "zsh"])).stdout, /^#compdef infra-operator$/m);
    const fish = await cli(["completion", "fish"]);
    assert.equal(fish.code, 2);
    assert.match(fish.stderr, /give bash or zsh/);
  });

  it("bash completes commands, flags, -o formats and cluster names", () => {
    assert.deepEqual(bash("commands", ["infra-operator", "de"]), ["describe", "delete", "dev"]);
    const getFlags = bash("get flags", ["infra-operator", "get", "--"]);
    for (const flag of ["--filename", "--output", "--all-namespaces", "--state-dir", "--help"]) {
      assert.ok(getFlags.includes(flag), `${flag} in ${getFlags}`);
    }
    assert.ok(bash("run flags", ["infra-operator", "run", "--metrics"]).includes("--metrics-bind-address"));
    assert.deepEqual(bash("-o", ["infra-operator", "get", "-o", ""]), ["yaml", "json", "wide", "name"]);
    assert.deepEqual(bash("names", ["infra-operator", "describe", "comp"]), ["completed-cache"]);
    assert.deepEqual(bash("shells", ["infra-operator", "completion", ""]), ["bash", "zsh", "-h", "--help"]);
  });

  it("zsh completes commands, flags, -o formats, files and cluster names", () => {
    const commands = zsh(["infra-operator", ""]);
    assert.ok(commands.includes("apply") && commands.includes("completion"), commands.join(" "));
    assert.ok(zsh(["infra-operator", "apply", "--"]).includes("--timeout"));
    assert.deepEqual(zsh(["infra-operator", "get", "-o", ""]), ["yaml", "json", "wide", "name"]);
    assert.deepEqual(zsh(["infra-operator", "apply", "-f", ""]), ["_files "]);
    assert.ok(zsh(["infra-operator", "delete", ""]).includes("completed-cache"));
  });
});
