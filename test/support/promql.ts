// Prometheus's own rule file and PromQL parsers for the tests: tools/promql, built once from the Go
// module proxy by tools/promql/build (cached under .cache/promql; .ci/run builds it first).
import { spawnSync } from "node:child_process";
import { repoPath } from "./paths.ts";

let cached: string | undefined;

function promqlBinary(): string {
  if (cached !== undefined) return cached;
  const build = spawnSync(repoPath("tools", "promql", "build"), [], {
    encoding: "utf8",
    timeout: 15 * 60_000,
  });
  if (build.status !== 0) {
    throw new Error(
      `tools/promql/build failed (exit ${build.status ?? build.signal}): ${build.stderr.trim()}`,
    );
  }
  cached = build.stdout.trim().split("\n").at(-1) ?? "";
  return cached;
}

export interface PromqlResult {
  code: number;
  /** The number of rules read (rule files only). */
  rules: number;
  /** Every metric name the rules or expressions select, sorted. */
  metrics: string[];
  /** What the parser refused, one line per problem. */
  problems: string;
}

function run(args: string[], input?: string): PromqlResult {
  const r = spawnSync(promqlBinary(), args, { encoding: "utf8", input, timeout: 60_000 });
  const out = JSON.parse(r.stdout || '{"rules":0,"metrics":[]}') as { rules: number; metrics: string[] };
  return { code: r.status ?? 1, rules: out.rules, metrics: out.metrics, problems: r.stderr.trim() };
}

/** Checks rule files as `promtool check rules` does (groups, durations, expressions, templates). */
export function checkRuleFiles(files: string[]): PromqlResult {
  return run(["rules", ...files]);
}

/** Parses PromQL expressions. */
export function checkExpressions(exprs: string[]): PromqlResult {
  return run(["exprs"], JSON.stringify(exprs));
}

export interface MetricFamily {
  /** COUNTER, GAUGE, HISTOGRAM, SUMMARY or UNTYPED. */
  type: string;
  /** One per series; histograms and summaries give their sample count as the value. */
  samples: { labels: Record<string, string>; value: number }[];
}

/**
 * Parses a /metrics page with the text-format parser Prometheus scrapes with (expfmt); throws with
 * the parser's message when Prometheus would reject the page.
 */
export function parseMetricsPage(text: string): Record<string, MetricFamily> {
  const r = spawnSync(promqlBinary(), ["metrics"], { encoding: "utf8", input: text, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`Prometheus's text parser refused the page: ${r.stderr.trim()}`);
  return (JSON.parse(r.stdout) as { families: Record<string, MetricFamily> }).families;
}
