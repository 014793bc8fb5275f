// Cluster mode with real processes: 3 shards x 2 replicas, redis-cli -c across slots,
// resharding 3 -> 4 -> 2 with the keys, replicas, failover, forgetting nodes, restart.
import assert from "node:assert/strict";
import { test } from "node:test";

import type { EngineHost, ShardLayout } from "./contract.ts";
import { ensureLocalCa } from "./host.ts";
import { tokenDigest } from "./redis-config.ts";
import { parseInfo } from "./resp.ts";
import { nodeOptions, redisCli, startTestHost } from "./testing.ts";

const keyCount = 300;

async function startClusterNodes(host: EngineHost, dataDir: string, ids: string[], extra = {}) {
  const ports = new Map<string, number>();
  for (const id of ids) {
    const node = await host.startNode(nodeOptions(dataDir, id, { clusterEnabled: true, ...extra }));
    ports.set(id, node.endpoint.port);
  }
  return ports;
}

function layout(shards: number, replicas: number, prefix = "cc"): ShardLayout[] {
  return Array.from({ length: shards }, (_, s) => ({
    primary: `${prefix}-000${s + 1}-001`,
    replicas: Array.from({ length: replicas }, (_, r) => `${prefix}-000${s + 1}-00${r + 2}`),
  }));
}

/** Writes `keyCount` keys through redis-cli -c (it follows MOVED redirects across shards). */
async function writeKeys(cli: string[]): Promise<void> {
  const commands = Array.from({ length: keyCount }, (_, i) => `SET key:${i} value-${i}`).join("\n");
  const out = await redisCli(["-c", ...cli], `${commands}\n`);
  assert.equal(out.split("\n").filter((line) => line === "OK").length, keyCount);
}

/** What redis-cli -c reads back for every key, and how many keys the primaries hold together. */
async function readBack(cli: string[], primaryPorts: number[]) {
  const commands = Array.from({ length: keyCount }, (_, i) => `GET key:${i}`).join("\n");
  const lines = (await redisCli(["-c", ...cli], `${commands}\n`)).split("\n");
  // redis-cli -c reports each MOVED redirect it followed: the keys live on several shards.
  const values = lines.filter((line) => !line.startsWith("-> Redirected"));
  let total = 0;
  for (const port of primaryPorts) total += Number(await redisCli(["-p", String(port), "DBSIZE"]));
  return { redirects: lines.length - values.length, values, total };
}

/** Each primary's CLUSTER NODES, to show why a read went astray. */
async function clusterViews(ports: number[]): Promise<string> {
  const views = await Promise.all(ports.map((p) => redisCli(["-p", String(p), "CLUSTER", "NODES"])));
  return views.join("\n");
}

/**
 * Every key readable through redis-cli -c, and the primaries hold exactly keyCount keys together.
 * Right after a failover or a restart, a node may route by a slot map that gossip has not updated
 * yet, as it would for any client, which retries: so the reads are retried for a while (lost keys
 * never come back, so a loss still fails), and a failure shows each node's view of the cluster.
 */
async function assertAllKeys(cli: string[], primaryPorts: number[]): Promise<void> {
  const expected = Array.from({ length: keyCount }, (_, i) => `value-${i}`);
  let last = await readBack(cli, primaryPorts);
  for (let i = 0; i < 40; i++) {
    if (last.total === keyCount && last.values.every((v, k) => v === expected[k])) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await readBack(cli, primaryPorts);
  }
  assert.ok(last.redirects > 0, "redis-cli -c followed redirects to other shards");
  const missing = expected.flatMap((v, k) => (last.values[k] === v ? [] : [`key:${k}`]));
  const ok = missing.length === 0 && last.total === keyCount;
  const views = ok ? "" : await clusterViews(primaryPorts);
  assert.deepEqual(missing, [], `keys not read back: ${missing.join(" ")}\n${views}`);
  assert.equal(last.total, keyCount, `primaries hold ${last.total} keys, not ${keyCount}\n${views}`);
}

