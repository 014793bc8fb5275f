// The engine host with real redis-server processes: single nodes, auth, TLS, restart,
// missing programs, and no stray processes.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

import { ensureLocalCa } from "./host.ts";
import { tokenDigest } from "./redis-config.ts";
import { nodeOptions, pgrep, redisCli, startTestHost } from "./testing.ts";

test("a single node answers PING, SET and GET on its endpoint", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const node = await host.startNode(nodeOptions(dataDir, "single-001"));
  assert.equal(node.endpoint.address, "127.0.0.1");
  const cli = ["-h", node.endpoint.address, "-p", String(node.endpoint.port)];
  assert.equal(await redisCli([...cli, "PING"]), "PONG");
  assert.equal(await redisCli([...cli, "SET", "greeting", "hello"]), "OK");
  assert.equal(await redisCli([...cli, "GET", "greeting"]), "hello");
  assert.equal(await host.role("single-001"), "primary");
  // Its own folder holds the generated config and the engine's log.
  const config = await readFile(`${dataDir}/nodes/single-001/redis.conf`, "utf8");
  assert.match(config, new RegExp(`^port ${node.endpoint.port}$`, "m"));
  assert.match(
    await readFile(`${dataDir}/nodes/single-001/engine.log`, "utf8"),
    /Ready to accept connections/,
  );
});

test("auth tokens are enforced; ROTATE keeps both, SET keeps only the new one, DELETE opens", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const oldToken = "old-token-0123456789abcdef";
  const newToken = "new-token-0123456789abcdef";
  const node = await host.startNode(
    nodeOptions(dataDir, "auth-001", { authTokenDigests: [tokenDigest(oldToken)] }),
  );
  const cli = ["-p", String(node.endpoint.port)];
  assert.match(await redisCli([...cli, "PING"]), /NOAUTH/);
  assert.match(await redisCli([...cli, "AUTH", "wrong-token-0123456789"]), /^WRONGPASS/);
  assert.equal(await redisCli([...cli, "-a", oldToken, "PING"]), "PONG");

  await host.setAuthTokens("auth-001", [tokenDigest(oldToken), tokenDigest(newToken)]); // ROTATE
  assert.equal(await redisCli([...cli, "-a", oldToken, "PING"]), "PONG");
  assert.equal(await redisCli([...cli, "-a", newToken, "PING"]), "PONG");

  await host.setAuthTokens("auth-001", [tokenDigest(newToken)]); // SET
  assert.match(await redisCli([...cli, "AUTH", oldToken]), /^WRONGPASS/);
  assert.equal(await redisCli([...cli, "-a", newToken, "PING"]), "PONG");
  // The tokens themselves are never written to the node's files.
  for (const file of ["redis.conf", "node.json", "engine.log"]) {
    const text = await readFile(`${dataDir}/nodes/auth-001/${file}`, "utf8");
    assert.ok(!text.includes(newToken) && !text.includes(oldToken), `${file} holds a token`);
  }

  await host.setAuthTokens("auth-001", []); // DELETE
  assert.equal(await redisCli([...cli, "PING"]), "PONG");
});

test("a restart keeps data, port and the rotated tokens", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const token = "restart-token-0123456789";
  const options = nodeOptions(dataDir, "restart-001", {
    authTokenDigests: [tokenDigest("first-token-0123456789")],
  });
  const first = await host.startNode(options);
  await host.setAuthTokens("restart-001", [tokenDigest(token)]);
  const cli = ["-p", String(first.endpoint.port), "-a", token];
  assert.equal(await redisCli([...cli, "SET", "survivor", "yes"]), "OK");
  await host.stopNode("restart-001");
  assert.deepEqual(await pgrep(`${dataDir}/nodes/restart-001/`), []);

  // As after a local-cloud restart: same folder, no port given, tokens not given.
  const { authTokenDigests: _ignored, ...withoutTokens } = options;
  const second = await host.startNode(withoutTokens);
  assert.equal(second.endpoint.port, first.endpoint.port);
  assert.notEqual(second.pid, first.pid);
  assert.equal(await redisCli([...cli, "GET", "survivor"]), "yes");
});

