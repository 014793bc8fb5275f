// Scale benchmark (not a test): our operator alone with N caches (default 10,000) on the local
// cloud's simulated engines, one fresh control plane, one account.
//
//   npm run build    # when measuring the compiled operator (--entry dist, the default)
//   node bench/scale.ts [--clusters 10000] [--entry dist|sources] [--steady 5m] [--settle 60s]
//                       [--ready-timeout 60m] [--correction-timeout 10m] [--out docs/bench]
//                       [--ours-args="--flag value ..."] [--ours-node-args="--node-flag ..."]
//
// The compiled operator runs with the Node flags of the image's ENTRYPOINT (as deployed), the
// sources with none; `--ours-node-args` replaces the compiled run's (to try a flag before the image
// gets it).
//
// Steps, on the same objects:
// 1. create: N objects applied (Lists of 500, two `kubectl apply` at a time) → all Ready (watched);
//    calls by action, operator CPU, peak RSS;
// 2. steady: after `--settle`, calls counted over `--steady` with the operator's defaults, scaled
//    to an hour (calls x 60 min / window); work done less often than the window is computed apart;
// 3. out-of-band change: ModifyCacheCluster of one cache's maintenance window through the AWS API
//    (as the AWS CLI would), then the time until AWS shows the spec's value again (polled every
//    second with the same account's key, those polls subtracted from the operator's calls);
// 4. restart: the operator stopped (SIGTERM) and started again; calls and time until every object
//    has been reconciled once and the work queue is empty (its /metrics);
// 5. the other code form: the operator restarted from the TypeScript sources (after a compiled
//    run, or compiled after a sources run), its re-sync measured the same way, so both peak RSS
//    figures come from the same fleet.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  DescribeCacheClustersCommand,
  ElastiCacheClient,
  ModifyCacheClusterCommand,
} from "@aws-sdk/client-elasticache";
import { countDelta, formatByAction, parseDurationMs, perHour, sum } from "../test/support/bench/stats.ts";
import { kubectlOk } from "../test/support/kubectl.ts";
import { type OperatorProcess, startOperatorProcess } from "../test/support/operator.ts";
import { repoPath } from "../test/support/paths.ts";
import { benchAccount, REGION, startCloudProcess } from "./lib/cloud.ts";
import { defaultOf, imageNodeArgs, ours } from "./lib/contenders.ts";
import {
  applyObjects,
  cacheName,
  installCrdFiles,
  type Sample,
  startControlPlaneRetrying,
} from "./lib/phase.ts";
import { machineLoad, mustProcStats, procStats } from "./lib/proc.ts";
import { watchReady } from "./lib/ready-watch.ts";
import { reportDir, writePlots } from "./lib/report.ts";

const { values } = parseArgs({
  options: {
    clusters: { type: "string", default: "10000" },
    entry: { type: "string", default: "dist" },
    steady: { type: "string", default: "5m" },
    settle: { type: "string", default: "60s" },
    "ready-timeout": { type: "string", default: "60m" },
    "correction-timeout": { type: "string", default: "10m" },
    "resync-timeout": { type: "string", default: "20m" },
    out: { type: "string", default: "docs/bench" },
    "ours-args": { type: "string", default: "" },
    "ours-node-args": { type: "string" },
  },
});
const N = Number(values.clusters);
const entries = { dist: repoPath("dist", "cli", "main.js"), sources: repoPath("bin", "infra-operator.js") };
const first = values.entry === "sources" ? "sources" : "dist";
const second = first === "dist" ? "sources" : "dist";
const outDir = reportDir(values.out);
const extraArgs = values["ours-args"].split(/\s+/).filter(Boolean);
const compiledNodeArgs =
  values["ours-node-args"] !== undefined
    ? values["ours-node-args"].split(/\s+/).filter(Boolean)
    : imageNodeArgs();
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WINDOW = "mon:03:00-mon:04:00";
const DRIFTED = "sun:05:00-sun:06:00";

interface ResyncResult {
  entry: string;
  seconds: number | undefined;
  calls: Record<string, number>;
  peakRssMiB: number;
  cpuSeconds: number;
}

