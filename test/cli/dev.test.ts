// `infra-operator dev`: control plane + local cloud + CRDs + provider + operator; the
// documentation's manifest becomes Ready through kubectl; `dev down` leaves nothing running.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { findKubectl } from "../../src/standalone/dev-stack.ts";
import { repoPath } from "../support/paths.ts";
import { cli, processesOf } from "./cli.ts";

describe("dev stack", () => {
  const dir = mkdtempSync(join(tmpdir(), "infra-operator-dev-"));
  after(async () => {
    await cli(["dev", "down", "--dir", dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs examples/e2e-redis-simple.yaml to Ready with kubectl, then stops everything", async () => {
    const up = await cli(["dev", "--dir", dir], {}, 600_000);
    assert.equal(up.code, 0, up.stderr);
    const kubeconfig = /^export KUBECONFIG=(\S+)$/m.exec(up.stdout)?.[1];
    assert.ok(kubeconfig, up.stdout);
    const kubectl = (...args: string[]) =>
      spawnSync(findKubectl(), ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", timeout: 120_000 });

    const applied = kubectl("apply", "-f", repoPath("examples", "e2e-redis-simple.yaml"));
    assert.equal(applied.status, 0, applied.stderr);
    const ready = kubectl(
      "wait",
      "--for=condition=Ready",
      "elasticachecluster/e2e-redis-simple",
      "--timeout=90s",
    );
    assert.equal(
      ready.status,
      0,
      `${ready.stderr}\n${kubectl("describe", "elasticachecluster/e2e-redis-simple").stdout}`,
    );
    const endpoint = kubectl(
      "get",
      "elasticachecluster/e2e-redis-simple",
      "-o",
      "jsonpath={.status.endpoint}",
    ).stdout;
    const [host, port] = endpoint.split(":");
    const ping = spawnSync("redis-cli", ["-h", host ?? "", "-p", port ?? "", "PING"], {
      encoding: "utf8",
      timeout: 10_000,
    });
    assert.equal(ping.stdout.trim(), "PONG");

    const down = await cli(["dev", "down", "--dir", dir]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /stopped the operator/);
    assert.match(down.stderr, /stopped the local cloud/);
    assert.deepEqual(processesOf(dir), []);
  });
});
