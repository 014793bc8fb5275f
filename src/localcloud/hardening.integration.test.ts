// Integration: the local cloud refuses what a hostile page or a tampering client could send — a Host
// that is not its own (DNS rebinding), admin calls without the token or without a JSON type, a body
// swapped under an UNSIGNED-PAYLOAD signature — and enforces AWS's tag limits.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import {
  AddTagsToResourceCommand,
  CreateCacheClusterCommand,
  DescribeCacheClustersCommand,
  type ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { SignatureV4 } from "@smithy/signature-v4";
import { errorOf, startTestCloud, type TestCloud, testCredentials } from "./testing/harness.ts";
import { NodeSha256 } from "./testing/node-sha256.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud();
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

/** A raw HTTP request (fetch would not let us set Host). */
function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const url = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: options.method ?? "GET", headers: options.headers },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const bearer = () => ({ authorization: `Bearer ${t.cloud.adminToken}` });

test("a Host that is not a loopback name or the configured host is refused, on the API and the admin routes", async () => {
  const api = await send("/", {
    method: "POST",
    headers: { host: "rebind.attacker.example:4566", "content-type": "application/x-www-form-urlencoded" },
    body: "Action=DescribeCacheClusters&Version=2015-02-02",
  });
  assert.equal(api.status, 403);
  assert.match(api.body, /<Code>AccessDenied<\/Code>/);
  assert.match(api.body, /does not name this local cloud/);
  const admin = await send("/_localcloud/health", {
    headers: { host: "rebind.attacker.example", ...bearer() },
  });
  assert.equal(admin.status, 403);
  const ok = await send("/_localcloud/health", { headers: { host: "localhost:1", ...bearer() } });
  assert.equal(ok.status, 200);
});

test("admin routes need the token, and changes need a JSON content type", async () => {
  const anonymous = await send("/_localcloud/health", {});
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.body, /admin-token/);
  assert.doesNotMatch(anonymous.body, new RegExp(t.cloud.adminToken));
  const wrong = await send("/_localcloud/faults", { headers: { authorization: "Bearer nope" } });
  assert.equal(wrong.status, 401);
  // The form a page of another site can post without asking first.
  const plain = await send("/_localcloud/faults", {
    method: "POST",
    headers: { ...bearer(), "content-type": "text/plain" },
    body: JSON.stringify({ unavailableRate: 1 }),
  });
  assert.equal(plain.status, 415);
  const faults = await send("/_localcloud/faults", { headers: bearer() });
  assert.equal((JSON.parse(faults.body) as { unavailableRate: number }).unavailableRate, 0);
  await ec.send(new DescribeCacheClustersCommand({}));
});

test("a body swapped under an UNSIGNED-PAYLOAD signature does not run", async () => {
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "keep-me",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
    }),
  );
  const url = new URL(t.url);
  const signer = new SignatureV4({
    credentials: testCredentials,
    region: "us-east-1",
    service: "elasticache",
    sha256: NodeSha256 as never,
  });
  const signed = (await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    query: {},
    headers: {
      host: url.host,
      "content-type": "application/x-www-form-urlencoded",
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
    },
    body: "Action=DescribeCacheClusters&Version=2015-02-02",
  } as never)) as unknown as { headers: Record<string, string> };
  const swapped = await send("/", {
    method: "POST",
    headers: signed.headers,
    body: "Action=DeleteCacheCluster&CacheClusterId=keep-me&Version=2015-02-02",
  });
  assert.equal(swapped.status, 403);
  assert.match(swapped.body, /UNSIGNED-PAYLOAD/);
  const still = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: "keep-me" }));
  assert.notEqual(still.CacheClusters?.[0]?.CacheClusterStatus, "deleting");
});

test("tags follow AWS's limits: keys up to 128 characters, values up to 256, 50 per resource", async () => {
  const arn = (await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: "keep-me" })))
    .CacheClusters?.[0]?.ARN;
  const tag = (Key: string, Value = "v") =>
    ec.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key, Value }] }));
  await tag("k".repeat(128), "v".repeat(256));
  const longKey = await errorOf(tag("k".repeat(100_000)));
  assert.equal(longKey.code, "InvalidParameterValue");
  assert.match(longKey.message, /100000 characters long; AWS allows at most 128/);
  const longValue = await errorOf(tag("key", "v".repeat(257)));
  assert.equal(longValue.code, "InvalidParameterValue");
  const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
  const tooMany = await errorOf(ec.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: many })));
  assert.equal(tooMany.code, "TagQuotaPerResourceExceeded");
});
