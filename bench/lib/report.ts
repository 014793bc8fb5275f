// Markdown tables and SVG plots of phase results (bench/compare.ts, bench/scale.ts).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { formatByAction, perHour, sum } from "../../test/support/bench/stats.ts";
import { lineChart } from "../../test/support/bench/svg-chart.ts";
import type { PhaseResult } from "./phase.ts";

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");

export function compareTable(results: PhaseResult[]): string {
  const rows = [
    "| Operator | Ready | Time to all Ready | Calls per cache, apply → Ready | ... by action, per cache | Steady calls per hour (measured window, scaled) | ... by action, per hour | Peak RSS (VmHWM) | CPU apply → Ready | CPU steady window |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of results) {
    const createTotal = sum(r.createCalls);
    const steadyTotal = sum(r.steadyCalls);
    const hourly = Object.fromEntries(
      Object.entries(r.steadyCalls).map(([a, n]) => [
        a,
        Math.round(perHour(n, r.steadyWindowSeconds * 1000)),
      ]),
    );
    rows.push(
      [
        r.label,
        `${r.readyCount} of ${r.n}`,
        r.allReadySeconds === undefined ? "not all Ready (timeout)" : `${r.allReadySeconds.toFixed(1)} s`,
        `**${(createTotal / r.n).toFixed(2)}** (${createTotal})`,
        formatByAction(r.createCalls, r.n),
        `**${Math.round(perHour(steadyTotal, r.steadyWindowSeconds * 1000))}** (${steadyTotal} in ${(r.steadyWindowSeconds / 60).toFixed(1)} min)`,
        formatByAction(hourly),
        `${r.peakRssMiB.toFixed(0)} MiB`,
        `${f1(r.createCpuSeconds)} s`,
        `${f1(r.steadyCpuSeconds)} s`,
      ]
        .join(" | ")
        .replace(/^/, "| ")
        .concat(" |"),
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
