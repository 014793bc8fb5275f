// DescribeEvents as AWS answers it (simulated engines: only the API matters here): every state
// change the local cloud makes is an event (cache clusters, parameter changes, users and user
// groups), newest first; StartTime is inclusive, Duration reaches back from EndTime (the last hour
// by default), MaxRecords (20..100) and Marker page through them; SourceType and SourceIdentifier
// filter; events older than 14 days are dropped.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateCacheClusterCommand,
  CreateCacheParameterGroupCommand,
  CreateUserCommand,
  CreateUserGroupCommand,
  DescribeCacheClustersCommand,
  DescribeEventsCommand,
  type ElastiCacheClient,
  type Event,
  ModifyCacheClusterCommand,
  ModifyCacheParameterGroupCommand,
  ModifyUserGroupCommand,
} from "@aws-sdk/client-elasticache";
import { dropExpiredEvents, EVENT_RETENTION_MS } from "./elasticache/cloud.ts";
import { errorOf, startTestCloud, type TestCloud, waitFor } from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud({ engines: "simulated" });
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

const available = (id: string) =>
  waitFor(`${id} available`, async () => {
    const r = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: id }));
    return r.CacheClusters?.[0]?.CacheClusterStatus === "available" ? r.CacheClusters[0] : undefined;
  });

const messages = (events: Event[] | undefined, id: string) =>
  (events ?? []).filter((e) => e.SourceIdentifier === id).map((e) => e.Message);

test("creating, modifying and re-parameterising a cluster, users and user groups are events", async () => {
  await ec.send(
    new CreateCacheParameterGroupCommand({
      CacheParameterGroupName: "ev-params",
      CacheParameterGroupFamily: "memcached1.6",
      Description: "events",
    }),
  );
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "ev-mc",
      Engine: "memcached",
      CacheNodeType: "cache.t3.micro",
      NumCacheNodes: 1,
      CacheParameterGroupName: "ev-params",
    }),
  );
  await available("ev-mc");
  await ec.send(
    new ModifyCacheClusterCommand({
      CacheClusterId: "ev-mc",
      CacheNodeType: "cache.t3.small",
      ApplyImmediately: true,
    }),
  );
  await waitFor("the modification", async () => {
    const c = await available("ev-mc");
    return c.CacheNodeType === "cache.t3.small" ? c : undefined;
  });
  await ec.send(
    new ModifyCacheParameterGroupCommand({
      CacheParameterGroupName: "ev-params",
      ParameterNameValues: [{ ParameterName: "max_item_size", ParameterValue: "2097152" }],
    }),
  );
  await ec.send(
    new CreateUserCommand({
      UserId: "ev-user",
      UserName: "ev-user",
      Engine: "redis",
      AccessString: "on ~* +@all",
      NoPasswordRequired: true,
    }),
  );
  await ec.send(
    new CreateUserGroupCommand({ UserGroupId: "ev-group", Engine: "redis", UserIds: ["default"] }),
  );
  await waitFor("the user group created", async () => {
    const r = await ec.send(new DescribeEventsCommand({ SourceType: "user-group" }));
    return messages(r.Events, "ev-group").length > 0 ? r : undefined;
  });
  await ec.send(new ModifyUserGroupCommand({ UserGroupId: "ev-group", UserIdsToAdd: ["ev-user"] }));
  const groupEvents = await waitFor("the user group modified", async () => {
    const r = await ec.send(
      new DescribeEventsCommand({ SourceType: "user-group", SourceIdentifier: "ev-group" }),
    );
    return messages(r.Events, "ev-group").length === 2 ? r : undefined;
  });
  assert.deepEqual(messages(groupEvents.Events, "ev-group"), ["User group modified", "User group created"]);

  const cluster = await ec.send(
    new DescribeEventsCommand({ SourceType: "cache-cluster", SourceIdentifier: "ev-mc" }),
  );
  const said = messages(cluster.Events, "ev-mc");
  assert.equal(said.length, 3, JSON.stringify(said));
  assert.match(String(said[0]), /parameter group ev-params/);
  assert.equal(said[1], "Cache cluster modified");
  const users = await ec.send(new DescribeEventsCommand({ SourceType: "user" }));
  assert.deepEqual(messages(users.Events, "ev-user"), ["User created"]);
  const dates = (cluster.Events ?? []).map((e) => (e.Date as Date).getTime());
  assert.deepEqual(
    dates,
    [...dates].sort((a, b) => b - a),
    "newest first",
  );
});

test("StartTime is inclusive, Duration reaches back from EndTime, MaxRecords and Marker page", async () => {
  for (let i = 0; i < 25; i++)
    await ec.send(
      new CreateUserCommand({
        UserId: `page-${i}`,
        UserName: `page-${i}`,
        Engine: "redis",
        AccessString: "on ~* +@all",
        NoPasswordRequired: true,
      }),
    );
  const all = (await ec.send(new DescribeEventsCommand({ SourceType: "user" }))).Events ?? [];
  assert.equal(all.length, 26);
  const pivot = all[5]?.Date as Date;
  const since =
    (await ec.send(new DescribeEventsCommand({ SourceType: "user", StartTime: pivot }))).Events ?? [];
  assert.ok(since.length >= 6, "the event at StartTime itself is included");
  assert.ok(since.every((e) => (e.Date as Date).getTime() >= pivot.getTime()));
  const none = await ec.send(
    new DescribeEventsCommand({ SourceType: "user", EndTime: new Date(Date.now() - 3600_000), Duration: 30 }),
  );
  assert.deepEqual(none.Events ?? [], []);

  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await ec.send(
      new DescribeEventsCommand({ SourceType: "user", MaxRecords: 20, Marker: marker }),
    );
    pages++;
    for (const e of page.Events ?? []) seen.push(`${e.SourceIdentifier}`);
    marker = page.Marker;
  } while (marker);
  assert.equal(pages, 2);
  assert.equal(new Set(seen).size, 26, "every event once");
  assert.match(
    (await errorOf(ec.send(new DescribeEventsCommand({ MaxRecords: 10 })))).name ?? "",
    /InvalidParameterValue/,
  );
  assert.match(
    (await errorOf(ec.send(new DescribeEventsCommand({ Duration: 20161 })))).name ?? "",
    /InvalidParameterValue/,
  );
});

test("events older than 14 days are dropped", () => {
  const now = Date.parse("2026-12-03T00:00:00Z");
  const at = (ms: number) => ({ date: new Date(now - ms).toISOString() });
  const events = [
    at(EVENT_RETENTION_MS + 2000),
    at(EVENT_RETENTION_MS + 1000),
    at(EVENT_RETENTION_MS - 1000),
    at(0),
  ];
  dropExpiredEvents(events, now);
  assert.deepEqual(events, [at(EVENT_RETENTION_MS - 1000), at(0)]);
});
