// A restart's rules for serverless caches, against a recording engine host: caches come back on their
// ports and rejoin their cluster, one stopped while creating forms it, one stopped while deleting is gone.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ServerlessCacheRecord } from "../state/records.ts";
import { StateFile } from "../state/state-file.ts";
import { emptyWorld } from "../state/world.ts";
import { FakeEngineHost } from "../testing/fake-engine-host.ts";
import { Cloud } from "./cloud.ts";
import { newServerlessNodes, recoverServerless } from "./serverless-engines.ts";

function cache(
  name: string,
  status: string,
  engine: ServerlessCacheRecord["engine"] = "redis",
): ServerlessCacheRecord {
  const nodes = newServerlessNodes({ name, engine }, "2026-01-01T00:00:00.000Z");
  nodes.forEach((n, i) => {
    n.port = 31000 + i + name.length * 10;
  });
  return {
    name,
    arn: `arn:aws:elasticache:us-east-1:000000000000:serverlesscache:${name}`,
    region: "us-east-1",
    accountId: "000000000000",
    description: "",
    status,
    engine,
    majorEngineVersion: "7",
    fullEngineVersion: "7.1",
    createTime: "2026-01-01T00:00:00.000Z",
    securityGroupIds: [],
    subnetIds: [],
    nodes,
  };
}

test("recovered serverless caches keep their ports; creating ones form their cluster; deleting ones are removed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lc-serverless-"));
  try {
    const engines = new FakeEngineHost();
    const cloud = new Cloud({
      world: emptyWorld(),
      stateFile: new StateFile(dir),
      engines,
      dataDir: dir,
      transitionDelayMs: 0,
      tlsFiles: async () => ({ caFile: "ca", certFile: "c", keyFile: "k" }),
      log: () => {},
    });
    const state = cloud.state;
    for (const c of [
      cache("up", "available"),
      cache("new", "creating"),
      cache("bye", "deleting"),
      cache("mc", "available", "memcached"),
    ])
      state.serverlessCaches[c.name] = c;
    const byeDir = cloud.nodeDir("serverless--bye--0001");
    mkdirSync(byeDir, { recursive: true });
    await recoverServerless(cloud);

    assert.equal(state.serverlessCaches.bye, undefined);
    assert.equal(existsSync(byeDir), false);
    assert.equal(state.serverlessCaches.new?.status, "available");
    assert.ok(engines.calls.includes("createCluster"), engines.calls.join("; "));
    assert.ok(engines.calls.includes("awaitClusterHealthy serverless--up--0001,serverless--up--0002"));
    for (const c of ["up", "new"]) {
      const [primary, reader] = state.serverlessCaches[c]?.nodes ?? [];
      assert.ok(engines.calls.includes(`start ${primary?.engineNodeId}:${primary?.port}`));
      assert.ok(engines.calls.includes(`start ${reader?.engineNodeId}:${reader?.port}`));
      assert.equal(engines.started.get(primary?.engineNodeId ?? "")?.clusterEnabled, true);
      assert.ok(engines.started.get(primary?.engineNodeId ?? "")?.tls);
    }
    assert.equal(engines.started.get("serverless--mc--0001")?.clusterEnabled, undefined);
    assert.equal(engines.started.has("serverless--mc--0002"), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
