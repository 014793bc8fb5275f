// Integration: serverless caches on real engines through the AWS SDK v3 — a TLS endpoint and a
// reader endpoint answering redis-cli --tls, usage limits applied to the engine, snapshots that
// restore into a new cache (and into a replication group) with their data, user groups enforced as ACLs, restarts of the local
// cloud, memcached over TLS, and deletes with a final snapshot.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import tls from "node:tls";
import {
  CopyServerlessCacheSnapshotCommand,
  CreateReplicationGroupCommand,
  CreateServerlessCacheCommand,
  CreateServerlessCacheSnapshotCommand,
  CreateSnapshotCommand,
  CreateUserCommand,
  CreateUserGroupCommand,
  DeleteReplicationGroupCommand,
  DeleteServerlessCacheCommand,
  DeleteServerlessCacheSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  DescribeSnapshotsCommand,
  DescribeUserGroupsCommand,
  type ElastiCacheClient,
  ListTagsForResourceCommand,
  ModifyServerlessCacheCommand,
  type ServerlessCache,
} from "@aws-sdk/client-elasticache";
import {
  errorOf,
  redisCli,
  startTestCloud,
  type TestCloud,
  textUnder,
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

function waitCache(name: string): Promise<ServerlessCache> {
  return waitFor(
    `${name} available`,
    async () => {
      const c = (await ec.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: name })))
        .ServerlessCaches?.[0];
      if (c?.Status === "create-failed") throw new Error(`${name} failed to create`);
      return c?.Status === "available" ? c : undefined;
    },
    120_000,
  );
}

function waitSnapshot(name: string) {
  return waitFor(`${name} available`, async () => {
    const s = (
      await ec.send(new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: name }))
    ).ServerlessCacheSnapshots?.[0];
    if (s?.Status === "failed") throw new Error(`${name} failed`);
    return s?.Status === "available" ? s : undefined;
  });
}

const cli = (port: number | undefined, args: string[], password?: string, user?: string) =>
  redisCli(
    ["-p", String(port), "--tls", "--cacert", t.cloud.caFile, ...(user ? ["--user", user] : []), ...args],
    password,
  );

/** A read from the reader endpoint, as cluster clients do it: READONLY, then GET on one connection. */
function readerGet(port: number | undefined, key: string, password?: string): string {
  const r = spawnSync("redis-cli", ["-p", String(port), "--tls", "--cacert", t.cloud.caFile], {
    input: `READONLY\nGET ${key}\n`,
    encoding: "utf8",
    timeout: 15_000,
    env: { ...process.env, ...(password ? { REDISCLI_AUTH: password } : {}) },
  });
  return `${r.stdout}${r.stderr}`.trim().split("\n").pop() ?? "";
}