/** The node's role once it is `wanted`, or its last role after ~10 s. */
async function eventualRole(host: EngineHost, nodeId: string, wanted: string): Promise<string> {
  let role = "";
  for (let i = 0; i < 100 && role !== wanted; i++) {
    role = await host.role(nodeId);
    if (role !== wanted) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return role;
}

async function clusterInfo(port: number): Promise<Map<string, string>> {
  return parseInfo(
    (await redisCli(["-p", String(port), "CLUSTER", "INFO"])).replaceAll("\r", "").replaceAll("\n", "\r\n"),
  );
}

test("3 shards x 2 replicas: slots spread, redis-cli -c works across slots, CLUSTER INFO ok", {
  timeout: 120_000,
}, async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const shards = layout(3, 2);
  const ports = await startClusterNodes(
    host,
    dataDir,
    shards.flatMap((s) => [s.primary, ...s.replicas]),
  );
  await host.createCluster(shards);
  const first = ports.get("cc-0001-001") ?? 0;
  const info = await clusterInfo(first);
  assert.equal(info.get("cluster_state"), "ok");
  assert.equal(info.get("cluster_slots_assigned"), "16384");
  assert.equal(info.get("cluster_known_nodes"), "9");
  assert.equal(info.get("cluster_size"), "3");
  const slots = await redisCli(["-p", String(first), "CLUSTER", "SHARDS"]);
  assert.ok(slots.length > 0);
  for (const shard of shards) {
    assert.equal(await host.role(shard.primary), "primary");
    for (const replica of shard.replicas) assert.equal(await host.role(replica), "replica");
  }
  await writeKeys(["-p", String(first)]);
  await assertAllKeys(
    ["-p", String(ports.get("cc-0003-002"))],
    shards.map((s) => ports.get(s.primary) ?? 0),
  );
  // A replica holds its shard's keys too.
  const primaryKeys = Number(await redisCli(["-p", String(ports.get("cc-0002-001")), "DBSIZE"]));
  let replicaKeys = 0;
  for (let i = 0; i < 50 && replicaKeys !== primaryKeys; i++) {
    replicaKeys = Number(await redisCli(["-p", String(ports.get("cc-0002-003")), "DBSIZE"]));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(replicaKeys, primaryKeys);

  // Failover: a replica takes over its shard; the cluster stays ok and keys stay readable.
  await host.promote("cc-0001-002");
  assert.equal(await host.role("cc-0001-002"), "primary");
  // The old primary learns it was replaced through the cluster bus, a moment after the new one.
  assert.equal(await eventualRole(host, "cc-0001-001", "replica"), "replica");
  await assertAllKeys(
    ["-p", String(first)],
    [2, 3].map((n) => ports.get(`cc-000${n}-001`) ?? 0).concat(ports.get("cc-0001-002") ?? 0),
  );

  // With its primary's process gone, a replica still takes over (CLUSTER FAILOVER FORCE),
  // and the old primary comes back as a replica.
  await host.stopNode("cc-0002-001");
  await host.promote("cc-0002-002");
  assert.equal(await host.role("cc-0002-002"), "primary");
  await host.startNode(nodeOptions(dataDir, "cc-0002-001", { clusterEnabled: true }));
  assert.equal(await eventualRole(host, "cc-0002-001", "replica"), "replica");
  await assertAllKeys(
    ["-p", String(first)],
    ["cc-0001-002", "cc-0002-002", "cc-0003-001"].map((id) => ports.get(id) ?? 0),
  );
});

test("reshard 3 -> 4 -> 2 shards keeps every key; drained nodes are forgotten", {
  timeout: 120_000,
}, async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const three = layout(3, 1, "rs");
  const ports = await startClusterNodes(
    host,
    dataDir,
    three.flatMap((s) => [s.primary, ...s.replicas]),
  );
  await host.createCluster(three);
  const first = ports.get("rs-0001-001") ?? 0;
  await writeKeys(["-p", String(first)]);

  const four = layout(4, 1, "rs");
  const added = await startClusterNodes(host, dataDir, ["rs-0004-001", "rs-0004-002"]);
  for (const [id, port] of added) ports.set(id, port);
  await host.reshard(four);
  const info = await clusterInfo(first);
  assert.equal(info.get("cluster_state"), "ok");
  assert.equal(info.get("cluster_size"), "4");
  assert.equal(await host.role("rs-0004-002"), "replica");
  const primaryPorts = (shards: ShardLayout[]) => shards.map((s) => ports.get(s.primary) ?? 0);
  await assertAllKeys(["-p", String(first)], primaryPorts(four));
  const newShardKeys = Number(await redisCli(["-p", String(ports.get("rs-0004-001")), "DBSIZE"]));
  assert.ok(newShardKeys > 0, "the new shard received keys");

  const two = [four[0], four[2]].filter((s): s is ShardLayout => s !== undefined);
  await host.reshard(two);
  assert.equal((await clusterInfo(first)).get("cluster_size"), "2");
  await assertAllKeys(["-p", String(first)], primaryPorts(two));
  // In the API side's order: each removed shard's primary first, then its replica.
  for (const id of ["rs-0002-001", "rs-0002-002", "rs-0004-001", "rs-0004-002"]) {
    await host.forgetClusterNode(id);
    await host.stopNode(id, true);
  }
  const nodesText = await redisCli(["-p", String(first), "CLUSTER", "NODES"]);
  assert.equal(nodesText.split("\n").length, 4);
  assert.equal((await clusterInfo(first)).get("cluster_state"), "ok");
  await assertAllKeys(["-p", String(ports.get("rs-0003-001"))], primaryPorts(two));
});

