import assert from "node:assert/strict";
import { test } from "node:test";
import { Registry } from "./metrics.ts";

test("counters render with HELP, TYPE and escaped labels", () => {
  const r = new Registry();
  const c = r.counter("calls_total", "Calls made.\nPer action.", ["action", "outcome"]);
  c.inc({ action: "Create", outcome: "ok" });
  c.inc({ action: "Create", outcome: "ok" }, 2);
  c.inc({ action: 'we"ird\\', outcome: "a\nb" });
  assert.equal(
    r.render(),
    [
      "# HELP calls_total Calls made.\\nPer action.",
      "# TYPE calls_total counter",
      'calls_total{action="Create",outcome="ok"} 3',
      'calls_total{action="we\\"ird\\\\",outcome="a\\nb"} 1',
      "",
    ].join("\n"),
  );
  assert.equal(c.get({ action: "Create", outcome: "ok" }), 3);
  assert.throws(() => c.inc({ action: "x" }, -1), /cannot decrease/);
  assert.throws(() => c.inc({ nope: "x" }), /has no label "nope"/);
});

test("gauges can be read at scrape time", () => {
  const r = new Registry();
  const g = r.gauge("queue_depth", "Keys waiting.", ["kind"]);
  let depth = 4;
  g.onCollect(() => g.set({ kind: "Cache" }, depth));
  assert.match(r.render(), /queue_depth\{kind="Cache"\} 4\n/);
  depth = 7;
  assert.match(r.render(), /queue_depth\{kind="Cache"\} 7\n/);
});

test("histograms render cumulative buckets, +Inf, sum and count", () => {
  const r = new Registry();
  const h = r.histogram("duration_seconds", "Duration.", ["kind"], [0.1, 1]);
  h.observe({ kind: "A" }, 0.05);
  h.observe({ kind: "A" }, 0.5);
  h.observe({ kind: "A" }, 3);
  assert.equal(
    r.render(),
    [
      "# HELP duration_seconds Duration.",
      "# TYPE duration_seconds histogram",
      'duration_seconds_bucket{kind="A",le="0.1"} 1',
      'duration_seconds_bucket{kind="A",le="1"} 2',
      'duration_seconds_bucket{kind="A",le="+Inf"} 3',
      'duration_seconds_sum{kind="A"} 3.55',
      'duration_seconds_count{kind="A"} 3',
      "",
    ].join("\n"),
  );
});

test("names are validated and registered once", () => {
  const r = new Registry();
  r.counter("a_total", "A.");
  assert.throws(() => r.counter("a_total", "A."), /registered twice/);
  assert.throws(() => r.gauge("bad-name", "B."), /invalid metric name/);
  assert.throws(() => r.histogram("h", "H.", ["le"]), /cannot use the label "le"/);
});
