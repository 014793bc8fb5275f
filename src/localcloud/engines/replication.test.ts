// Non-cluster replication with real processes: a replica receives writes, follows across
// token rotation and TLS, and promotion turns it into a writable primary.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ensureLocalCa } from "./host.ts";
import { tokenDigest } from "./redis-config.ts";
import { nodeOptions, redisCli, startTestHost } from "./testing.ts";

/** Polls a replica with GET until it returns the value (replication is asynchronous). */
async function eventuallyGet(cli: string[], key: string, expected: string): Promise<void> {
  let last = "";
  for (let i = 0; i < 100; i++) {
    last = await redisCli([...cli, "GET", key]);
    if (last === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(last, expected, `replica never returned ${key}`);
}

test("a replica receives writes; promote makes it a writable primary", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const token = "repl-token-0123456789abc";
  const primary = await host.startNode(
    nodeOptions(dataDir, "rg-001", { authTokenDigests: [tokenDigest(token)] }),
  );
  const replica = await host.startNode(
    nodeOptions(dataDir, "rg-002", { authTokenDigests: [tokenDigest(token)] }),
  );
  const onPrimary = ["-p", String(primary.endpoint.port), "-a", token];
  const onReplica = ["-p", String(replica.endpoint.port), "-a", token];
  assert.equal(await redisCli([...onPrimary, "SET", "before", "1"]), "OK");
  await host.replicate("rg-002", "rg-001");
  assert.equal(await host.role("rg-002"), "replica");
  assert.equal(await host.role("rg-001"), "primary");
  assert.equal(await redisCli([...onReplica, "GET", "before"]), "1");
  assert.equal(await redisCli([...onPrimary, "SET", "after", "2"]), "OK");
  await eventuallyGet(onReplica, "after", "2");
  assert.match(await redisCli([...onReplica, "SET", "x", "y"]), /READONLY/);

  // Rotating the customers' tokens does not disturb replication (the host's own user syncs).
  await host.setAuthTokens("rg-001", [tokenDigest("other-token-0123456789ab")]);
  await host.setAuthTokens("rg-002", [tokenDigest("other-token-0123456789ab")]);
  const onPrimary2 = ["-p", String(primary.endpoint.port), "-a", "other-token-0123456789ab"];
  const onReplica2 = ["-p", String(replica.endpoint.port), "-a", "other-token-0123456789ab"];
  assert.equal(await redisCli([...onPrimary2, "SET", "rotated", "3"]), "OK");
  await eventuallyGet(onReplica2, "rotated", "3");

  await host.promote("rg-002");
  assert.equal(await host.role("rg-002"), "primary");
  assert.equal(await redisCli([...onReplica2, "SET", "promoted", "4"]), "OK");
  // The old primary follows the new one (what TestFailover ends with).
  await host.replicate("rg-001", "rg-002");
  assert.equal(await host.role("rg-001"), "replica");
  await eventuallyGet(onPrimary2, "promoted", "4");
});

test("a replica keeps following its primary after a restart, over TLS", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const tls = await ensureLocalCa(dataDir, () => {});
  const primary = await host.startNode(nodeOptions(dataDir, "tls-rg-001", { tls }));
  const replicaOptions = nodeOptions(dataDir, "tls-rg-002", { tls });
  await host.startNode(replicaOptions);
  await host.replicate("tls-rg-002", "tls-rg-001");
  await host.stopNode("tls-rg-002");
  const replica = await host.startNode(replicaOptions);
  assert.equal(await host.role("tls-rg-002"), "replica");
  const tlsCli = ["--tls", "--cacert", tls.caFile];
  assert.equal(
    await redisCli([...tlsCli, "-p", String(primary.endpoint.port), "SET", "k", "over-tls"]),
    "OK",
  );
  await eventuallyGet([...tlsCli, "-p", String(replica.endpoint.port)], "k", "over-tls");
});
