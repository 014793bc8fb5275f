// Integration: cache parameter groups on the real local cloud with real engines — create, modify,
// reset, delete and describe (AWS's catalog per family), a change to a group in use reaching the
// nodes (CONFIG GET on Redis; memcached pending-reboot until RebootCacheCluster), and cluster-enabled
// deciding cluster mode.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import {
  AddTagsToResourceCommand,
  type CacheCluster,
  CreateCacheClusterCommand,
  CreateCacheParameterGroupCommand,
  CreateReplicationGroupCommand,
  DeleteCacheClusterCommand,
  DeleteCacheParameterGroupCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeCacheParameterGroupsCommand,
  DescribeCacheParametersCommand,
  DescribeEngineDefaultParametersCommand,
  type ElastiCacheClient,
  ListTagsForResourceCommand,
  ModifyCacheClusterCommand,
  ModifyCacheParameterGroupCommand,
  RebootCacheClusterCommand,
  ResetCacheParameterGroupCommand,
} from "@aws-sdk/client-elasticache";
import {
  errorOf,
  redisCli,
  startTestCloud,
  type TestCloud,
  waitFor,
  waitGroupAvailable,
} from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud();
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

async function clusterWhen(id: string, ok: (c: CacheCluster) => boolean): Promise<CacheCluster> {
  return waitFor(`${id} as expected`, async () => {
    const r = await ec.send(
      new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }),
    );
    const c = r.CacheClusters?.[0];
    if (c?.CacheClusterStatus === "create-failed") throw new Error(`${id} failed to create`);
    return c && ok(c) ? c : undefined;
  });
}
const available = (c: CacheCluster) => c.CacheClusterStatus === "available";

async function parameter(group: string, name: string) {
  const r = await ec.send(new DescribeCacheParametersCommand({ CacheParameterGroupName: group }));
  return r.Parameters?.find((p) => p.ParameterName === name);
}

function memcachedSetting(port: number, name: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.on("data", (d) => {
      data += d.toString();
      if (data.endsWith("END\r\n")) {
        socket.end();
        resolve(new RegExp(`STAT ${name} (\\S+)`).exec(data)?.[1]);
      }
    });
    socket.on("error", reject);
    socket.write("stats settings\r\n");
  });
}

