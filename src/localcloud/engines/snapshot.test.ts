// Snapshots are real RDB files, and a node restored from one has the keys back.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";

import { nodeOptions, redisCli, startTestHost } from "./testing.ts";

test("snapshot then restore into a new node keeps the keys", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const source = await host.startNode(nodeOptions(dataDir, "snap-src"));
  const cli = ["-p", String(source.endpoint.port)];
  const commands = Array.from({ length: 50 }, (_, i) => `SET key:${i} value-${i}`).join("\n");
  await redisCli(cli, `${commands}\nHSET profile name ada\n`);
  assert.equal(await redisCli([...cli, "DBSIZE"]), "51");

  const rdb = path.join(dataDir, "snapshots", "nightly.rdb");
  await host.snapshot("snap-src", rdb);
  assert.equal((await readFile(rdb)).subarray(0, 5).toString(), "REDIS");
  // Writes after the snapshot are not in it.
  await redisCli([...cli, "SET", "late", "1"]);

  const restored = await host.startNode(nodeOptions(dataDir, "snap-restored", { restoreRdbFile: rdb }));
  const onRestored = ["-p", String(restored.endpoint.port)];
  assert.equal(await redisCli([...onRestored, "DBSIZE"]), "51");
  assert.equal(await redisCli([...onRestored, "GET", "key:7"]), "value-7");
  assert.equal(await redisCli([...onRestored, "HGET", "profile", "name"]), "ada");
  assert.equal(await redisCli([...onRestored, "EXISTS", "late"]), "0");
});

test("snapshots are refused for memcached nodes", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  await host.startNode(nodeOptions(dataDir, "mc-snap", { engine: "memcached" }));
  await assert.rejects(host.snapshot("mc-snap", path.join(dataDir, "x.rdb")), /not supported for memcached/);
});
