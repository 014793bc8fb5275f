// Integration: the real local cloud driven by the AWS SDK for JavaScript v3, with real engines —
// single-node Redis, memcached, state rules, pace, errors, tags, events and pagination.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import {
  AddTagsToResourceCommand,
  CreateCacheClusterCommand,
  CreateCacheSubnetGroupCommand,
  DeleteCacheClusterCommand,
  DeleteCacheSubnetGroupCommand,
  DescribeCacheClustersCommand,
  DescribeCacheEngineVersionsCommand,
  DescribeCacheParameterGroupsCommand,
  DescribeCacheSubnetGroupsCommand,
  DescribeEventsCommand,
  type ElastiCacheClient,
  ListTagsForResourceCommand,
  ModifyCacheClusterCommand,
  ModifyCacheSubnetGroupCommand,
  RebootCacheClusterCommand,
  RemoveTagsFromResourceCommand,
} from "@aws-sdk/client-elasticache";
import { errorOf, redisCli, startTestCloud, type TestCloud, waitFor } from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud();
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

async function waitStatus(id: string, status: string) {
  return waitFor(`${id} ${status}`, async () => {
    const r = await ec.send(
      new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }),
    );
    const c = r.CacheClusters?.[0];
    return c?.CacheClusterStatus === status ? c : undefined;
  });
}

function memcachedStats(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("memcached stats timed out"));
    }, 5000);
    socket.on("data", (d) => {
      data += d.toString();
      if (data.includes("END\r\n")) {
        clearTimeout(timer);
        socket.end();
        resolve(data);
      }
    });
    socket.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.write("stats\r\n");
  });
}

test("a Redis cache cluster goes creating -> available and its endpoint is a real redis-server", async () => {
  const created = await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "App-Redis",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      NumCacheNodes: 1,
    }),
  );
  assert.equal(created.CacheCluster?.CacheClusterId, "app-redis");
  assert.equal(created.CacheCluster?.CacheClusterStatus, "creating");
  assert.equal(created.CacheCluster?.ARN, "arn:aws:elasticache:us-east-1:000000000000:cluster:app-redis");
  const c = await waitStatus("app-redis", "available");
  const endpoint = c.CacheNodes?.[0]?.Endpoint;
  assert.equal(endpoint?.Address, "127.0.0.1");
  assert.ok(endpoint?.Port);
  assert.equal(redisCli(["-p", String(endpoint.Port), "PING"]), "PONG");
  assert.equal(redisCli(["-p", String(endpoint.Port), "SET", "k", "v"]), "OK");
  assert.equal(redisCli(["-p", String(endpoint.Port), "GET", "k"]), "v");
  // As on AWS, node details only come with ShowCacheNodeInfo.
  const plain = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: "app-redis" }));
  assert.equal(plain.CacheClusters?.[0]?.CacheNodes, undefined);
  assert.equal(plain.CacheClusters?.[0]?.EngineVersion, "7.1.0");

  const dup = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "app-redis",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
      }),
    ),
  );
  assert.equal(dup.code, "CacheClusterAlreadyExists");
  assert.equal(dup.name, "CacheClusterAlreadyExistsFault");

  await ec.send(
    new RebootCacheClusterCommand({ CacheClusterId: "app-redis", CacheNodeIdsToReboot: ["0001"] }),
  );
  const rebooted = await waitStatus("app-redis", "available");
  assert.equal(rebooted.CacheNodes?.[0]?.Endpoint?.Port, endpoint.Port, "a reboot keeps the port");
  assert.equal(redisCli(["-p", String(endpoint.Port), "PING"]), "PONG");

  await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "app-redis" }));
  await waitFor("app-redis deleted", async () => {
    const e = await errorOf(ec.send(new DescribeCacheClustersCommand({ CacheClusterId: "app-redis" })));
    return e.code === "CacheClusterNotFound" ? e : undefined;
  });
  assert.notEqual(redisCli(["-p", String(endpoint.Port), "PING"]), "PONG", "the engine process is gone");
});

