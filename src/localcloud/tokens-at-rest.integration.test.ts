// Integration: AUTH tokens never reach the disk in clear — not in state.json, nor in any engine
// config, log or node state under the data dir — and still work after a rotation and a restart.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  CreateCacheClusterCommand,
  DescribeCacheClustersCommand,
  type ElastiCacheClient,
  ModifyCacheClusterCommand,
} from "@aws-sdk/client-elasticache";
import { redisCli, startTestCloud, type TestCloud, waitFor } from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud();
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

/** Every file under `dir` that contains `secret` (binary files included). */
function filesContaining(dir: string, secret: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) found.push(...filesContaining(file, secret));
    else if (readFileSync(file).includes(secret)) found.push(file);
  }
  return found;
}

async function available(id: string): Promise<number> {
  return waitFor(`${id} available`, async () => {
    const r = await ec.send(
      new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }),
    );
    const c = r.CacheClusters?.[0];
    return c?.CacheClusterStatus === "available" ? c.CacheNodes?.[0]?.Endpoint?.Port : undefined;
  });
}

const ping = (port: number, token: string) =>
  redisCli(["-p", String(port), "--tls", "--cacert", t.cloud.caFile, "PING"], token);

test("AUTH tokens are kept only as digests, through a ROTATE and a restart", async () => {
  const first = "first-secret-token-0123456789";
  const second = "second-secret-token-0123456789";
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "guarded",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      TransitEncryptionEnabled: true,
      AuthToken: first,
    }),
  );
  const port = await available("guarded");
  assert.equal(ping(port, first), "PONG");
  await ec.send(
    new ModifyCacheClusterCommand({
      CacheClusterId: "guarded",
      AuthToken: second,
      AuthTokenUpdateStrategy: "ROTATE",
      ApplyImmediately: true,
    }),
  );
  await available("guarded");
  assert.equal(ping(port, first), "PONG");
  assert.equal(ping(port, second), "PONG");
  await t.restart();
  ec = t.elasticache();
  assert.equal(await available("guarded"), port);
  assert.equal(ping(port, second), "PONG");
  assert.deepEqual(filesContaining(t.dataDir, first), []);
  assert.deepEqual(filesContaining(t.dataDir, second), []);
});
