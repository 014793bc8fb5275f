// Markdown tables and SVG plots of phase results (bench/compare.ts, bench/scale.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatByAction, perHour, sum } from "../../test/support/bench/stats.ts";
import { lineChart } from "../../test/support/bench/svg-chart.ts";
import { repoPath } from "../../test/support/paths.ts";
import type { PhaseResult } from "./phase.ts";

/**
 * The folder a benchmark writes its report to, made at once (a run of half an hour must not lose
 * its report to a missing folder at the end): an absolute `--out` as it is, a relative one under
 * the repository.
 */
export function reportDir(out: string): string {
  const dir = path.resolve(repoPath(), out);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");

/** How a contender's steady window relates to its defaults. */
export interface SteadyMethod {
  /** Multiplies the measured hourly rate into the rate at the defaults (short period / default period). */
  scale: number;
  /** How the window was run and scaled, for the table. */
  note: string;
  /** Periodic work longer than the window, computed apart (per hour at the defaults), for N caches. */
  amortised(n: number): string;
}

export function compareTable(results: PhaseResult[], methods: Record<string, SteadyMethod>): string {
  const rows = [
    "| Operator | Ready | Time to all Ready | Calls per cache, apply → Ready | ... by action, per cache | Steady window, measured | Steady calls per hour at the defaults | ... not in the window, amortised per hour | Peak RSS (VmHWM) | CPU apply → Ready | CPU steady window |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of results) {
    const m = methods[r.contender] ?? { scale: 1, note: "defaults", amortised: () => "-" };
    const createTotal = sum(r.createCalls);
    const steadyTotal = sum(r.steadyCalls);
    const hourly = Object.fromEntries(
      Object.entries(r.steadyCalls).map(([a, n]) => [
        a,
        Number((perHour(n, r.steadyWindowSeconds * 1000) * m.scale).toPrecision(3)),
      ]),
    );
    const perHourAtDefaults = perHour(steadyTotal, r.steadyWindowSeconds * 1000) * m.scale;
    rows.push(
      `| ${[
        r.label,
        `${r.readyCount} of ${r.n}`,
        r.allReadySeconds === undefined ? "not all Ready (timeout)" : `${r.allReadySeconds.toFixed(1)} s`,
        `**${(createTotal / r.n).toFixed(2)}** (${createTotal})`,
        formatByAction(r.createCalls, r.n),
        `${steadyTotal} calls in ${(r.steadyWindowSeconds / 60).toFixed(1)} min, ${m.note}: ${formatByAction(r.steadyCalls)}`,
        `**${Number(perHourAtDefaults.toPrecision(3))}** (${formatByAction(hourly)})`,
        m.amortised(r.n),
        `${r.peakRssMiB.toFixed(0)} MiB`,
        `${f1(r.createCpuSeconds)} s`,
        `${f1(r.steadyCpuSeconds)} s`,
      ].join(" | ")} |`,
    );
  }
  return `${rows.join("\n")}\n`;
}

/** Ready-over-time and calls-over-time for the phases of one size; returns the files written. */
export function writePlots(dir: string, prefix: string, results: PhaseResult[], title: string): string[] {
  const ready = lineChart({
    title: `Ready over time: ${title}`,
    xLabel: "seconds since kubectl apply",
    yLabel: "objects Ready",
    series: results.map((r) => ({
      name: r.label,
      points: withReadyEnd(r).map((s) => [s.t, s.ready] as [number, number]),
    })),
  });
  const calls = lineChart({
    title: `AWS calls over time (cumulative, per operator): ${title}`,
    xLabel: "seconds since kubectl apply",
    yLabel: "calls",
    series: results.map((r) => ({
      name: r.label,
      points: r.samples.map((s) => [s.t, s.calls] as [number, number]),
    })),
  });
  const readyFile = path.join(dir, `${prefix}-ready.svg`);
  const callsFile = path.join(dir, `${prefix}-calls.svg`);
  writeFileSync(readyFile, ready);
  writeFileSync(callsFile, calls);
  return [readyFile, callsFile];
}

/** Samples up to a little after the last object became Ready (the steady tail is flat). */
function withReadyEnd(r: PhaseResult) {
  const end = (r.allReadySeconds ?? Number.POSITIVE_INFINITY) * 1.2 + 2;
  return r.samples.filter((s) => s.t <= end);
}