test("validation errors carry AWS's codes and HTTP statuses", async () => {
  const missing = await errorOf(ec.send(new DescribeCacheClustersCommand({ CacheClusterId: "nope" })));
  assert.deepEqual([missing.code, missing.status], ["CacheClusterNotFound", 404]);
  const twoNodes = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "x1",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
        NumCacheNodes: 2,
      }),
    ),
  );
  assert.equal(twoNodes.code, "InvalidParameterValue");
  const authNoTls = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "x2",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
        AuthToken: "a-long-enough-token-1",
      }),
    ),
  );
  assert.equal(authNoTls.code, "InvalidParameterValue");
  assert.match(authNoTls.message, /encryption-in-transit/);
  const badId = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "1bad--id",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
      }),
    ),
  );
  assert.equal(badId.code, "InvalidParameterValue");
  const noSubnet = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "x3",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
        CacheSubnetGroupName: "ghost",
      }),
    ),
  );
  assert.equal(noSubnet.code, "CacheSubnetGroupNotFoundFault");
  const memcachedTls = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "x4",
        Engine: "memcached",
        CacheNodeType: "cache.t3.micro",
        TransitEncryptionEnabled: true,
      }),
    ),
  );
  assert.equal(memcachedTls.code, "InvalidParameterCombination");
});

test("with a slower pace the in-between states are visible and enforced", async () => {
  await t.admin("/_localcloud/pace", { method: "POST", body: JSON.stringify({ transitionDelayMs: 1500 }) });
  try {
    await ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "slow",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
      }),
    );
    const during = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: "slow" }));
    assert.equal(during.CacheClusters?.[0]?.CacheClusterStatus, "creating");
    const refused = await errorOf(
      ec.send(new ModifyCacheClusterCommand({ CacheClusterId: "slow", SnapshotRetentionLimit: 1 })),
    );
    assert.equal(refused.code, "InvalidCacheClusterState");
    await waitStatus("slow", "available");
    await ec.send(
      new ModifyCacheClusterCommand({
        CacheClusterId: "slow",
        SnapshotRetentionLimit: 3,
        ApplyImmediately: true,
      }),
    );
    const modifying = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: "slow" }));
    assert.equal(modifying.CacheClusters?.[0]?.CacheClusterStatus, "modifying");
    const done = await waitStatus("slow", "available");
    assert.equal(done.SnapshotRetentionLimit, 3);
  } finally {
    await t.admin("/_localcloud/pace", { method: "POST", body: JSON.stringify({ transitionDelayMs: 0 }) });
  }
  await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "slow" }));
});

test("memcached clusters run one process per node, answer stats, and scale with ModifyCacheCluster", async () => {
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "sessions",
      Engine: "memcached",
      CacheNodeType: "cache.t3.micro",
      NumCacheNodes: 2,
    }),
  );
  const c = await waitStatus("sessions", "available");
  assert.equal(c.CacheNodes?.length, 2);
  assert.ok(c.ConfigurationEndpoint?.Port);
  for (const n of c.CacheNodes ?? [])
    assert.match(await memcachedStats(n.Endpoint?.Port as number), /STAT pid/);
  await ec.send(
    new ModifyCacheClusterCommand({ CacheClusterId: "sessions", NumCacheNodes: 3, ApplyImmediately: true }),
  );
  const grown = await waitStatus("sessions", "available");
  assert.deepEqual(
    grown.CacheNodes?.map((n) => n.CacheNodeId),
    ["0001", "0002", "0003"],
  );
  assert.match(await memcachedStats(grown.CacheNodes?.[2]?.Endpoint?.Port as number), /STAT pid/);
  await ec.send(
    new ModifyCacheClusterCommand({
      CacheClusterId: "sessions",
      NumCacheNodes: 1,
      CacheNodeIdsToRemove: ["0002", "0003"],
      ApplyImmediately: true,
    }),
  );
  const shrunk = await waitStatus("sessions", "available");
  assert.deepEqual(
    shrunk.CacheNodes?.map((n) => n.CacheNodeId),
    ["0001"],
  );
  await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "sessions" }));
});

