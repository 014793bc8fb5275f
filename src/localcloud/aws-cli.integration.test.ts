// Integration: the AWS CLI v2 (/usr/bin/aws) against the real local cloud with --endpoint-url,
// running the commands of the documentation's "Verify on AWS" section, plus redis-cli and
// memcached checks through the endpoints the CLI returns.
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { DescribeCacheClustersCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { redisCli, startTestCloud, type TestCloud, waitFor } from "./testing/harness.ts";

const awsCli = "/usr/bin/aws";
let t: TestCloud;

before(async () => {
  if (!existsSync(awsCli))
    throw new Error("the AWS CLI v2 is missing at /usr/bin/aws; install it (apt-get install -y awscli)");
  t = await startTestCloud();
});
after(async () => {
  await t?.stop();
});

/** Runs the CLI asynchronously: the local cloud answers from this very process. */
function aws(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      awsCli,
      ["--endpoint-url", t.url, ...args],
      {
        encoding: "utf8",
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: t.dataDir,
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_PAGER: "",
        },
      },
      (error, stdout, stderr) => {
        resolve({ status: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

async function awsJson(args: string[]): Promise<unknown> {
  const r = await aws([...args, "--output", "json"]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const token = "MyToken123!-long-enough";

test("the documentation's 'Verify on AWS' commands work with --endpoint-url", async () => {
  const created = (await awsJson([
    "elasticache",
    "create-cache-cluster",
    "--cache-cluster-id",
    "app-redis-cache",
    "--engine",
    "redis",
    "--cache-node-type",
    "cache.t3.micro",
    "--num-cache-nodes",
    "1",
    "--transit-encryption-enabled",
    "--auth-token",
    token,
  ])) as { CacheCluster: { CacheClusterStatus: string } };
  assert.equal(created.CacheCluster.CacheClusterStatus, "creating");
  await waitFor("app-redis-cache available", async () => {
    const r = await awsJson([
      "elasticache",
      "describe-cache-clusters",
      "--cache-cluster-id",
      "app-redis-cache",
      "--query",
      "CacheClusters[0].CacheClusterStatus",
    ]);
    return r === "available" ? true : undefined;
  });

  // List clusters
  const table = await aws([
    "elasticache",
    "describe-cache-clusters",
    "--query",
    "CacheClusters[].{Id:CacheClusterId,Status:CacheClusterStatus,Engine:Engine,NodeType:CacheNodeType}",
    "--output",
    "table",
  ]);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /app-redis-cache\s*\|\s*cache\.t3\.micro\s*\|\s*available/);

  // Get full details (piped to jq in the documentation)
  const details = await aws([
    "elasticache",
    "describe-cache-clusters",
    "--cache-cluster-id",
    "app-redis-cache",
    "--output",
    "json",
  ]);
  const jq = spawnSync("jq", [".CacheClusters[0]"], { input: details.stdout, encoding: "utf8" });
  const full = JSON.parse(jq.stdout) as Record<string, unknown>;
  assert.equal(full.CacheClusterId, "app-redis-cache");
  assert.equal(full.AuthTokenEnabled, true);
  assert.equal(full.ARN, "arn:aws:elasticache:us-east-1:000000000000:cluster:app-redis-cache");

  // View connection endpoint: as on AWS, node endpoints need --show-cache-node-info.
  const noNodes = await aws([
    "elasticache",
    "describe-cache-clusters",
    "--cache-cluster-id",
    "app-redis-cache",
    "--query",
    "CacheClusters[0].CacheNodes[0].Endpoint",
  ]);
  assert.equal(noNodes.stdout.trim(), "null");
  const endpoint = (await awsJson([
    "elasticache",
    "describe-cache-clusters",
    "--cache-cluster-id",
    "app-redis-cache",
    "--show-cache-node-info",
    "--query",
    "CacheClusters[0].CacheNodes[0].Endpoint",
  ])) as { Address: string; Port: number };
  assert.equal(endpoint.Address, "127.0.0.1");

  // Test connection (Redis): TLS with the local CA, AUTH with the token.
  const ping = redisCli(
    ["-h", endpoint.Address, "-p", String(endpoint.Port), "--tls", "--cacert", t.cloud.caFile, "PING"],
    token,
  );
  assert.equal(ping, "PONG");
  assert.match(
    redisCli(
      [
        "-h",
        endpoint.Address,
        "-p",
        String(endpoint.Port),
        "--tls",
        "--cacert",
        t.cloud.caFile,
        "INFO",
        "server",
      ],
      token,
    ),
    /redis_version/,
  );

  // View snapshots
  const none = (await awsJson([
    "elasticache",
    "describe-snapshots",
    "--cache-cluster-id",
    "app-redis-cache",
  ])) as { Snapshots: unknown[] };
  assert.deepEqual(none.Snapshots, []);
  await awsJson([
    "elasticache",
    "create-snapshot",
    "--cache-cluster-id",
    "app-redis-cache",
    "--snapshot-name",
    "app-redis-cache-manual",
  ]);
  await waitFor("snapshot available", async () => {
    const r = (await awsJson([
      "elasticache",
      "describe-snapshots",
      "--cache-cluster-id",
      "app-redis-cache",
    ])) as { Snapshots: { SnapshotStatus: string }[] };
    return r.Snapshots[0]?.SnapshotStatus === "available" ? true : undefined;
  });

  const missing = await aws(["elasticache", "describe-cache-clusters", "--cache-cluster-id", "nope"]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /\(CacheClusterNotFound\) when calling the DescribeCacheClusters operation/);
  const who = (await awsJson(["sts", "get-caller-identity"])) as { Account: string };
  assert.equal(who.Account, "000000000000");
});

test("memcached through the CLI: nc stats on the returned endpoint", async () => {
  await awsJson([
    "elasticache",
    "create-cache-cluster",
    "--cache-cluster-id",
    "sessions",
    "--engine",
    "memcached",
    "--cache-node-type",
    "cache.t3.micro",
    "--num-cache-nodes",
    "2",
  ]);
  const config = await waitFor("sessions available", async () => {
    const r = (await awsJson([
      "elasticache",
      "describe-cache-clusters",
      "--cache-cluster-id",
      "sessions",
      "--query",
      "CacheClusters[0]",
    ])) as {
      CacheClusterStatus: string;
      ConfigurationEndpoint?: { Address: string; Port: number };
    };
    return r.CacheClusterStatus === "available" ? r.ConfigurationEndpoint : undefined;
  });
  assert.ok(config);
  // Not spawnSync: the configuration endpoint is served by the local cloud in this very process.
  const stats = await new Promise<string>((resolve, reject) => {
    const nc = spawn("nc", ["-q", "1", config.Address, String(config.Port)], { timeout: 10_000 });
    let out = "";
    nc.stdout.on("data", (d) => {
      out += d.toString();
    });
    nc.on("error", reject);
    nc.on("close", () => resolve(out));
    nc.stdin.end("stats\r\nquit\r\n");
  });
  assert.match(stats, /STAT curr_connections/);
  const rm = await aws(["elasticache", "delete-cache-cluster", "--cache-cluster-id", "sessions"]);
  assert.equal(rm.status, 0, rm.stderr);
});

test("a cluster-mode replication group created with the CLI answers redis-cli -c", async () => {
  await awsJson([
    "elasticache",
    "create-replication-group",
    "--replication-group-id",
    "app-cluster",
    "--replication-group-description",
    "cluster mode",
    "--engine",
    "redis",
    "--cache-node-type",
    "cache.t3.micro",
    "--num-node-groups",
    "2",
    "--replicas-per-node-group",
    "1",
  ]);
  const config = await waitFor(
    "app-cluster available",
    async () => {
      const r = (await awsJson([
        "elasticache",
        "describe-replication-groups",
        "--replication-group-id",
        "app-cluster",
        "--query",
        "ReplicationGroups[0]",
      ])) as {
        Status: string;
        ConfigurationEndpoint?: { Port: number };
      };
      return r.Status === "available" ? r.ConfigurationEndpoint : undefined;
    },
    120_000,
  );
  assert.equal(redisCli(["-c", "-p", String(config.Port), "SET", "user:1", "ada"]), "OK");
  assert.equal(redisCli(["-c", "-p", String(config.Port), "GET", "user:1"]), "ada");
  assert.match(redisCli(["-p", String(config.Port), "CLUSTER", "INFO"]), /cluster_known_nodes:4/);
});

test("the documentation's LocalStack section: AWS_ENDPOINT_URL with localhost reaches the local cloud", async () => {
  // The SDK honours AWS_ENDPOINT_URL; Debian's AWS CLI 2.9 predates it, so the CLI uses --endpoint-url.
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: t.url.replace("127.0.0.1", "localhost"),
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
  });
  try {
    const client = new ElastiCacheClient({});
    const all = await client.send(new DescribeCacheClustersCommand({}));
    assert.ok(all.CacheClusters?.some((c) => c.CacheClusterId === "app-redis-cache"));
    const one = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: "app-redis-cache" }));
    assert.equal(one.CacheClusters?.[0]?.CacheClusterStatus, "available");
  } finally {
    for (const k of ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  const viaCli = await aws([
    "elasticache",
    "describe-cache-clusters",
    "--cache-cluster-id",
    "app-redis-cache",
  ]);
  assert.equal(viaCli.status, 0, viaCli.stderr);
});