test("custom parameter groups: create, describe, modify with AWS's checks, reset and delete", async () => {
  const created = await ec.send(
    new CreateCacheParameterGroupCommand({
      CacheParameterGroupName: "App-Params",
      CacheParameterGroupFamily: "redis7",
      Description: "app tuning",
    }),
  );
  assert.deepEqual(created.CacheParameterGroup, {
    CacheParameterGroupName: "app-params",
    CacheParameterGroupFamily: "redis7",
    Description: "app tuning",
    IsGlobal: false,
    ARN: "arn:aws:elasticache:us-east-1:000000000000:parametergroup:app-params",
  });
  const dup = await errorOf(
    ec.send(
      new CreateCacheParameterGroupCommand({
        CacheParameterGroupName: "app-params",
        CacheParameterGroupFamily: "redis7",
        Description: "again",
      }),
    ),
  );
  assert.equal(dup.code, "CacheParameterGroupAlreadyExists");
  const badFamily = await errorOf(
    ec.send(
      new CreateCacheParameterGroupCommand({
        CacheParameterGroupName: "x",
        CacheParameterGroupFamily: "redis9.9",
        Description: "x",
      }),
    ),
  );
  assert.equal(badFamily.code, "InvalidParameterValue");

  const listed = await ec.send(new DescribeCacheParameterGroupsCommand({}));
  const names = listed.CacheParameterGroups?.map((g) => g.CacheParameterGroupName) ?? [];
  for (const n of ["default.redis7", "default.valkey8.cluster.on", "default.memcached1.6", "app-params"])
    assert.ok(names.includes(n), n);

  const before = await parameter("app-params", "maxmemory-policy");
  assert.equal(before?.ParameterValue, "volatile-lru");
  assert.equal(before?.Source, "system");
  assert.equal(before?.ChangeType, "immediate");
  assert.equal(before?.IsModifiable, true);
  await ec.send(
    new ModifyCacheParameterGroupCommand({
      CacheParameterGroupName: "app-params",
      ParameterNameValues: [
        { ParameterName: "maxmemory-policy", ParameterValue: "allkeys-lru" },
        { ParameterName: "timeout", ParameterValue: "300" },
      ],
    }),
  );
  assert.deepEqual(
    [
      (await parameter("app-params", "maxmemory-policy"))?.ParameterValue,
      (await parameter("app-params", "maxmemory-policy"))?.Source,
    ],
    ["allkeys-lru", "user"],
  );
  const userOnly = await ec.send(
    new DescribeCacheParametersCommand({ CacheParameterGroupName: "app-params", Source: "user" }),
  );
  assert.deepEqual(userOnly.Parameters?.map((p) => p.ParameterName).sort(), ["maxmemory-policy", "timeout"]);

  for (const [name, value, why] of [
    ["maxmemory-policy", "evict-everything", "not an allowed value"],
    ["timeout", "5", "outside 0,20-"],
    ["activerehashing", "no", "not modifiable in redis7"],
    ["no-such-parameter", "1", "unknown"],
  ] as const) {
    const e = await errorOf(
      ec.send(
        new ModifyCacheParameterGroupCommand({
          CacheParameterGroupName: "app-params",
          ParameterNameValues: [{ ParameterName: name, ParameterValue: value }],
        }),
      ),
    );
    assert.equal(e.code, "InvalidParameterValue", why);
  }
  const defaultGroup = await errorOf(
    ec.send(
      new ModifyCacheParameterGroupCommand({
        CacheParameterGroupName: "default.redis7",
        ParameterNameValues: [{ ParameterName: "timeout", ParameterValue: "300" }],
      }),
    ),
  );
  assert.equal(defaultGroup.code, "InvalidParameterValue");

  await ec.send(
    new ResetCacheParameterGroupCommand({
      CacheParameterGroupName: "app-params",
      ParameterNameValues: [{ ParameterName: "timeout" }],
    }),
  );
  assert.equal((await parameter("app-params", "timeout"))?.ParameterValue, "0");
  assert.equal((await parameter("app-params", "maxmemory-policy"))?.ParameterValue, "allkeys-lru");
  const neither = await errorOf(
    ec.send(new ResetCacheParameterGroupCommand({ CacheParameterGroupName: "app-params" })),
  );
  assert.equal(neither.code, "InvalidParameterCombination");
  await ec.send(
    new ResetCacheParameterGroupCommand({ CacheParameterGroupName: "app-params", ResetAllParameters: true }),
  );
  assert.equal((await parameter("app-params", "maxmemory-policy"))?.ParameterValue, "volatile-lru");

  const arn = created.CacheParameterGroup?.ARN as string;
  await ec.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: "team", Value: "cache" }] }));
  assert.deepEqual((await ec.send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList, [
    { Key: "team", Value: "cache" },
  ]);

  await ec.send(new DeleteCacheParameterGroupCommand({ CacheParameterGroupName: "app-params" }));
  const gone = await errorOf(
    ec.send(new DescribeCacheParametersCommand({ CacheParameterGroupName: "app-params" })),
  );
  assert.deepEqual([gone.code, gone.status], ["CacheParameterGroupNotFound", 404]);
  const deleteDefault = await errorOf(
    ec.send(new DeleteCacheParameterGroupCommand({ CacheParameterGroupName: "default.redis7" })),
  );
  assert.equal(deleteDefault.code, "InvalidParameterValue");
});

test("DescribeEngineDefaultParameters answers AWS's catalog for every family, paginated", async () => {
  for (const [family, name, value] of [
    ["redis6.x", "hash-max-ziplist-entries", "512"],
    ["redis7", "hash-max-listpack-entries", "512"],
    ["valkey7", "cluster-allow-pubsubshard-when-down", "yes"],
    ["valkey8", "extended-redis-compatibility", "yes"],
    ["memcached1.6", "max_item_size", "1048576"],
  ] as const) {
    const all = [];
    let marker: string | undefined;
    do {
      const page = await ec.send(
        new DescribeEngineDefaultParametersCommand({
          CacheParameterGroupFamily: family,
          MaxRecords: 20,
          ...(marker ? { Marker: marker } : {}),
        }),
      );
      assert.equal(page.EngineDefaults?.CacheParameterGroupFamily, family);
      all.push(...(page.EngineDefaults?.Parameters ?? []));
      marker = page.EngineDefaults?.Marker;
    } while (marker);
    assert.ok(all.length > 20, `${family} has more than one page`);
    const p = all.find((x) => x.ParameterName === name);
    assert.equal(p?.ParameterValue, value, `${family} ${name}`);
    assert.ok(p?.DataType && p.ChangeType && p.MinimumEngineVersion && p.IsModifiable !== undefined);
  }
  const memcachedReboot = await ec.send(
    new DescribeEngineDefaultParametersCommand({ CacheParameterGroupFamily: "memcached1.6" }),
  );
  assert.equal(
    memcachedReboot.EngineDefaults?.Parameters?.find((p) => p.ParameterName === "max_item_size")?.ChangeType,
    "requires-reboot",
  );
  const nodeTypeValue = (r: typeof memcachedReboot, name: string, type: string) =>
    r.EngineDefaults?.CacheNodeTypeSpecificParameters?.find(
      (p) => p.ParameterName === name,
    )?.CacheNodeTypeSpecificValues?.find((v) => v.CacheNodeType === type)?.Value;
  assert.equal(nodeTypeValue(memcachedReboot, "max_cache_memory", "cache.t3.micro"), "512");
  const redisDefaults = await ec.send(
    new DescribeEngineDefaultParametersCommand({ CacheParameterGroupFamily: "redis7" }),
  );
  assert.equal(nodeTypeValue(redisDefaults, "maxmemory", "cache.r6g.large"), "14037181030");
  const unknown = await errorOf(
    ec.send(new DescribeEngineDefaultParametersCommand({ CacheParameterGroupFamily: "redis2.6" })),
  );
  assert.equal(unknown.code, "InvalidParameterValue");
});