test("a serverless cache answers PING over TLS on its endpoint and reader endpoint; a snapshot restores into a new cache", async () => {
  const created = await ec.send(
    new CreateServerlessCacheCommand({
      ServerlessCacheName: "sessions",
      Engine: "redis",
      Description: "session store",
      CacheUsageLimits: { DataStorage: { Maximum: 2, Unit: "GB" }, ECPUPerSecond: { Maximum: 5000 } },
      SnapshotRetentionLimit: 3,
      DailySnapshotTime: "03:00",
      SecurityGroupIds: ["sg-0123456789abcdef0"],
      Tags: [{ Key: "team", Value: "web" }],
    }),
  );
  assert.equal(created.ServerlessCache?.Status, "creating");
  assert.equal(created.ServerlessCache?.MajorEngineVersion, "7");
  const dup = await errorOf(
    ec.send(new CreateServerlessCacheCommand({ ServerlessCacheName: "sessions", Engine: "redis" })),
  );
  assert.equal(dup.code, "ServerlessCacheAlreadyExistsFault");
  const badLimits = await errorOf(
    ec.send(
      new CreateServerlessCacheCommand({
        ServerlessCacheName: "too-big",
        Engine: "redis",
        CacheUsageLimits: { DataStorage: { Maximum: 9000, Unit: "GB" } },
      }),
    ),
  );
  assert.equal(badLimits.code, "InvalidParameterValue");
  assert.match(badLimits.message, /DataStorage\.Maximum/);
  const missing = await errorOf(
    ec.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: "ghost" })),
  );
  assert.equal(missing.code, "ServerlessCacheNotFoundFault");
  assert.equal(missing.status, 404);

  const cache = await waitCache("sessions");
  assert.deepEqual(cache.CacheUsageLimits, {
    DataStorage: { Maximum: 2, Unit: "GB" },
    ECPUPerSecond: { Maximum: 5000 },
  });
  assert.equal(cache.SnapshotRetentionLimit, 3);
  assert.equal(cache.DailySnapshotTime, "03:00");
  assert.deepEqual(cache.SecurityGroupIds, ["sg-0123456789abcdef0"]);
  assert.ok(cache.ARN?.endsWith(":serverlesscache:sessions"));
  const tags = await ec.send(new ListTagsForResourceCommand({ ResourceName: cache.ARN }));
  assert.deepEqual(tags.TagList, [{ Key: "team", Value: "web" }]);
  const endpoint = cache.Endpoint?.Port;
  const reader = cache.ReaderEndpoint?.Port;
  assert.ok(endpoint && reader && endpoint !== reader);
  assert.equal(cli(endpoint, ["PING"]), "PONG");
  assert.equal(cli(reader, ["PING"]), "PONG");
  assert.notEqual(redisCli(["-p", String(endpoint), "PING"]), "PONG", "plain TCP is refused");
  assert.equal(cli(endpoint, ["CONFIG", "GET", "maxmemory"]), `maxmemory\n${2 * 1024 * 1024 * 1024}`);
  assert.equal(cli(endpoint, ["SET", "session:42", "alice"]), "OK");
  await waitFor("the reader has the key", async () =>
    readerGet(reader, "session:42") === "alice" ? true : undefined,
  );
  // Like AWS's serverless endpoints: a single-shard cluster that cluster-mode clients can discover,
  // whose reader redirects writes (and reads without READONLY) to the primary.
  assert.match(cli(endpoint, ["CLUSTER", "INFO"]), /cluster_state:ok/);
  assert.match(cli(endpoint, ["CLUSTER", "SLOTS"]), new RegExp(`^0\n16383\n127.0.0.1\n${endpoint}\n`));
  assert.match(cli(reader, ["SET", "session:43", "bob"]), /MOVED \d+ 127\.0\.0\.1:\d+/);
  assert.equal(
    redisCli(["-c", "-p", String(reader), "--tls", "--cacert", t.cloud.caFile, "SET", "session:43", "bob"]),
    "OK",
  );
  assert.match(cli(endpoint, ["MSET", "a", "1", "b", "2"]), /CROSSSLOT/);

  const snap = await ec.send(
    new CreateServerlessCacheSnapshotCommand({
      ServerlessCacheName: "sessions",
      ServerlessCacheSnapshotName: "sessions-snap",
    }),
  );
  assert.equal(snap.ServerlessCacheSnapshot?.Status, "creating");
  const taken = await waitSnapshot("sessions-snap");
  assert.equal(taken.SnapshotType, "manual");
  assert.deepEqual(taken.ServerlessCacheConfiguration, {
    ServerlessCacheName: "sessions",
    Engine: "redis",
    MajorEngineVersion: "7",
  });
  assert.ok(Number(taken.BytesUsedForCache) > 0);
  // As on AWS, a node-based replication group can start from a serverless snapshot.
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "from-serverless",
      ReplicationGroupDescription: "restored from a serverless snapshot",
      CacheNodeType: "cache.t3.micro",
      ServerlessCacheSnapshotName: "sessions-snap",
    }),
  );
  const rg = await waitGroupAvailable(ec, "from-serverless");
  assert.equal(
    redisCli(["-p", String(rg.NodeGroups?.[0]?.PrimaryEndpoint?.Port), "GET", "session:42"]),
    "alice",
  );
  // Node-based snapshots are another namespace: one of the same name comes and goes independently.
  await ec.send(
    new CreateSnapshotCommand({ ReplicationGroupId: "from-serverless", SnapshotName: "sessions-snap" }),
  );
  await waitFor("node-based sessions-snap", async () => {
    const s = (await ec.send(new DescribeSnapshotsCommand({ SnapshotName: "sessions-snap" }))).Snapshots?.[0];
    return s?.SnapshotStatus === "available" ? true : undefined;
  });
  await ec.send(new DeleteSnapshotCommand({ SnapshotName: "sessions-snap" }));
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "from-serverless" }));

  const copied = await ec.send(
    new CopyServerlessCacheSnapshotCommand({
      SourceServerlessCacheSnapshotName: "sessions-snap",
      TargetServerlessCacheSnapshotName: "sessions-copy",
    }),
  );
  assert.equal(copied.ServerlessCacheSnapshot?.Status, "available");
  const copyAgain = await errorOf(
    ec.send(
      new CopyServerlessCacheSnapshotCommand({
        SourceServerlessCacheSnapshotName: "sessions-snap",
        TargetServerlessCacheSnapshotName: "sessions-copy",
      }),
    ),
  );
  assert.equal(copyAgain.code, "ServerlessCacheSnapshotAlreadyExistsFault");
  const bySource = await ec.send(
    new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheName: "sessions" }),
  );
  assert.deepEqual(
    bySource.ServerlessCacheSnapshots?.map((s) => s.ServerlessCacheSnapshotName),
    ["sessions-copy", "sessions-snap"],
  );

  await ec.send(
    new CreateServerlessCacheCommand({
      ServerlessCacheName: "restored",
      Engine: "redis",
      SnapshotArnsToRestore: [copied.ServerlessCacheSnapshot?.ARN as string],
    }),
  );
  const restored = await waitCache("restored");
  assert.equal(cli(restored.Endpoint?.Port, ["GET", "session:42"]), "alice");
  await waitFor("the restored reader has the key", async () =>
    readerGet(restored.ReaderEndpoint?.Port, "session:42") === "alice" ? true : undefined,
  );

  // Deleting with a final snapshot keeps the data as a snapshot.
  const deleting = await ec.send(
    new DeleteServerlessCacheCommand({
      ServerlessCacheName: "restored",
      FinalSnapshotName: "restored-final",
    }),
  );
  assert.equal(deleting.ServerlessCache?.Status, "deleting");
  await waitFor("restored deleted", async () =>
    (await errorOf(ec.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: "restored" }))))
      .code === "ServerlessCacheNotFoundFault"
      ? true
      : undefined,
  );
  assert.ok(Number((await waitSnapshot("restored-final")).BytesUsedForCache) > 0);
  for (const name of ["restored-final", "sessions-copy"]) {
    const r = await ec.send(new DeleteServerlessCacheSnapshotCommand({ ServerlessCacheSnapshotName: name }));
    assert.equal(r.ServerlessCacheSnapshot?.Status, "deleting");
  }
  const gone = await errorOf(
    ec.send(new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: "sessions-copy" })),
  );
  assert.equal(gone.code, "ServerlessCacheSnapshotNotFoundFault");
});