test("TLS nodes serve only TLS, and redis-cli --tls --cacert works with the local CA", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const printed: string[] = [];
  const tls = await ensureLocalCa(dataDir, (line) => printed.push(line));
  assert.ok(
    printed.some((line) => line.includes(tls.caFile)),
    "the CA path is printed",
  );
  const node = await host.startNode(
    nodeOptions(dataDir, "tls-001", { tls, authTokenDigests: [tokenDigest("tls-token-0123456789ab")] }),
  );
  const port = String(node.endpoint.port);
  assert.equal(
    await redisCli([
      "--tls",
      "--cacert",
      tls.caFile,
      "-p",
      port,
      "-a",
      "tls-token-0123456789ab",
      "SET",
      "k",
      "v",
    ]),
    "OK",
  );
  assert.equal(
    await redisCli([
      "--tls",
      "--cacert",
      tls.caFile,
      "-h",
      "localhost",
      "-p",
      port,
      "-a",
      "tls-token-0123456789ab",
      "GET",
      "k",
    ]),
    "v",
  );
  // A rediss:// URL works too (redis-cli 7.0 needs the user name in it).
  assert.equal(
    await redisCli([
      "-u",
      `rediss://default:tls-token-0123456789ab@127.0.0.1:${port}`,
      "--cacert",
      tls.caFile,
      "GET",
      "k",
    ]),
    "v",
  );
  // Plain text on the TLS port is refused.
  await assert.rejects(redisCli(["-p", port, "-a", "tls-token-0123456789ab", "PING"]));
});

test("a missing redis-server or memcached is named with the command that installs it", async (t) => {
  const { host, dataDir } = await startTestHost(t, { searchPath: "/nonexistent" });
  await assert.rejects(host.startNode(nodeOptions(dataDir, "missing-001")), {
    message: "redis-server not found: install it with 'apt-get install redis-server'",
  });
  await assert.rejects(host.startNode(nodeOptions(dataDir, "missing-002", { engine: "memcached" })), {
    message: "memcached not found: install it with 'apt-get install memcached'",
  });
});

test("an engine that cannot start fails with its own log tail quoted", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const first = await host.startNode(nodeOptions(dataDir, "busy-001"));
  await assert.rejects(
    host.startNode(nodeOptions(dataDir, "busy-002", { port: first.endpoint.port })),
    /already in use/,
  );
  await assert.rejects(
    host.startNode(
      nodeOptions(dataDir, "bad-rdb-001", { restoreRdbFile: `${dataDir}/nodes/busy-001/redis.conf` }),
    ),
    (error: Error) =>
      /exited during startup/.test(error.message) && /engine\.log ends with/.test(error.message),
  );
});

test("stopAll leaves no engine process behind", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const started = await Promise.all(
    ["a", "b", "c"].map((id) => host.startNode(nodeOptions(dataDir, `stop-${id}`))),
  );
  const memcached = await host.startNode(nodeOptions(dataDir, "stop-m", { engine: "memcached" }));
  assert.equal((await pgrep(`${dataDir}/nodes/stop-`)).length, 3);
  assert.deepEqual(await pgrep(`memcached -l 127.0.0.1 -p ${memcached.endpoint.port} `), [memcached.pid]);
  await host.stopAll();
  assert.deepEqual(await pgrep(`${dataDir}/nodes/stop-`), []);
  assert.deepEqual(await pgrep(`memcached -l 127.0.0.1 -p ${memcached.endpoint.port} `), []);
  for (const node of started) assert.throws(() => process.kill(node.pid, 0));
});

test("a new host takes over a node folder whose engine is still running from an earlier host", async (t) => {
  const { host, dataDir } = await startTestHost(t);
  const options = nodeOptions(dataDir, "leftover-001");
  const old = await host.startNode(options);
  await redisCli(["-p", String(old.endpoint.port), "SET", "kept", "1"]);
  // A second host on the same data dir, as after a crash of the first one.
  const { host: successor } = await startTestHost(t, { dataDir });
  const now = await successor.startNode(options);
  assert.equal(now.endpoint.port, old.endpoint.port);
  assert.notEqual(now.pid, old.pid);
  assert.throws(() => process.kill(old.pid, 0), "the earlier engine was stopped");
  assert.equal(await redisCli(["-p", String(now.endpoint.port), "GET", "kept"]), "1");
});

test("a crashed engine is reported in the log and startNode brings it back", async (t) => {
  const { host, dataDir, logs } = await startTestHost(t);
  const options = nodeOptions(dataDir, "crash-001");
  const first = await host.startNode(options);
  process.kill(first.pid, "SIGKILL");
  for (let i = 0; i < 50 && !logs.some((line) => line.includes("crash-001: exited unexpectedly")); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(logs.some((line) => /crash-001: exited unexpectedly \(SIGKILL\); see .*engine\.log/.test(line)));
  const again = await host.startNode(options);
  assert.equal(again.endpoint.port, first.endpoint.port);
  assert.equal(await redisCli(["-p", String(again.endpoint.port), "PING"]), "PONG");
  await host.stopNode("crash-001");
  await new Promise((resolve) => setTimeout(resolve, 100));
  // Only the crash is reported, not the requested stop.
  assert.equal(logs.filter((line) => line.includes("exited unexpectedly")).length, 1);
});