test("a cluster comes back with its data and ports after every node restarts", {
  timeout: 120_000,
}, async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const shards = layout(2, 1, "cr");
  const ids = shards.flatMap((s) => [s.primary, ...s.replicas]);
  const ports = await startClusterNodes(host, dataDir, ids);
  await host.createCluster(shards);
  const first = ports.get("cr-0001-001") ?? 0;
  await writeKeys(["-p", String(first)]);
  await host.stopAll();
  const again = await startClusterNodes(host, dataDir, ids);
  assert.deepEqual(again, ports);
  // Every node finds its peers again from nodes.conf (same ports) and reports ok.
  for (const port of again.values()) {
    let state = "";
    for (let i = 0; i < 150 && state !== "ok"; i++) {
      state = (await clusterInfo(port)).get("cluster_state") ?? "";
      if (state !== "ok") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(state, "ok", `node on port ${port} reports cluster_state ${state}`);
  }
  for (const shard of shards) assert.equal(await host.role(shard.primary), "primary");
  await assertAllKeys(
    ["-p", String(first)],
    shards.map((s) => ports.get(s.primary) ?? 0),
  );
});

test("a cluster restored from per-shard snapshots has every key, also with more shards", {
  timeout: 120_000,
}, async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const source = layout(2, 0, "src");
  const sourcePorts = await startClusterNodes(
    host,
    dataDir,
    source.map((s) => s.primary),
  );
  await host.createCluster(source);
  await writeKeys(["-p", String(sourcePorts.get("src-0001-001"))]);
  const files = source.map((_shard, i) => `${dataDir}/snapshots/000${i + 1}.rdb`);
  for (const [i, shard] of source.entries()) await host.snapshot(shard.primary, files[i] ?? "");

  for (const shardCount of [2, 3]) {
    const prefix = `re${shardCount}`;
    const target = layout(shardCount, 1, prefix);
    const ports = new Map<string, number>();
    for (const [i, shard] of target.entries()) {
      const restore = files[i];
      const primary = await host.startNode(
        nodeOptions(dataDir, shard.primary, {
          clusterEnabled: true,
          ...(restore ? { restoreRdbFile: restore } : {}),
        }),
      );
      ports.set(shard.primary, primary.endpoint.port);
      for (const [id, port] of await startClusterNodes(host, dataDir, shard.replicas)) ports.set(id, port);
    }
    await host.createCluster(target);
    const info = await clusterInfo(ports.get(`${prefix}-0001-001`) ?? 0);
    assert.equal(info.get("cluster_state"), "ok");
    assert.equal(info.get("cluster_size"), String(shardCount));
    await assertAllKeys(
      ["-p", String(ports.get(`${prefix}-0001-002`))],
      target.map((s) => ports.get(s.primary) ?? 0),
    );
  }
});

test("cluster mode with TLS and an auth token: redis-cli -c --tls works, resharding moves keys over TLS", {
  timeout: 120_000,
}, async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const tls = await ensureLocalCa(dataDir, () => {});
  const token = "cluster-token-0123456789";
  const shards = layout(2, 1, "ct");
  const ports = await startClusterNodes(
    host,
    dataDir,
    shards.flatMap((s) => [s.primary, ...s.replicas]),
    { tls, authTokenDigests: [tokenDigest(token)] },
  );
  await host.createCluster(shards);
  const cli = (id: string) => ["--tls", "--cacert", tls.caFile, "-a", token, "-p", String(ports.get(id))];
  await writeKeys(cli("ct-0001-001"));
  assert.match(
    await redisCli(["--tls", "--cacert", tls.caFile, "-p", String(ports.get("ct-0001-001")), "GET", "x"]),
    /NOAUTH/,
  );

  const three = layout(3, 1, "ct");
  for (const [id, port] of await startClusterNodes(host, dataDir, ["ct-0003-001", "ct-0003-002"], {
    tls,
    authTokenDigests: [tokenDigest(token)],
  })) {
    ports.set(id, port);
  }
  await host.reshard(three);
  const keysOnNewShard = await redisCli([...cli("ct-0003-001"), "DBSIZE"]);
  assert.ok(Number(keysOnNewShard) > 0);
  const info = await redisCli([...cli("ct-0002-002"), "CLUSTER", "INFO"]);
  assert.match(info, /cluster_state:ok/);
  const values = (
    await redisCli(
      ["-c", ...cli("ct-0002-002")],
      Array.from({ length: keyCount }, (_, i) => `GET key:${i}\n`).join(""),
    )
  )
    .split("\n")
    .filter((line) => !line.startsWith("-> Redirected"));
  assert.deepEqual(
    values,
    Array.from({ length: keyCount }, (_, i) => `value-${i}`),
  );
});
