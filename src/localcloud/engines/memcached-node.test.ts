// Memcached nodes are real memcached processes: version, stats, set/get, restart on the same port.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

import { ensureLocalCa } from "./host.ts";
import { memcachedArgs, memcachedRequest } from "./memcached-node.ts";
import { nodeOptions, startTestHost } from "./testing.ts";

test("memcached arguments bind loopback, set memory, and name a user only as root", () => {
  assert.deepEqual(memcachedArgs("127.0.0.1", 21000, 32, false).slice(0, 4), [
    "-l",
    "127.0.0.1",
    "-p",
    "21000",
  ]);
  assert.ok(memcachedArgs("127.0.0.1", 21000, 32, false).join(" ").includes("-m 32"));
  assert.ok(!memcachedArgs("127.0.0.1", 21000, 32, false).includes("-u"));
  assert.ok(memcachedArgs("127.0.0.1", 21000, 32, true).join(" ").endsWith("-u root"));
});

test("memcached nodes answer version and stats, store and return values, restart on their port", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const options = nodeOptions(dataDir, "mc-0001", { engine: "memcached", maxMemoryMb: 32 });
  const nodes = await Promise.all([
    host.startNode(options),
    host.startNode(nodeOptions(dataDir, "mc-0002", { engine: "memcached" })),
  ]);
  const [first, second] = nodes.map((n) => n.endpoint);
  assert.ok(first && second && first.port !== second.port);
  assert.match(await memcachedRequest(first.address, first.port, "version\r\n"), /^VERSION 1\.6/);
  const stats = await memcachedRequest(first.address, first.port, "stats\r\n");
  assert.match(stats, /^STAT pid \d+\r\n/);
  assert.match(stats, /STAT limit_maxbytes 33554432\r\n/);
  assert.equal(
    await memcachedRequest(first.address, first.port, "set greeting 0 0 5\r\nhello\r\n"),
    "STORED\r\n",
  );
  assert.equal(
    await memcachedRequest(first.address, first.port, "get greeting\r\n"),
    "VALUE greeting 0 5\r\nhello\r\nEND\r\n",
  );
  assert.equal(await memcachedRequest(second.address, second.port, "get greeting\r\n"), "END\r\n");
  assert.equal(await host.role("mc-0001"), "primary");

  await host.stopNode("mc-0001");
  const again = await host.startNode(options);
  assert.equal(again.endpoint.port, first.port);
  assert.match(await memcachedRequest(first.address, first.port, "version\r\n"), /^VERSION/);
});

test("memcached with in-transit encryption serves TLS with the local CA", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const tls = await ensureLocalCa(dataDir, () => {});
  const node = await host.startNode(nodeOptions(dataDir, "mc-tls-0001", { engine: "memcached", tls }));
  const ca = await readFile(tls.caFile, "utf8");
  const { address, port } = node.endpoint;
  assert.equal(await memcachedRequest(address, port, "set k 0 0 2\r\nhi\r\n", 2000, ca), "STORED\r\n");
  assert.equal(await memcachedRequest(address, port, "get k\r\n", 2000, ca), "VALUE k 0 2\r\nhi\r\nEND\r\n");
  // Plain text is not answered on the TLS port.
  await assert.rejects(memcachedRequest(address, port, "version\r\n", 500));
});
