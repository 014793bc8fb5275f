// Operator benchmark (not a test): N clusters applied at once against the local cloud, with the
// operator as a separate process, as users run it. Prints a Markdown table for BENCHMARKS.md.
//
//   node bench/operator.ts [--clusters 100] [--engine memcached|redis] [--steady-minutes 3]
//                          [--steady-resync 60s] [--steady-tag-check 60s]
//
// Measures:
// - time from `kubectl apply` (one List of N objects) until every object is Ready;
// - AWS calls per cluster from apply to all Ready, counted by the local cloud for the operator's
//   access key only (the benchmark's own observer uses another key);
// - apply -> Create calls (the local cloud's request log is time-stamped as lines arrive);
// - available (first Describe by the observer, polled every 250 ms) -> Ready (kubectl polled every
//   500 ms): both sides are sampled, so each figure carries about half a second of slack;
// - operator CPU seconds and peak RSS (VmHWM) from /proc of the operator process;
// - steady state: a second operator process (same objects, all Ready) with a short resync and tag
//   check period, calls counted over a window, then scaled to the defaults (10m resync, 1h tag
//   check) - the scaling is stated next to the figure.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DescribeCacheClustersCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { usage as runUsage } from "../src/cli/commands/run.ts";
import { sharedControlPlane } from "../test/support/controlplane.ts";
import { installCrds } from "../test/support/crds.ts";
import { kubectlOk } from "../test/support/kubectl.ts";
import { type LocalCloudForTests, REGION, startCloudForTests } from "../test/support/localcloud.ts";
import { createTestNamespace } from "../test/support/namespace.ts";
import { type OperatorProcess, startOperatorProcess } from "../test/support/operator.ts";
import { API, applyProvider, createSecret, waitProviderReady } from "../test/support/operator-env.ts";

const { values } = parseArgs({
  options: {
    clusters: { type: "string", default: "100" },
    engine: { type: "string", default: "memcached" },
    "steady-minutes": { type: "string", default: "3" },
    "steady-resync": { type: "string", default: "60s" },
    "steady-tag-check": { type: "string", default: "60s" },
    "ready-timeout": { type: "string", default: "600" },
  },
});
const N = Number(values.clusters);
const engine = values.engine === "redis" ? "redis" : "memcached";
const steadyMinutes = Number(values["steady-minutes"]);
const OPERATOR_KEY = "AKIABENCHOPERATOR0001";
const OBSERVER_KEY = "AKIABENCHOBSERVER0001";
const allowAll = [{ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }];

/** The operator's default for a flag, as `infra-operator run --help` states it. */
function defaultOf(flag: string): string {
  const m = new RegExp(`--${flag} DURATION\\s+.*\\(default (\\d+[smh])`).exec(runUsage);
  if (!m?.[1]) throw new Error(`cannot find the default of --${flag} in the run command's usage`);
  return m[1];
}
const DEFAULT_RESYNC = defaultOf("resync-period");
const DEFAULT_TAG_CHECK = defaultOf("tag-check-period");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLK_TCK = 100;

function procStats(pid: number): { cpuSeconds: number; peakRssMiB: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command name: field 3 is index 0, so utime (14) is 11 and stime (15) is 12.
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { cpuSeconds, peakRssMiB: kb("VmHWM") / 1024, rssMiB: kb("VmRSS") / 1024 };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const f = (v: number) => `${(v / 1000).toFixed(2)} s`;
  return `median ${f(quantile(s, 0.5))}, p90 ${f(quantile(s, 0.9))}, max ${f(s.at(-1) ?? Number.NaN)} (n=${s.length})`;
}

function clusterManifest(i: number): Record<string, unknown> {
  const name = `bench-${String(i).padStart(3, "0")}`;
  return {
    apiVersion: API,
    kind: "ElastiCacheCluster",
    metadata: { name },
    spec: {
      providerRef: { name: "bench-aws" },
      clusterID: name,
      engine,
      engineVersion: engine === "memcached" ? "1.6.22" : "7.0",
      nodeType: "cache.t3.micro",
      numCacheNodes: 1,
      deletionPolicy: "Delete",
    },
  };
}

interface ClusterList {
  items: { metadata: { name: string }; status?: { ready?: boolean } }[];
}

async function readyNames(namespace: string): Promise<Set<string>> {
  const out = JSON.parse(
    await kubectlOk(["get", "elasticachecluster", "-n", namespace, "-o", "json"], { timeoutMs: 30_000 }),
  ) as ClusterList;
  return new Set(out.items.filter((i) => i.status?.ready === true).map((i) => i.metadata.name));
}