test("a change to a group in use reaches its Redis nodes at once (CONFIG GET)", async () => {
  await ec.send(
    new CreateCacheParameterGroupCommand({
      CacheParameterGroupName: "live-params",
      CacheParameterGroupFamily: "redis7",
      Description: "live",
    }),
  );
  await ec.send(
    new ModifyCacheParameterGroupCommand({
      CacheParameterGroupName: "live-params",
      ParameterNameValues: [{ ParameterName: "maxmemory-policy", ParameterValue: "allkeys-lru" }],
    }),
  );
  const mismatch = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "wrong-family",
        Engine: "redis",
        EngineVersion: "6.2",
        CacheNodeType: "cache.t3.micro",
        CacheParameterGroupName: "live-params",
      }),
    ),
  );
  assert.equal(mismatch.code, "InvalidParameterCombination");
  const missing = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "no-group",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
        CacheParameterGroupName: "nope",
      }),
    ),
  );
  assert.equal(missing.code, "CacheParameterGroupNotFound");

  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "tuned",
      Engine: "redis",
      EngineVersion: "7.0",
      CacheNodeType: "cache.t3.micro",
      CacheParameterGroupName: "live-params",
    }),
  );
  const c = await clusterWhen("tuned", available);
  assert.equal(c.CacheParameterGroup?.CacheParameterGroupName, "live-params");
  const port = String(c.CacheNodes?.[0]?.Endpoint?.Port);
  const configGet = (name: string) => redisCli(["-p", port, "CONFIG", "GET", name]).split("\n")[1];
  assert.equal(configGet("maxmemory-policy"), "allkeys-lru", "the group's value at start");

  await ec.send(
    new ModifyCacheParameterGroupCommand({
      CacheParameterGroupName: "live-params",
      ParameterNameValues: [
        { ParameterName: "maxmemory-policy", ParameterValue: "allkeys-lfu" },
        { ParameterName: "client-output-buffer-limit-pubsub-hard-limit", ParameterValue: "67108864" },
      ],
    }),
  );
  await waitFor("CONFIG GET maxmemory-policy allkeys-lfu", async () =>
    configGet("maxmemory-policy") === "allkeys-lfu" ? true : undefined,
  );
  assert.match(
    redisCli(["-p", port, "CONFIG", "GET", "client-output-buffer-limit"]),
    /pubsub 67108864 8388608 60/,
  );
  const inSync = await clusterWhen("tuned", available);
  assert.equal(inSync.CacheParameterGroup?.ParameterApplyStatus, "in-sync");

  const inUse = await errorOf(
    ec.send(new DeleteCacheParameterGroupCommand({ CacheParameterGroupName: "live-params" })),
  );
  assert.equal(inUse.code, "InvalidCacheParameterGroupState");
  const clusterEnabled = await errorOf(
    ec.send(
      new ModifyCacheParameterGroupCommand({
        CacheParameterGroupName: "live-params",
        ParameterNameValues: [{ ParameterName: "cluster-enabled", ParameterValue: "yes" }],
      }),
    ),
  );
  assert.equal(clusterEnabled.code, "InvalidParameterValue", "cluster-enabled only while unused");

  // A restarted local cloud starts the node with its group's values again.
  await t.restart();
  ec = t.elasticache();
  const restarted = await clusterWhen("tuned", available);
  assert.equal(String(restarted.CacheNodes?.[0]?.Endpoint?.Port), port);
  assert.equal(configGet("maxmemory-policy"), "allkeys-lfu", "after a local cloud restart");

  // Back to the default group: the default value applies live again.
  await ec.send(
    new ModifyCacheClusterCommand({
      CacheClusterId: "tuned",
      CacheParameterGroupName: "default.redis7",
      ApplyImmediately: true,
    }),
  );
  await waitFor("CONFIG GET maxmemory-policy volatile-lru", async () =>
    configGet("maxmemory-policy") === "volatile-lru" ? true : undefined,
  );
  await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "tuned" }));
});

