// Side-by-side benchmark (not a test): our operator, ACK's elasticache-controller and the original
// Go infra-operator, in one run on one local cloud, each on its own fresh control plane, namespace
// and local cloud account, one after another (so each has the machine to itself), at each size.
//
//   bench/peers/build     # once: builds the two peers into .cache/peers/
//   node bench/compare.ts [--sizes 100,1000] [--contenders ours,ack,go] [--engines simulated|real]
//                         [--steady 5m] [--settle 20s] [--ready-timeout 20m] [--out docs/bench]
//                         [--ours-resync 1m] [--ack-resync 60] [--ours-entry sources|dist]
//                         [--ours-args="--flag value ..."] [--ours-node-args="--node-flag ..."]
//
// Per phase: one `kubectl apply` of a List of N memcached caches (1 node, cache.t3.micro), time
// until every object is Ready (watched: ours and the Go operator status.ready; ACK
// status.cacheClusterStatus available and ACK.ResourceSynced True), AWS calls by action from the
// apply until all Ready, then after `--settle` a steady window of `--steady`. Periodic work is
// made to fit the window and scaled back: ours runs with `--resync-period` = `--ours-resync`
// (default 1m; its default is 20m), ACK with `--reconcile-default-resync-seconds` = `--ack-resync`
// (default 60; its default is 10 h), the Go operator as it is (its 5 min requeue is hard-coded);
// the window's calls per hour are multiplied by short period / default period. Work done less
// often still (our full listing and tag check) is computed apart from the fleet size. Peak RSS is
// VmHWM at the end of the phase, CPU from /proc/PID/stat. `--ours-entry dist` runs Node with the
// flags of the image's ENTRYPOINT (Dockerfile), as the operator runs when deployed;
// `--ours-node-args` replaces them (`--ours-node-args=` for none).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseDurationMs } from "../test/support/bench/stats.ts";
import { repoPath } from "../test/support/paths.ts";
import { benchAccount, startCloudProcess } from "./lib/cloud.ts";
import {
  ack,
  type Contender,
  defaultOf,
  goOperator,
  hasFlag,
  imageNodeArgs,
  ours,
} from "./lib/contenders.ts";
import { type PhaseResult, runPhase } from "./lib/phase.ts";
import { machineLoad } from "./lib/proc.ts";
import { compareTable, reportDir, type SteadyMethod, writePlots } from "./lib/report.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000" },
    contenders: { type: "string", default: "ours,ack,go" },
    engines: { type: "string", default: "simulated" },
    steady: { type: "string", default: "5m" },
    settle: { type: "string", default: "20s" },
    "ours-resync": { type: "string", default: "1m" },
    "ours-entry": { type: "string", default: "sources" },
    "ack-resync": { type: "string", default: "60" },
    "ready-timeout": { type: "string", default: "20m" },
    out: { type: "string", default: "docs/bench" },
    "ours-args": { type: "string", default: "" },
    "ours-node-args": { type: "string" },
    "ack-args": { type: "string", default: "" },
    "go-args": { type: "string", default: "" },
  },
});

const sizes = values.sizes.split(",").map(Number);
const oursEntry = values["ours-entry"] === "dist" ? "dist" : "sources";
const oursNodeArgs =
  values["ours-node-args"] !== undefined
    ? values["ours-node-args"].split(/\s+/).filter(Boolean)
    : oursEntry === "dist"
      ? imageNodeArgs()
      : [];
const all: Record<string, Contender> = {
  ours:
    oursEntry === "dist"
      ? ours({
          entry: repoPath("dist", "cli", "main.js"),
          label: "infra-operator (compiled dist/)",
          nodeArgs: oursNodeArgs,
        })
      : ours({ label: "infra-operator (TypeScript sources)", nodeArgs: oursNodeArgs }),
  ack,
  go: goOperator,
};
const contenders = values.contenders.split(",").map((id) => {
  const c = all[id];
  if (!c) throw new Error(`unknown contender ${id}: use ours, ack, go`);
  return c;
});
const engines = values.engines === "real" ? "real" : "simulated";
const outDir = reportDir(values.out);
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const splitArgs = (s: string) => s.split(/\s+/).filter(Boolean);
const oursResync = values["ours-resync"];
const ackResync = Number(values["ack-resync"]);
const ACK_DEFAULT_RESYNC_S = 36_000;
const extra: Record<string, string[]> = {
  ours: [
    ...(oursResync === "default" ? [] : ["--resync-period", oursResync]),
    ...splitArgs(values["ours-args"]),
  ],
  ack: [
    ...(ackResync > 0 ? ["--reconcile-default-resync-seconds", String(ackResync)] : []),
    ...splitArgs(values["ack-args"]),
  ],
  go: splitArgs(values["go-args"]),
};

