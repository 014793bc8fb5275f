// A provider's gateway at the local cloud: settled caches are served from the last answer while
// no event names them (one DescribeEvents per poll, whatever their number), a cache changed
// behind the gateway's back is named by an event and read again, and tags of many caches come
// from one GetResources.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DescribeCacheClustersCommand, ModifyCacheClusterCommand } from "@aws-sdk/client-elasticache";
import { AwsClients } from "../aws/clients.ts";
import { startTestCloud, type TestCloud, waitFor } from "../aws/testing.ts";
import { OWNER_TAG } from "../planner/ownership.ts";
import type { CacheGateway } from "./cache-gateway.ts";
import { makeGateway } from "./make-cache-gateway.ts";

let cloud: TestCloud;
let clients: AwsClients;
let other: AwsClients;
const calls: Record<string, number> = {};
const changed: string[] = [];
let gateway: CacheGateway;
const ids = ["ev-1", "ev-2", "ev-3"];
const POLL_MS = 300;

before(async () => {
  cloud = await startTestCloud();
  clients = new AwsClients(cloud.auth, {
    maxAttempts: 1,
    onCall: (op) => {
      calls[op] = (calls[op] ?? 0) + 1;
    },
  });
  other = new AwsClients(cloud.auth, { maxAttempts: 1 });
  gateway = makeGateway(clients, { eventPollMs: POLL_MS, onChanged: (id) => changed.push(id) });
});
after(async () => {
  clients?.destroy();
  other?.destroy();
  await cloud?.stop();
});

const count = () => {
  const copy = { ...calls };
  for (const k of Object.keys(calls)) delete calls[k];
  return copy;
};
const observeAll = () => Promise.all(ids.map((id) => gateway.observe(id, "CacheCluster")));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("settled caches cost one DescribeEvents per poll; a change made elsewhere is read again", async () => {
  for (const id of ids) {
    await gateway.execute(
      {
        type: "create",
        params: {
          topology: "CacheCluster",
          id,
          engine: "memcached",
          engineVersion: "",
          cacheNodeType: "cache.t3.micro",
          numCacheNodes: 1,
          tags: { [OWNER_TAG]: "ns.name", team: id },
        },
      },
      {},
    );
  }
  await waitFor(
    "all available",
    observeAll,
    (all) => all.every((o) => o?.status === "available"),
    60_000,
    200,
  );
  // The creation events name them once more: after that poll, nothing changes.
  await pause(POLL_MS + 50);
  await observeAll();
  await pause(POLL_MS + 50);
  count();
  const quiet = await observeAll();
  assert.ok(quiet.every((o) => o?.status === "available"));
  assert.deepEqual(count(), { DescribeEvents: 1 }, "served from what is known: one poll, no describe");
  await pause(POLL_MS + 50);
  await observeAll();
  assert.deepEqual(count(), { DescribeEvents: 1 });

  await other.elasticache.send(
    new ModifyCacheClusterCommand({
      CacheClusterId: "ev-2",
      CacheNodeType: "cache.t3.small",
      ApplyImmediately: true,
    }),
  );
  // Watched with another client: the gateway learns of it only through the event.
  await waitFor(
    "the change to complete",
    async () =>
      (await other.elasticache.send(new DescribeCacheClustersCommand({ CacheClusterId: "ev-2" })))
        .CacheClusters?.[0],
    (c) => c?.CacheClusterStatus === "available" && c.CacheNodeType === "cache.t3.small",
    60_000,
    200,
  );
  await pause(POLL_MS + 50);
  count();
  changed.length = 0;
  const seen = await observeAll();
  assert.equal(seen[1]?.nodeType, "cache.t3.small", "the event named ev-2: read again");
  assert.equal(seen[0]?.nodeType, "cache.t3.micro");
  assert.deepEqual(count(), { DescribeEvents: 1, DescribeCacheClusters: 1 });
  assert.deepEqual(changed, ["ev-2"]);
});

test("tags of many caches come from one GetResources; a lone read asks by ARN", async () => {
  const arns = await Promise.all(
    ids.map(async (id) => (await gateway.observe(id, "CacheCluster", { fresh: true }))?.arn ?? ""),
  );
  count();
  const tags = await Promise.all(arns.map((arn) => gateway.listTags(arn)));
  assert.deepEqual(
    tags.map((t) => t.team),
    ids,
  );
  assert.deepEqual(count(), { GetResources: 1 });
  assert.equal((await gateway.listTags(arns[0] ?? "")).team, "ev-1");
  assert.deepEqual(count(), {}, "served by the scan of moments ago");
});
