// State rules of a restart, against a recording engine host: same ports, replicas re-attached,
// interrupted work settled the way it would have ended.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { RequestContext } from "../context.ts";
import { StateFile } from "../state/state-file.ts";
import { emptyWorld } from "../state/world.ts";
import { FakeEngineHost } from "../testing/fake-engine-host.ts";
import { cacheClusterHandlers } from "./cache-clusters.ts";
import { Cloud } from "./cloud.ts";
import { recover } from "./recover.ts";
import { replicationGroupHandlers } from "./replication-groups.ts";

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "lc-recover-"));
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
  return { dir, engines, cloud };
}

const ctx = (action: string, input: RequestContext["input"]): RequestContext => ({
  action,
  input,
  principal: undefined,
  region: "us-east-1",
  now: new Date(),
});

test("recover restarts nodes on their ports, re-attaches replicas and settles interrupted work", async () => {
  const { dir, engines, cloud } = setup();
  try {
    const clusters = cacheClusterHandlers(cloud);
    const groups = replicationGroupHandlers(cloud);
    await clusters.CreateCacheCluster?.(
      ctx("CreateCacheCluster", { CacheClusterId: "keep", Engine: "redis", CacheNodeType: "cache.t3.micro" }),
    );
    await clusters.CreateCacheCluster?.(
      ctx("CreateCacheCluster", { CacheClusterId: "gone", Engine: "redis", CacheNodeType: "cache.t3.micro" }),
    );
    await groups.CreateReplicationGroup?.(
      ctx("CreateReplicationGroup", {
        ReplicationGroupId: "rg",
        ReplicationGroupDescription: "d",
        CacheNodeType: "cache.t3.micro",
        NumCacheClusters: 2,
      }),
    );
    await groups.CreateReplicationGroup?.(
      ctx("CreateReplicationGroup", {
        ReplicationGroupId: "old",
        ReplicationGroupDescription: "d",
        CacheNodeType: "cache.t3.micro",
        NumCacheClusters: 2,
      }),
    );
    await cloud.settle();
    const keepPort = cloud.state.clusters.keep?.nodes[0]?.port;
    assert.equal(cloud.state.clusters.keep?.status, "available");
    assert.ok(engines.calls.includes("replicate rg-002-0001->rg-001-0001"));

    // Simulate a stop in the middle of deletions and a snapshot.
    (cloud.state.clusters.gone as { status: string }).status = "deleting";
    (cloud.state.replicationGroups.old as { status: string }).status = "deleting";
    (cloud.state.clusters.keep as { status: string }).status = "modifying";
    engines.calls.length = 0;

    await recover(cloud);
    assert.ok(engines.calls.includes(`start keep-0001:${keepPort}`), engines.calls.join("\n"));
    assert.ok(engines.calls.includes("stop gone-0001 remove"));
    assert.ok(
      engines.calls.includes("stop old-001-0001 remove") &&
        engines.calls.includes("stop old-002-0001 remove"),
    );
    assert.ok(engines.calls.includes("replicate rg-002-0001->rg-001-0001"));
    assert.equal(cloud.state.clusters.keep?.status, "available");
    assert.equal(cloud.state.clusters.gone, undefined);
    assert.equal(cloud.state.replicationGroups.old, undefined);
    assert.equal(cloud.state.clusters["old-001"], undefined);
    assert.equal(cloud.state.replicationGroups.rg?.status, "available");
    assert.deepEqual(
      Object.keys(new StateFile(dir).load().scopes["000000000000/us-east-1"]?.clusters ?? {}).sort(),
      ["keep", "rg-001", "rg-002"],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
