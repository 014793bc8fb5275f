// Integration: a memcached cluster's configuration endpoint speaks AWS's auto-discovery protocol
// over a raw socket — `config get cluster` lists the real nodes (version line, then host|ip|port),
// the version goes up when nodes are added, and other commands reach memcached itself.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, test } from "node:test";
import {
  type CacheCluster,
  CreateCacheClusterCommand,
  DescribeCacheClustersCommand,
  type ElastiCacheClient,
  ModifyCacheClusterCommand,
} from "@aws-sdk/client-elasticache";
import { startTestCloud, type TestCloud, waitFor } from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud();
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

/** A line-oriented text-protocol client: send a request, read until `end` matches. */
function client(port: number): { ask(request: string, end: RegExp): Promise<string>; close(): void } {
  const socket: Socket = connect(port, "127.0.0.1");
  let buffer = "";
  socket.on("data", (d) => {
    buffer += d.toString("utf8");
  });
  return {
    async ask(request, end) {
      buffer = "";
      socket.write(request);
      return waitFor(
        `reply to ${JSON.stringify(request)}`,
        async () => (end.test(buffer) ? buffer : undefined),
        5000,
      );
    },
    close: () => socket.destroy(),
  };
}

function parseConfig(reply: string): { version: number; nodes: string[] } {
  const m = /^CONFIG cluster 0 (\d+)\r\n([\s\S]*)\r\nEND\r\n$/.exec(reply);
  assert.ok(m, `not a config reply: ${JSON.stringify(reply)}`);
  const payload = m[2] as string;
  assert.equal(Buffer.byteLength(payload), Number(m[1]), "the announced length is the payload's");
  const [version = "", list = ""] = payload.split("\n");
  return { version: Number(version), nodes: list.split(" ").sort() };
}

async function available(id: string): Promise<CacheCluster> {
  return waitFor(`${id} available`, async () => {
    const r = await ec.send(
      new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }),
    );
    const c = r.CacheClusters?.[0];
    return c?.CacheClusterStatus === "available" ? c : undefined;
  });
}

const nodeList = (c: CacheCluster) =>
  (c.CacheNodes ?? []).map((n) => `${n.Endpoint?.Address}|${n.Endpoint?.Address}|${n.Endpoint?.Port}`).sort();

test("config get cluster on the configuration endpoint lists the nodes; other commands reach memcached", async () => {
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "discover",
      Engine: "memcached",
      CacheNodeType: "cache.t3.micro",
      NumCacheNodes: 2,
    }),
  );
  const c = await available("discover");
  const port = c.ConfigurationEndpoint?.Port;
  assert.ok(port);
  const conn = client(port);
  try {
    const first = parseConfig(await conn.ask("config get cluster\r\n", /END\r\n$/));
    assert.deepEqual(first.nodes, nodeList(c));
    assert.ok(first.version >= 1);
    const again = parseConfig(await conn.ask("config get cluster\r\n", /END\r\n$/));
    assert.equal(again.version, first.version, "no change, same version");
    // Anything else goes to the first node, a real memcached.
    assert.match(await conn.ask("version\r\n", /\r\n$/), /^VERSION \d+\.\d+/);
    assert.equal(await conn.ask("set k 0 0 2\r\nhi\r\n", /\r\n$/), "STORED\r\n");
    assert.equal(await conn.ask("get k\r\n", /END\r\n$/), "VALUE k 0 2\r\nhi\r\nEND\r\n");
    conn.close();

    await ec.send(
      new ModifyCacheClusterCommand({ CacheClusterId: "discover", NumCacheNodes: 3, ApplyImmediately: true }),
    );
    const grown = await waitFor("3 nodes", async () => {
      const x = await available("discover");
      return x.CacheNodes?.length === 3 ? x : undefined;
    });
    assert.equal(grown.ConfigurationEndpoint?.Port, port, "the configuration endpoint stays");
    const later = client(port);
    try {
      const next = parseConfig(await later.ask("config get cluster\r\n", /END\r\n$/));
      assert.deepEqual(next.nodes, nodeList(grown));
      assert.ok(next.version > first.version, "the version goes up when nodes change");
    } finally {
      later.close();
    }
  } finally {
    conn.close();
  }
});