test("subnet groups: CRUD, in-use protection, and MaxRecords/Marker pagination", async () => {
  for (let i = 0; i < 23; i++) {
    await ec.send(
      new CreateCacheSubnetGroupCommand({
        CacheSubnetGroupName: `sg-${String(i).padStart(2, "0")}`,
        CacheSubnetGroupDescription: "test",
        SubnetIds: ["subnet-0a1", "subnet-0b2"],
      }),
    );
  }
  const first = await ec.send(new DescribeCacheSubnetGroupsCommand({ MaxRecords: 20 }));
  assert.equal(first.CacheSubnetGroups?.length, 20);
  assert.ok(first.Marker);
  const second = await ec.send(
    new DescribeCacheSubnetGroupsCommand({ MaxRecords: 20, Marker: first.Marker }),
  );
  assert.deepEqual(
    second.CacheSubnetGroups?.map((g) => g.CacheSubnetGroupName),
    ["sg-20", "sg-21", "sg-22"],
  );
  assert.equal(second.Marker, undefined);
  const small = await errorOf(ec.send(new DescribeCacheSubnetGroupsCommand({ MaxRecords: 5 })));
  assert.equal(small.code, "InvalidParameterValue");

  const dup = await errorOf(
    ec.send(
      new CreateCacheSubnetGroupCommand({
        CacheSubnetGroupName: "sg-00",
        CacheSubnetGroupDescription: "x",
        SubnetIds: ["subnet-1"],
      }),
    ),
  );
  assert.equal(dup.code, "CacheSubnetGroupAlreadyExists");
  const badSubnet = await errorOf(
    ec.send(
      new CreateCacheSubnetGroupCommand({
        CacheSubnetGroupName: "sg-x",
        CacheSubnetGroupDescription: "x",
        SubnetIds: ["net-1"],
      }),
    ),
  );
  assert.equal(badSubnet.code, "InvalidSubnet");
  const modified = await ec.send(
    new ModifyCacheSubnetGroupCommand({
      CacheSubnetGroupName: "sg-00",
      CacheSubnetGroupDescription: "changed",
      SubnetIds: ["subnet-0a1"],
    }),
  );
  assert.equal(modified.CacheSubnetGroup?.CacheSubnetGroupDescription, "changed");
  assert.equal(modified.CacheSubnetGroup?.Subnets?.length, 1);

  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "in-subnet",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      CacheSubnetGroupName: "sg-00",
    }),
  );
  const inUse = await errorOf(ec.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: "sg-00" })));
  assert.equal(inUse.code, "CacheSubnetGroupInUse");
  await waitStatus("in-subnet", "available");
  await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "in-subnet" }));
  await ec.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: "sg-01" }));
  const gone = await errorOf(
    ec.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: "sg-01" })),
  );
  assert.equal(gone.code, "CacheSubnetGroupNotFoundFault");
});

test("tags: add, list, remove, and TagNotFound / not-found resources", async () => {
  const created = await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "tagged",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      Tags: [{ Key: "team", Value: "core" }],
    }),
  );
  const arn = created.CacheCluster?.ARN as string;
  await ec.send(
    new AddTagsToResourceCommand({
      ResourceName: arn,
      Tags: [
        { Key: "env", Value: "dev" },
        { Key: "team", Value: "infra" },
      ],
    }),
  );
  const listed = await ec.send(new ListTagsForResourceCommand({ ResourceName: arn }));
  assert.deepEqual(listed.TagList, [
    { Key: "team", Value: "infra" },
    { Key: "env", Value: "dev" },
  ]);
  const removed = await ec.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["team"] }));
  assert.deepEqual(removed.TagList, [{ Key: "env", Value: "dev" }]);
  const notTagged = await errorOf(
    ec.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["team"] })),
  );
  assert.equal(notTagged.code, "TagNotFound");
  const ghost = await errorOf(
    ec.send(new ListTagsForResourceCommand({ ResourceName: arn.replace("tagged", "ghost") })),
  );
  assert.equal(ghost.code, "CacheClusterNotFound");
  const badArn = await errorOf(ec.send(new ListTagsForResourceCommand({ ResourceName: "not-an-arn" })));
  assert.equal(badArn.code, "InvalidARN");
  await waitStatus("tagged", "available");
  await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "tagged" }));
});

test("catalog: engine versions, default parameter groups and events", async () => {
  const versions = await ec.send(
    new DescribeCacheEngineVersionsCommand({ Engine: "redis", DefaultOnly: true }),
  );
  assert.deepEqual(
    versions.CacheEngineVersions?.map((v) => v.EngineVersion),
    ["7.1.0"],
  );
  const groups = await ec.send(new DescribeCacheParameterGroupsCommand({}));
  const names = groups.CacheParameterGroups?.map((g) => g.CacheParameterGroupName) ?? [];
  assert.ok(
    names.includes("default.redis7") &&
      names.includes("default.redis7.cluster.on") &&
      names.includes("default.memcached1.6"),
  );
  const missing = await errorOf(
    ec.send(new DescribeCacheParameterGroupsCommand({ CacheParameterGroupName: "mine" })),
  );
  assert.equal(missing.code, "CacheParameterGroupNotFound");
  const events = await ec.send(new DescribeEventsCommand({ SourceType: "cache-cluster", Duration: 60 }));
  assert.ok(
    events.Events?.some((e) => e.SourceIdentifier === "app-redis" && e.Message === "Cache cluster created"),
  );
});