test("a serverless cache's user group is enforced on its engines, and removing it opens the default user", async () => {
  const password = "serverless-password-0123";
  await ec.send(
    new CreateUserCommand({
      UserId: "sls-default",
      UserName: "default",
      Engine: "redis",
      AccessString: "on ~* +@all",
      Passwords: [password],
    }),
  );
  await ec.send(
    new CreateUserGroupCommand({ UserGroupId: "sls-users", Engine: "redis", UserIds: ["sls-default"] }),
  );
  await waitFor("sls-users active", async () => {
    const g = (await ec.send(new DescribeUserGroupsCommand({ UserGroupId: "sls-users" }))).UserGroups?.[0];
    return g?.Status === "active" ? true : undefined;
  });
  const modified = await ec.send(
    new ModifyServerlessCacheCommand({ ServerlessCacheName: "sessions", UserGroupId: "sls-users" }),
  );
  assert.equal(modified.ServerlessCache?.Status, "modifying");
  assert.equal(modified.ServerlessCache?.UserGroupId, "sls-users");
  const cache = await waitCache("sessions");
  for (const port of [cache.Endpoint?.Port, cache.ReaderEndpoint?.Port]) {
    assert.match(cli(port, ["PING"]), /NOAUTH/);
    assert.equal(cli(port, ["PING"], password), "PONG");
  }
  const group = (await ec.send(new DescribeUserGroupsCommand({ UserGroupId: "sls-users" }))).UserGroups?.[0];
  assert.deepEqual(group?.ServerlessCaches, ["sessions"]);

  // After a restart of the local cloud the engines are back on their ports with data and users.
  await t.restart();
  ec = t.elasticache();
  const back = await waitCache("sessions");
  assert.equal(back.Endpoint?.Port, cache.Endpoint?.Port);
  assert.match(cli(back.Endpoint?.Port, ["PING"]), /NOAUTH/);
  assert.equal(cli(back.Endpoint?.Port, ["GET", "session:42"], password), "alice");
  await waitFor("the reader follows the primary again", async () =>
    readerGet(back.ReaderEndpoint?.Port, "session:42", password) === "alice" ? true : undefined,
  );

  await ec.send(
    new ModifyServerlessCacheCommand({
      ServerlessCacheName: "sessions",
      RemoveUserGroup: true,
      CacheUsageLimits: { DataStorage: { Maximum: 4, Unit: "GB" } },
    }),
  );
  const opened = await waitCache("sessions");
  assert.equal(opened.UserGroupId, undefined);
  assert.deepEqual(opened.CacheUsageLimits, { DataStorage: { Maximum: 4, Unit: "GB" } });
  assert.equal(cli(opened.Endpoint?.Port, ["PING"]), "PONG");
  assert.ok(!textUnder(t.dataDir).includes(password), "the user's password is stored in clear text");
  assert.ok(!t.log.join("\n").includes(password), "the user's password is in the log");
  assert.equal(
    cli(opened.Endpoint?.Port, ["CONFIG", "GET", "maxmemory"]),
    `maxmemory\n${4 * 1024 * 1024 * 1024}`,
  );
  await ec.send(new DeleteServerlessCacheCommand({ ServerlessCacheName: "sessions" }));
});

test("a memcached serverless cache serves TLS on one endpoint and takes no snapshot settings", async () => {
  const refused = await errorOf(
    ec.send(
      new CreateServerlessCacheCommand({
        ServerlessCacheName: "mc",
        Engine: "memcached",
        SnapshotRetentionLimit: 1,
      }),
    ),
  );
  assert.equal(refused.code, "InvalidParameterCombination");
  await ec.send(new CreateServerlessCacheCommand({ ServerlessCacheName: "mc", Engine: "memcached" }));
  const cache = await waitCache("mc");
  assert.equal(cache.FullEngineVersion, "1.6.22");
  assert.equal(cache.ReaderEndpoint, undefined);
  assert.equal(cache.SnapshotRetentionLimit, undefined);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = tls.connect(
      { host: "127.0.0.1", port: cache.Endpoint?.Port as number, ca: readFileSync(t.cloud.caFile) },
      () => socket.write("version\r\n"),
    );
    socket.once("data", (d) => {
      resolve(d.toString());
      socket.end();
    });
    socket.once("error", reject);
  });
  assert.match(answer, /^VERSION /);
  await ec.send(new DeleteServerlessCacheCommand({ ServerlessCacheName: "mc" }));
});