/** Sum of a counter family's samples whose labels include `kind`. */
function metricSum(text: string, name: string, kind: string): number {
  let total = 0;
  for (const line of text.split("\n"))
    if (line.startsWith(`${name}{`) && line.includes(`kind="${kind}"`))
      total += Number(line.split(" ").at(-1));
  return total;
}

async function reconcileState(op: OperatorProcess): Promise<{ reconciles: number; depth: number }> {
  const text = await (
    await fetch(`${op.metricsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })
  ).text();
  return {
    reconciles: metricSum(text, "infra_operator_reconcile_total", "ElastiCacheCluster"),
    depth: metricSum(text, "infra_operator_workqueue_depth", "ElastiCacheCluster"),
  };
}

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = machineLoad();
  const account = benchAccount(1, `scale${N}`);
  const cloud = await startCloudProcess({ accounts: [account], engines: "simulated" });
  const cp = await startControlPlaneRetrying(log);
  const aws = new ElastiCacheClient({
    region: REGION,
    endpoint: cloud.url,
    credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
  });
  const namespace = `bench-scale-${N}`;
  let op: OperatorProcess | undefined;
  let observerCalls = 0;
  const lines: string[] = [];
  const row = (what: string, result: string, target = "-") =>
    lines.push(`| ${what} | ${result} | ${target} |`);
  const callsOf = async () => (await cloud.calls()).byAccessKeyAction?.[account.accessKeyId] ?? {};
  const start = (entry: "dist" | "sources") =>
    startOperatorProcess({
      kubeconfig: cp.kubeconfig,
      namespace,
      allowedEndpoints: [cloud.url],
      resyncPeriod: defaultOf("resync-period"),
      tokenRotationGrace: "60s",
      entry: entries[entry],
      // Compiled as the image runs it (its ENTRYPOINT's Node flags); the sources with none.
      nodeArgs: entry === "dist" ? compiledNodeArgs : [],
      extraArgs,
    });
  try {
    const contender = ours();
    await installCrdFiles(cp.kubeconfig, contender.crdFiles());
    await kubectlOk(["create", "namespace", namespace], { kubeconfig: cp.kubeconfig });
    const ctx = { kubeconfig: cp.kubeconfig, namespace, cloudUrl: cloud.url, account, extraArgs };
    await contender.prepare(ctx);
    op = await start(first);
    await contender.ready(ctx);
    const watch = await watchReady({
      kubeconfig: cp.kubeconfig,
      namespace,
      resource: contender.resource,
      isReady: contender.isReady,
    });

    // 1. create
    log(`create: applying ${N} objects`);
    const before = await callsOf();
    const cpu0 = mustProcStats(op.pid).cpuSeconds;
    const items = Array.from({ length: N }, (_, i) => {
      const m = contender.manifest(cacheName(i)) as { spec: Record<string, unknown> };
      m.spec.preferredMaintenanceWindow = WINDOW;
      return m as unknown as Record<string, unknown>;
    });
    const samples: Sample[] = [];
    const t0 = Date.now();
    let sampling = true;
    const pid = op.pid;
    const sampler = (async () => {
      while (sampling) {
        samples.push({
          t: (Date.now() - t0) / 1000,
          ready: watch.readyAt.size,
          calls: sum(countDelta(await callsOf().catch(() => before), before)),
          rssMiB: procStats(pid)?.rssMiB ?? 0,
        });
        await sleep(2000);
      }
    })();
    await applyObjects(cp.kubeconfig, namespace, items, { chunk: 500, parallel: 2 });
    const applySeconds = (Date.now() - t0) / 1000;
    log(`create: applied in ${applySeconds.toFixed(0)} s; waiting for Ready`);
    const all = await watch.waitAllReady(N, parseDurationMs(values["ready-timeout"]));
    const readySeconds = (Math.max(...watch.readyAt.values()) - t0) / 1000;
    const createCalls = countDelta(await callsOf(), before);
    const createStats = mustProcStats(op.pid);
    sampling = false;
    await sampler;
    log(`create: ${watch.readyAt.size}/${N} Ready after ${readySeconds.toFixed(0)} s`);
    log(
      `create: ${sum(createCalls)} calls (${formatByAction(createCalls)}), peak RSS ${createStats.peakRssMiB.toFixed(0)} MiB`,
    );
    row(
      "Caches applied (memcached, 1 node, simulated engines; Lists of 500, 2 `kubectl apply` at a time)",
      String(N),
    );
    row("`kubectl apply` of all objects returned after", `${applySeconds.toFixed(0)} s`);
    row(
      "Create → all Ready (from the first apply)",
      all
        ? `${readySeconds.toFixed(0)} s (${watch.readyAt.size} of ${N})`
        : `not all Ready: ${watch.readyAt.size} of ${N}`,
    );
    row(
      "Calls, apply → all Ready",
      `${sum(createCalls)} = **${(sum(createCalls) / N).toFixed(3)} per cache** (${formatByAction(createCalls)})`,
    );
    row(`Operator CPU, apply → all Ready (${first})`, `${(createStats.cpuSeconds - cpu0).toFixed(0)} s`);
    row(
      `Operator peak RSS after create (${first})`,
      `**${createStats.peakRssMiB.toFixed(0)} MiB**`,
      "≤ 250 MiB compiled",
    );

    // 2. steady
    await sleep(parseDurationMs(values.settle));
    const s0 = await callsOf();
    const sCpu0 = mustProcStats(op.pid).cpuSeconds;
    const w0 = Date.now();
    await sleep(parseDurationMs(values.steady));
    const steady = countDelta(await callsOf(), s0);
    const windowMs = Date.now() - w0;
    const sCpu = mustProcStats(op.pid).cpuSeconds - sCpu0;
    const hourly = Object.fromEntries(
      Object.entries(steady).map(([a, n]) => [a, Math.round(perHour(n, windowMs))]),
    );
    log(`steady: ${sum(steady)} calls in ${(windowMs / 1000).toFixed(0)} s`);
    row(
      `Steady calls, measured over ${(windowMs / 60_000).toFixed(1)} min (after ${values.settle} settle)`,
      `${sum(steady)} (${formatByAction(steady)}); operator CPU ${sCpu.toFixed(1)} s; ${watch.readyNow()} Ready`,
    );
    row(
      "... scaled to an hour (calls x 60 min / window)",
      `**${Math.round(perHour(sum(steady), windowMs))}** (${formatByAction(hourly)})`,
      "≤ 6 per provider (long-interval listing apart)",
    );

    // 3. out-of-band change
    const target = cacheName(Math.floor(N / 2));
    const o0 = await callsOf();
    observerCalls = 0;
    await aws.send(
      new ModifyCacheClusterCommand({
        CacheClusterId: target,
        PreferredMaintenanceWindow: DRIFTED,
        ApplyImmediately: true,
      }),
    );
    observerCalls += 1;
    const changedAt = Date.now();
    let correctedAt: number | undefined;
    const correctionDeadline = changedAt + parseDurationMs(values["correction-timeout"]);
    while (Date.now() < correctionDeadline) {
      observerCalls += 1;
      const out = await aws.send(new DescribeCacheClustersCommand({ CacheClusterId: target }));
      if (out.CacheClusters?.[0]?.PreferredMaintenanceWindow === WINDOW) {
        correctedAt = Date.now();
        break;
      }
      await sleep(1000);
    }
    const oCalls = countDelta(await callsOf(), o0);
    // The benchmark's own ModifyCacheCluster and Describe polls share the key: take them out.
    oCalls["elasticache:ModifyCacheCluster"] = (oCalls["elasticache:ModifyCacheCluster"] ?? 0) - 1;
    oCalls["elasticache:DescribeCacheClusters"] =
      (oCalls["elasticache:DescribeCacheClusters"] ?? 0) - (observerCalls - 1);
    for (const [k, v] of Object.entries(oCalls)) if (v <= 0) delete oCalls[k];
    log(`out-of-band: corrected after ${correctedAt ? (correctedAt - changedAt) / 1000 : "(not)"} s`);
    row(
      "Out-of-band ModifyCacheCluster (maintenance window of one cache) → AWS back at the spec",
      correctedAt
        ? `**${((correctedAt - changedAt) / 1000).toFixed(1)} s** (polled every 1 s); operator calls meanwhile: ${formatByAction(oCalls)}`
        : `not corrected within ${values["correction-timeout"]}`,
      "≤ 2 min",
    );

    // 4 and 5: restarts
    const resyncs: ResyncResult[] = [];
    for (const entry of [first, second] as const) {
      await op.stop();
      const r0 = await callsOf();
      const t = Date.now();
      op = await start(entry);
      let seconds: number | undefined;
      const deadline = t + parseDurationMs(values["resync-timeout"]);
      while (Date.now() < deadline) {
        const s = await reconcileState(op).catch(() => ({ reconciles: 0, depth: 1 }));
        if (s.reconciles >= N && s.depth === 0) {
          seconds = (Date.now() - t) / 1000;
          break;
        }
        await sleep(1000);
      }
      await sleep(10_000); // late calls of the last reconciles
      const calls = countDelta(await callsOf(), r0);
      const stats = mustProcStats(op.pid);
      resyncs.push({ entry, seconds, calls, peakRssMiB: stats.peakRssMiB, cpuSeconds: stats.cpuSeconds });
      log(
        `restart (${entry}): re-synced after ${seconds ?? "(timeout)"} s, ${sum(calls)} calls (${formatByAction(calls)}), peak RSS ${stats.peakRssMiB.toFixed(0)} MiB`,
      );
    }
    for (const r of resyncs)
      row(
        `Operator restart (${r.entry}) → every object reconciled once, queue empty`,
        `${r.seconds === undefined ? "not within the timeout" : `**${r.seconds.toFixed(0)} s**`}, **${sum(r.calls)} calls** (${formatByAction(r.calls)}; counted until 10 s after); CPU ${r.cpuSeconds.toFixed(0)} s; peak RSS **${r.peakRssMiB.toFixed(0)} MiB**`,
        "≤ 110 calls, ≤ 3 min",
      );
    writePlots(outDir, `scale-${N}`, [{ ...fakePhase(samples, N, readySeconds) }], `${N} caches, ours alone`);
    await watch.stop();
  } finally {
    await op?.stop();
    aws.destroy();
    await cp.stop();
    await cloud.stop();
  }
  const md = [
    `Run ${started.toISOString()} → ${new Date().toISOString()}; ${loadBefore} at the start, ${machineLoad()} at the end.`,
    `Command: \`node bench/scale.ts --clusters ${N} --entry ${first} --steady ${values.steady} --settle ${values.settle}${values["ours-args"] ? ` --ours-args="${values["ours-args"]}"` : ""}${values["ours-node-args"] !== undefined ? ` --ours-node-args="${values["ours-node-args"]}"` : ""}\``,
    "",
    "| Measure | Result | Target |",
    "| --- | --- | --- |",
    ...lines,
    "",
    `![scale-${N}-ready.svg](${path.join(values.out, `scale-${N}-ready.svg`)})`,
    `![scale-${N}-calls.svg](${path.join(values.out, `scale-${N}-calls.svg`)})`,
    "",
  ].join("\n");
  writeFileSync(path.join(outDir, `scale-${N}.md`), md);
  process.stdout.write(md);
}

/** The create samples in the shape the plot writer takes. */
function fakePhase(samples: Sample[], n: number, readySeconds: number) {
  return {
    contender: "ours",
    label: `infra-operator (${first})`,
    n,
    applySeconds: 0,
    allReadySeconds: readySeconds,
    readyCount: n,
    createCalls: {},
    createCpuSeconds: 0,
    cloudCreateCpuSeconds: 0,
    steadyWindowSeconds: 0,
    steadyCalls: {},
    steadyCpuSeconds: 0,
    peakRssMiB: 0,
    samples,
    logFile: "",
  };
}

await main();
