// Integration: accounts and regions are isolated as on AWS. A user of one account neither sees nor
// deletes another account's clusters, may reuse their names (separate engines), cannot reach them by
// ARN; a region lists only its own resources; both worlds survive a restart.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  AddTagsToResourceCommand,
  CreateCacheClusterCommand,
  DeleteCacheClusterCommand,
  DescribeCacheClustersCommand,
  DescribeEventsCommand,
  type ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { parseConfig } from "./config.ts";
import {
  type Credentials,
  errorOf,
  redisCli,
  startTestCloud,
  type TestCloud,
  waitFor,
} from "./testing/harness.ts";

const alice: Credentials = { accessKeyId: "AKIAALICE00000000001", secretAccessKey: "alice-secret" };
const bob: Credentials = { accessKeyId: "AKIABOB0000000000001", secretAccessKey: "bob-secret" };

const config = parseConfig(
  {
    accounts: [
      {
        id: "111111111111",
        users: [
          {
            name: "alice",
            accessKeys: [{ id: alice.accessKeyId, secret: alice.secretAccessKey }],
            policies: [{ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }],
          },
        ],
      },
      {
        id: "222222222222",
        users: [
          {
            name: "bob",
            accessKeys: [{ id: bob.accessKeyId, secret: bob.secretAccessKey }],
            policies: [
              {
                Statement: [
                  {
                    Effect: "Allow",
                    Action: "elasticache:*",
                    Resource: "arn:aws:elasticache:*:222222222222:*",
                  },
                  { Effect: "Allow", Action: "elasticache:Describe*", Resource: "*" },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  "isolation test",
);

let t: TestCloud;
let aliceEast: ElastiCacheClient;
let aliceWest: ElastiCacheClient;
let bobEast: ElastiCacheClient;

before(async () => {
  t = await startTestCloud({ config });
  aliceEast = t.elasticache(alice, "us-east-1");
  aliceWest = t.elasticache(alice, "eu-west-1");
  bobEast = t.elasticache(bob, "us-east-1");
});
after(async () => {
  await t?.stop();
});

const ids = async (ec: ElastiCacheClient) =>
  ((await ec.send(new DescribeCacheClustersCommand({}))).CacheClusters ?? []).map((c) => c.CacheClusterId);

async function portOf(ec: ElastiCacheClient, id: string): Promise<number> {
  return waitFor(`${id} available`, async () => {
    const r = await ec.send(
      new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }),
    );
    const c = r.CacheClusters?.[0];
    return c?.CacheClusterStatus === "available" ? c.CacheNodes?.[0]?.Endpoint?.Port : undefined;
  });
}

test("another account neither lists, deletes nor tags a cluster, and may reuse its name", async () => {
  const created = await aliceEast.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "orders",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
    }),
  );
  assert.match(
    created.CacheCluster?.ARN ?? "",
    /^arn:aws:elasticache:us-east-1:111111111111:cluster:orders$/,
  );
  const alicePort = await portOf(aliceEast, "orders");
  assert.equal(redisCli(["-p", String(alicePort), "SET", "owner", "alice"]), "OK");

  assert.deepEqual(await ids(bobEast), []);
  const describe = await errorOf(
    bobEast.send(new DescribeCacheClustersCommand({ CacheClusterId: "orders" })),
  );
  assert.equal(describe.code, "CacheClusterNotFound");
  const remove = await errorOf(bobEast.send(new DeleteCacheClusterCommand({ CacheClusterId: "orders" })));
  assert.equal(remove.code, "CacheClusterNotFound");
  // Addressed by its real ARN, alice's cluster is outside what bob's policy allows.
  const tag = await errorOf(
    bobEast.send(
      new AddTagsToResourceCommand({
        ResourceName: created.CacheCluster?.ARN,
        Tags: [{ Key: "k", Value: "v" }],
      }),
    ),
  );
  assert.equal(tag.code, "AccessDenied");
  assert.match(tag.message, /111111111111:cluster:orders/);

  const bobs = await bobEast.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "orders",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
    }),
  );
  assert.match(bobs.CacheCluster?.ARN ?? "", /:222222222222:cluster:orders$/);
  const bobPort = await portOf(bobEast, "orders");
  assert.notEqual(bobPort, alicePort, "each account's cluster has its own engine");
  assert.equal(redisCli(["-p", String(bobPort), "GET", "owner"]), "");
  assert.equal(redisCli(["-p", String(alicePort), "GET", "owner"]), "alice");
  assert.deepEqual(await ids(aliceEast), ["orders"]);
  const bobEvents = await bobEast.send(new DescribeEventsCommand({}));
  assert.equal(bobEvents.Events?.length, 1, JSON.stringify(bobEvents.Events));
});

test("a region lists only its own clusters", async () => {
  assert.deepEqual(await ids(aliceWest), []);
  await aliceWest.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "eu-cache",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
    }),
  );
  await portOf(aliceWest, "eu-cache");
  assert.deepEqual(await ids(aliceWest), ["eu-cache"]);
  assert.deepEqual(await ids(aliceEast), ["orders"]);
  const cross = await errorOf(
    aliceEast.send(new DescribeCacheClustersCommand({ CacheClusterId: "eu-cache" })),
  );
  assert.equal(cross.code, "CacheClusterNotFound");
});

test("every account's and region's clusters come back after a restart, still apart", async () => {
  const before = await portOf(aliceEast, "orders");
  await t.restart();
  aliceEast = t.elasticache(alice, "us-east-1");
  aliceWest = t.elasticache(alice, "eu-west-1");
  bobEast = t.elasticache(bob, "us-east-1");
  assert.equal(await portOf(aliceEast, "orders"), before);
  assert.equal(redisCli(["-p", String(before), "GET", "owner"]), "alice");
  await portOf(bobEast, "orders");
  await portOf(aliceWest, "eu-cache");
  assert.deepEqual(await ids(aliceEast), ["orders"]);
  assert.deepEqual(await ids(bobEast), ["orders"]);
  assert.deepEqual(await ids(aliceWest), ["eu-cache"]);
});