const pages = (n: number) => Math.ceil(n / 100);
const hours = (d: string) => parseDurationMs(d) / 3_600_000;
const perHour2 = (calls: number, d: string) => Number((calls / hours(d)).toPrecision(3));

/** Our operator's periodic work longer than the window, from its own defaults. */
function oursAmortised(n: number): string {
  const tags = defaultOf("tag-check-period");
  if (hasFlag("full-resync-period")) {
    const full = defaultOf("full-resync-period");
    return `full listing every ${full}: ${pages(n) + 1} calls = ${perHour2(pages(n) + 1, full)}; tag scan every ${tags}: ${pages(n)} GetResources = ${perHour2(pages(n), tags)}`;
  }
  return `tag check every ${tags}: ${n} ListTagsForResource = ${perHour2(n, tags)}`;
}

const methods: Record<string, SteadyMethod> = {
  ours:
    oursResync === "default"
      ? { scale: 1, note: "defaults", amortised: oursAmortised }
      : {
          scale: parseDurationMs(oursResync) / parseDurationMs(defaultOf("resync-period")),
          note: `--resync-period ${oursResync}, scaled x ${oursResync}/${defaultOf("resync-period")}`,
          amortised: oursAmortised,
        },
  ack:
    ackResync > 0
      ? {
          scale: ackResync / ACK_DEFAULT_RESYNC_S,
          note: `--reconcile-default-resync-seconds ${ackResync}, scaled x ${ackResync} s/10 h`,
          amortised: () => "-",
        }
      : { scale: 1, note: "defaults (10 h resync)", amortised: () => "-" },
  go: { scale: 1, note: "defaults (5 min requeue, hard-coded)", amortised: () => "-" },
};

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = machineLoad();
  const phases = sizes.flatMap((n) => contenders.map((c) => ({ n, c })));
  const accounts = phases.map((p, i) => benchAccount(i + 1, `${p.c.id}${p.n}`));
  const cloud = await startCloudProcess({ accounts, engines });
  log(`local cloud ${cloud.url} (engines ${engines}, pid ${cloud.pid}, log ${cloud.logFile})`);
  const results: PhaseResult[] = [];
  try {
    for (const [i, p] of phases.entries()) {
      const account = accounts[i];
      if (!account) throw new Error("no account");
      const run = runPhase({
        contender: p.c,
        n: p.n,
        cloud,
        account,
        extraArgs: extra[p.c.id] ?? [],
        readyTimeoutMs: parseDurationMs(values["ready-timeout"]),
        settleMs: parseDurationMs(values.settle),
        steadyMs: parseDurationMs(values.steady),
        log,
      });
      await run.then(
        (r) => results.push(r),
        (err: Error) => log(`phase ${p.c.id} N=${p.n} failed: ${err.stack ?? err.message}`),
      );
      writeFileSync(path.join(outDir, "compare-raw.json"), JSON.stringify(results, null, 1));
    }
  } finally {
    await cloud.stop();
  }
  const parts: string[] = [
    `Run ${started.toISOString()} → ${new Date().toISOString()}; ${loadBefore} at the start, ${machineLoad()} at the end.`,
    `Command: \`node bench/compare.ts --sizes ${values.sizes} --contenders ${values.contenders} --engines ${engines} --steady ${values.steady} --settle ${values.settle} --ours-resync ${oursResync} --ours-entry ${oursEntry} --ack-resync ${ackResync}${values["ours-args"] ? ` --ours-args="${values["ours-args"]}"` : ""}\`; our Node flags: ${oursNodeArgs.join(" ") || "none"}.`,
    "",
  ];
  for (const n of sizes) {
    const rows = results.filter((r) => r.n === n);
    const files = writePlots(outDir, `compare-${n}`, rows, `${n} memcached caches (${engines} engines)`);
    parts.push(`### ${n} caches`, "", compareTable(rows, methods));
    for (const f of files) parts.push(`![${path.basename(f)}](${path.relative(repoPath(), f)})`);
    parts.push("");
  }
  const md = parts.join("\n");
  writeFileSync(path.join(outDir, "compare.md"), md);
  process.stdout.write(md);
}

await main();
