// Benchmark of the local cloud (issue 4), run by hand:
//
//   node bench/localcloud.ts [--runs 10] [--max-clusters 200]
//
// Measures, through the AWS SDK v3 against the real local cloud with real engines:
//   1. CreateCacheCluster -> available for a single Redis node (polled every 10 ms);
//   2. CreateReplicationGroup -> available for a 3-shard, 2-replica cluster-mode group;
//   3. how many single-node Redis clusters run at once (created in batches of 10 until a
//      create fails or --max-clusters is reached), with every endpoint answering PING.
// Prints a Markdown section for BENCHMARKS.md.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  DeleteCacheClusterCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { startLocalCloud } from "../src/localcloud/index.ts";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "10" }, "max-clusters": { type: "string", default: "200" } },
});
const runs = Number(values.runs);
const maxClusters = Number(values["max-clusters"]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(10);
  }
  throw new Error("timed out");
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return `median ${at(0.5).toFixed(0)} ms, min ${s[0]?.toFixed(0)} ms, max ${s[s.length - 1]?.toFixed(0)} ms (n=${s.length})`;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 5000);
    socket.on("data", (d) => {
      clearTimeout(timer);
      socket.end();
      resolve(d.toString().startsWith("+PONG"));
    });
    socket.on("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
    socket.write("PING\r\n");
  });
}

function rssOfPids(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      kb += Number(m?.[1] ?? 0);
    } catch {
      // Process gone: not counted.
    }
  }
  return kb / 1024;
}

const dataDir = mkdtempSync(join(tmpdir(), "localcloud-bench-"));
const engineLines: string[] = [];
const cloud = await startLocalCloud({
  port: 0,
  dataDir,
  log: (line) => {
    if (line.startsWith("engine node")) engineLines.push(line);
  },
});
const ec = new ElastiCacheClient({
  endpoint: cloud.url,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

try {
  const single: number[] = [];
  for (let i = 0; i < runs; i++) {
    const id = `bench-single-${i}`;
    const start = performance.now();
    await ec.send(
      new CreateCacheClusterCommand({ CacheClusterId: id, Engine: "redis", CacheNodeType: "cache.t3.micro" }),
    );
    await until(async () => {
      const r = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: id }));
      return r.CacheClusters?.[0]?.CacheClusterStatus === "available" ? true : undefined;
    }, 60_000);
    single.push(performance.now() - start);
    await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: id }));
  }
  await cloud.settle();

  const clusterMode: number[] = [];
  for (let i = 0; i < Math.max(1, Math.floor(runs / 3)); i++) {
    const id = `bench-cm-${i}`;
    const start = performance.now();
    await ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: id,
        ReplicationGroupDescription: "bench",
        CacheNodeType: "cache.t3.micro",
        NumNodeGroups: 3,
        ReplicasPerNodeGroup: 2,
      }),
    );
    await until(async () => {
      const r = await ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }));
      return r.ReplicationGroups?.[0]?.Status === "available" ? true : undefined;
    }, 180_000);
    clusterMode.push(performance.now() - start);
    await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: id }));
    await cloud.settle();
  }

  let running = 0;
  let failure = "";
  const ports: number[] = [];
  const scaleStart = performance.now();
  while (running < maxClusters && failure === "") {
    const batch = Array.from(
      { length: Math.min(10, maxClusters - running) },
      (_, k) => `many-${running + k}`,
    );
    await Promise.all(
      batch.map((id) =>
        ec.send(
          new CreateCacheClusterCommand({
            CacheClusterId: id,
            Engine: "redis",
            CacheNodeType: "cache.t3.micro",
          }),
        ),
      ),
    );
    for (const id of batch) {
      const c = await until(async () => {
        const r = await ec.send(
          new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }),
        );
        const cc = r.CacheClusters?.[0];
        return cc?.CacheClusterStatus === "available" || cc?.CacheClusterStatus === "create-failed"
          ? cc
          : undefined;
      }, 120_000);
      if (c.CacheClusterStatus !== "available") failure = `${id} create-failed`;
      else ports.push(c.CacheNodes?.[0]?.Endpoint?.Port as number);
    }
    running = ports.length;
  }
  const scaleMs = performance.now() - scaleStart;
  const pings = await Promise.all(ports.map(ping));
  const answering = pings.filter(Boolean).length;
  const pids = engineLines.map((l) => Number(/pid (\d+)/.exec(l)?.[1])).filter((p) => p > 0);
  const rssMb = rssOfPids(pids);

  const out = [
    "## Local cloud (issue 4)",
    "",
    `Measured with \`node bench/localcloud.ts --runs ${runs} --max-clusters ${maxClusters}\` on ${new Date().toISOString().slice(0, 10)}`,
    `(${cpus().length} cores shared with other work, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, redis-server from Debian, default pace 0).`,
    "Times are CreateX call to the first Describe that reports `available` (polled every 10 ms), through the AWS SDK v3.",
    "",
    "| Measure | Result | Target |",
    "| --- | --- | --- |",
    `| Single Redis node, CreateCacheCluster -> available | ${stats(single)} | < 300 ms |`,
    `| Cluster mode 3 shards x (1 primary + 2 replicas) = 9 nodes, CreateReplicationGroup -> available | ${stats(clusterMode)} | < 3 s |`,
    `| Single-node Redis clusters running at once | ${running}${failure ? ` (stopped by: ${failure})` : ` (the run's cap, not a limit hit)`}; ${answering}/${ports.length} answer PING; engines' RSS ${rssMb.toFixed(0)} MiB total (${(rssMb / Math.max(1, running)).toFixed(1)} MiB each); created in ${(scaleMs / 1000).toFixed(1)} s | - |`,
    "",
  ];
  process.stdout.write(`${out.join("\n")}\n`);
} finally {
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