test("memcached parameters wait for a reboot: pending-reboot until RebootCacheCluster", async () => {
  await ec.send(
    new CreateCacheParameterGroupCommand({
      CacheParameterGroupName: "mc-params",
      CacheParameterGroupFamily: "memcached1.6",
      Description: "bigger items",
    }),
  );
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "mc-tuned",
      Engine: "memcached",
      CacheNodeType: "cache.t3.micro",
      NumCacheNodes: 2,
      CacheParameterGroupName: "mc-params",
    }),
  );
  const c = await clusterWhen("mc-tuned", available);
  const ports = (c.CacheNodes ?? []).map((n) => Number(n.Endpoint?.Port));
  assert.equal(await memcachedSetting(ports[0] as number, "item_size_max"), "1048576");

  await ec.send(
    new ModifyCacheParameterGroupCommand({
      CacheParameterGroupName: "mc-params",
      ParameterNameValues: [{ ParameterName: "max_item_size", ParameterValue: "2097152" }],
    }),
  );
  const pending = await clusterWhen("mc-tuned", available);
  assert.equal(pending.CacheParameterGroup?.ParameterApplyStatus, "pending-reboot");
  assert.deepEqual(pending.CacheParameterGroup?.CacheNodeIdsToReboot, ["0001", "0002"]);
  assert.equal(pending.CacheNodes?.[0]?.ParameterGroupStatus, "pending-reboot");
  assert.equal(await memcachedSetting(ports[0] as number, "item_size_max"), "1048576", "not before a reboot");

  await ec.send(
    new RebootCacheClusterCommand({ CacheClusterId: "mc-tuned", CacheNodeIdsToReboot: ["0001"] }),
  );
  const half = await clusterWhen("mc-tuned", available);
  assert.deepEqual(half.CacheParameterGroup?.CacheNodeIdsToReboot, ["0002"]);
  assert.equal(await memcachedSetting(ports[0] as number, "item_size_max"), "2097152", "rebooted node");
  assert.equal(
    await memcachedSetting(ports[1] as number, "item_size_max"),
    "1048576",
    "node not rebooted yet",
  );
  await ec.send(
    new RebootCacheClusterCommand({ CacheClusterId: "mc-tuned", CacheNodeIdsToReboot: ["0002"] }),
  );
  const synced = await clusterWhen("mc-tuned", available);
  assert.equal(synced.CacheParameterGroup?.ParameterApplyStatus, "in-sync");
  assert.equal(await memcachedSetting(ports[1] as number, "item_size_max"), "2097152");
  await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "mc-tuned" }));
});

test("cluster-enabled in the parameter group decides cluster mode, as on AWS", async () => {
  await ec.send(
    new CreateCacheParameterGroupCommand({
      CacheParameterGroupName: "sharded",
      CacheParameterGroupFamily: "redis7",
      Description: "cluster mode",
    }),
  );
  await ec.send(
    new ModifyCacheParameterGroupCommand({
      CacheParameterGroupName: "sharded",
      ParameterNameValues: [{ ParameterName: "cluster-enabled", ParameterValue: "yes" }],
    }),
  );
  const standalone = await errorOf(
    ec.send(
      new CreateCacheClusterCommand({
        CacheClusterId: "not-sharded",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
        CacheParameterGroupName: "sharded",
      }),
    ),
  );
  assert.equal(standalone.code, "InvalidParameterCombination");
  const noCluster = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "two-shards",
        ReplicationGroupDescription: "needs cluster-enabled",
        CacheNodeType: "cache.t3.micro",
        NumNodeGroups: 2,
        CacheParameterGroupName: "default.redis7",
      }),
    ),
  );
  assert.equal(noCluster.code, "InvalidParameterCombination");

  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "by-group",
      ReplicationGroupDescription: "cluster mode from the parameter group",
      CacheNodeType: "cache.t3.micro",
      CacheParameterGroupName: "sharded",
    }),
  );
  const rg = await waitGroupAvailable(ec, "by-group");
  assert.equal(rg.ClusterEnabled, true);
  assert.equal(rg.ClusterMode, "enabled");
  const port = String(rg.ConfigurationEndpoint?.Port);
  assert.match(redisCli(["-p", port, "INFO", "cluster"]), /cluster_enabled:1/);
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "by-group" }));
});