/** Polls AWS with the observer's own key: first time each cluster is reported available. */
function observeAvailable(cloud: LocalCloudForTests): {
  firstAvailable: Map<string, number>;
  stop(): void;
  calls(): number;
} {
  const client = new ElastiCacheClient({
    region: REGION,
    endpoint: cloud.url,
    credentials: { accessKeyId: OBSERVER_KEY, secretAccessKey: "bench-observer-secret" },
  });
  const firstAvailable = new Map<string, number>();
  let running = true;
  let calls = 0;
  void (async () => {
    while (running) {
      let marker: string | undefined;
      do {
        calls += 1;
        const out = await client.send(new DescribeCacheClustersCommand({ Marker: marker, MaxRecords: 100 }));
        const now = Date.now();
        for (const c of out.CacheClusters ?? [])
          if (
            c.CacheClusterStatus === "available" &&
            c.CacheClusterId &&
            !firstAvailable.has(c.CacheClusterId)
          )
            firstAvailable.set(c.CacheClusterId, now);
        marker = out.Marker;
      } while (marker && running);
      await sleep(250);
    }
    client.destroy();
  })();
  return { firstAvailable, stop: () => (running = false), calls: () => calls };
}

async function main(): Promise<void> {
  const started = Date.now();
  await sharedControlPlane();
  await installCrds();
  const namespace = await createTestNamespace("bench");
  const cloud = await startCloudForTests({
    keepLog: 1_000_000,
    users: [
      {
        name: "bench-operator",
        accessKeyId: OPERATOR_KEY,
        secretAccessKey: "bench-operator-secret",
        policies: allowAll,
      },
      {
        name: "bench-observer",
        accessKeyId: OBSERVER_KEY,
        secretAccessKey: "bench-observer-secret",
        policies: allowAll,
      },
    ],
  });
  let operator: OperatorProcess | undefined;
  const lines: string[] = [];
  try {
    await createSecret(namespace, "bench-credentials", {
      "access-key-id": OPERATOR_KEY,
      "secret-access-key": "bench-operator-secret",
    });
    operator = await startOperatorProcess({
      namespace,
      resyncPeriod: DEFAULT_RESYNC,
      allowedEndpoints: [cloud.url],
    });
    await applyProvider(namespace, cloud.url, { name: "bench-aws", secretName: "bench-credentials" });
    await waitProviderReady(namespace, "bench-aws");
    const cpuBefore = procStats(operator.pid);

    await cloud.resetCalls();
    const logStart = cloud.requestLog.length;
    const observer = observeAvailable(cloud);
    const input = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: Array.from({ length: N }, (_, i) => clusterManifest(i)),
    });
    const applyAt = Date.now();
    await kubectlOk(["apply", "-n", namespace, "-f", "-"], { input, timeoutMs: 120_000 });
    const appliedAt = Date.now();

    const readyAt = new Map<string, number>();
    let peakRss = 0;
    const deadline = applyAt + Number(values["ready-timeout"]) * 1000;
    while (readyAt.size < N && Date.now() < deadline) {
      for (const name of await readyNames(namespace)) if (!readyAt.has(name)) readyAt.set(name, Date.now());
      peakRss = Math.max(peakRss, procStats(operator.pid).rssMiB);
      await sleep(500);
    }
    const allReadyAt = Date.now();
    observer.stop();
    const createCalls = await cloud.calls();
    const cpuAfter = procStats(operator.pid);
    const operatorCalls = createCalls.byAccessKey[OPERATOR_KEY] ?? 0;
    const byAction = { ...createCalls.byAction };
    byAction["elasticache:DescribeCacheClusters"] =
      (byAction["elasticache:DescribeCacheClusters"] ?? 0) - observer.calls();

    const createTimes = cloud.requestLog
      .slice(logStart)
      .filter((l) => / (CreateCacheCluster|CreateReplicationGroup) /.test(l.line) && / 200 /.test(l.line))
      .map((l) => l.at - applyAt);
    const availableToReady: number[] = [];
    for (const [name, at] of readyAt) {
      const available = observer.firstAvailable.get(name);
      if (available !== undefined) availableToReady.push(Math.max(0, at - available));
    }

    lines.push(
      `| Clusters applied at once (${engine}, 1 node, cache.t3.micro, one \`kubectl apply\` of a List) | ${N} | - |`,
    );
    lines.push(`| Ready | ${readyAt.size} of ${N} | all |`);
    lines.push(`| \`kubectl apply\` returned after | ${((appliedAt - applyAt) / 1000).toFixed(2)} s | - |`);
    lines.push(
      `| Time until all Ready | ${((allReadyAt - applyAt) / 1000).toFixed(1)} s (sampled every 0.5 s) | - |`,
    );
    lines.push(
      `| AWS calls, apply -> all Ready (operator's key) | ${operatorCalls} = **${(operatorCalls / N).toFixed(2)} per cluster** | <= 1.5 |`,
    );
    lines.push(
      `| ... by action | ${Object.entries(byAction)
        .filter(([, n]) => n > 0)
        .map(([a, n]) => `${a.replace("elasticache:", "")} ${n}`)
        .join(", ")} | - |`,
    );
    lines.push(
      `| apply -> Create call (n-th Create after apply) | first ${((createTimes[0] ?? Number.NaN) / 1000).toFixed(2)} s; ${summary(createTimes)} | - |`,
    );
    lines.push(`| available (AWS) -> Ready (object) | ${summary(availableToReady)} | - |`);
    lines.push(
      `| Operator CPU, apply -> all Ready | ${(cpuAfter.cpuSeconds - cpuBefore.cpuSeconds).toFixed(1)} s (since process start: ${cpuAfter.cpuSeconds.toFixed(1)} s) | - |`,
    );
    lines.push(
      `| Operator peak RSS (VmHWM) | ${cpuAfter.peakRssMiB.toFixed(0)} MiB (highest sampled VmRSS ${peakRss.toFixed(0)} MiB) | < 150 MB |`,
    );

    // Steady state: a fresh operator process with a short resync and tag check period.
    await operator.stop();
    const steadyResync = values["steady-resync"];
    const steadyTags = values["steady-tag-check"];
    operator = await startOperatorProcess({
      namespace,
      resyncPeriod: steadyResync,
      allowedEndpoints: [cloud.url],
      extraArgs: ["--tag-check-period", steadyTags, "--provider-recheck-period", "10m"],
    });
    // Let the restart's first full pass (every object reconciled once) finish before counting.
    await sleep(Math.max(30_000, parseSeconds(steadyResync) * 1000));
    await cloud.resetCalls();
    const windowMs = steadyMinutes * 60_000;
    const cpuSteady0 = procStats(operator.pid).cpuSeconds;
    await sleep(windowMs);
    const steady = await cloud.calls();
    const cpuSteady = procStats(operator.pid).cpuSeconds - cpuSteady0;
    const still = (await readyNames(namespace)).size;
    const count = (a: string) => steady.byAction[`elasticache:${a}`] ?? 0;
    const hours = windowMs / 3_600_000;
    const describes = count("DescribeCacheClusters") + count("DescribeReplicationGroups");
    const tags = count("ListTagsForResource");
    const others =
      (steady.byAccessKey[OPERATOR_KEY] ?? 0) -
      describes -
      tags -
      (steady.byAction["sts:GetCallerIdentity"] ?? 0);
    const resyncS = parseSeconds(steadyResync);
    // Scaled by period: each resync re-reads every cluster, each tag check re-reads its tags.
    const describePerHourAtDefault = (describes / hours) * (resyncS / parseSeconds(DEFAULT_RESYNC));
    // Tags have no batch read: each cluster reads its own once per tag check period (the window
    // above shows at most one read per cluster and period), so the default period gives N per period.
    const tagsPerHourAtDefault = (N * 3600) / parseSeconds(DEFAULT_TAG_CHECK);
    lines.push(
      `| Steady state, measured (${N} Ready, resync ${steadyResync}, tag check ${steadyTags}, ${steadyMinutes} min) | ${steady.byAccessKey[OPERATOR_KEY] ?? 0} calls: Describe* ${describes}, ListTags ${tags}, STS ${steady.byAction["sts:GetCallerIdentity"] ?? 0}, other ${others}; ${still} still Ready; operator CPU ${cpuSteady.toFixed(1)} s | - |`,
    );
    lines.push(
      `| Steady state, per hour at the defaults (resync ${DEFAULT_RESYNC}, tag check ${DEFAULT_TAG_CHECK}), scaled from the above | Describe* ${describePerHourAtDefault.toFixed(1)} + ListTags ${tagsPerHourAtDefault.toFixed(1)} = **${(describePerHourAtDefault + tagsPerHourAtDefault).toFixed(1)}** | <= 12 |`,
    );
    lines.push(`| Benchmark wall time | ${((Date.now() - started) / 1000).toFixed(0)} s | - |`);
  } finally {
    await operator?.stop();
    await kubectlOk(["delete", "elasticachecluster", "--all", "-n", namespace, "--wait=false"]).catch(
      () => "",
    );
    await cloud.stop();
    const cp = await sharedControlPlane();
    await cp.stop();
  }
  process.stdout.write(`| Measure | Result | Target |\n| --- | --- | --- |\n${lines.join("\n")}\n`);
}

function parseSeconds(d: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(d);
  if (!m) throw new Error(`duration ${d}: use e.g. 30s, 2m, 1h`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"];
}

await main();
