import assert from "node:assert/strict";
import test from "node:test";
import { countDelta, formatByAction, parseDurationMs, perHour, quantile, summarizeMs } from "./stats.ts";
import { lineChart, niceTicks } from "./svg-chart.ts";

test("ticks are round and cover the maximum", () => {
  assert.deepEqual(niceTicks(100), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(niceTicks(7), [0, 2, 4, 6, 8]);
  assert.deepEqual(niceTicks(0.3), [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(niceTicks(0), [0, 1]);
  assert.ok((niceTicks(12_345).at(-1) ?? 0) >= 12_345);
});

test("a line chart is well-formed SVG with one polyline per series and escaped names", () => {
  const svg = lineChart({
    title: "Ready <over> time",
    xLabel: "s",
    yLabel: "caches",
    series: [
      {
        name: "ours & co",
        points: [
          [0, 0],
          [5, 50],
          [10, 100],
        ],
      },
      {
        name: "peer",
        points: [
          [0, 0],
          [20, 100],
        ],
      },
      { name: "empty", points: [] },
    ],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\n$/);
  assert.equal(svg.match(/<polyline /g)?.length, 2);
  assert.ok(svg.includes("Ready &#60;over&#62; time"));
  assert.ok(svg.includes("ours &#38; co"));
  assert.ok(!svg.includes("NaN"));
  // The last point of the longest series sits on the right edge of the plot (x = 700 = 720 - 20).
  assert.match(svg, /points="[^"]* 700,/);
  assert.equal(
    svg,
    lineChart({
      title: "Ready <over> time",
      xLabel: "s",
      yLabel: "caches",
      series: [
        {
          name: "ours & co",
          points: [
            [0, 0],
            [5, 50],
            [10, 100],
          ],
        },
        {
          name: "peer",
          points: [
            [0, 0],
            [20, 100],
          ],
        },
        { name: "empty", points: [] },
      ],
    }),
    "deterministic",
  );
});

test("stats: nearest-rank quantiles, deltas, hourly rates, action lists, durations", () => {
  const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(quantile(s, 0.5), 5);
  assert.equal(quantile(s, 0.9), 9);
  assert.equal(quantile(s, 1), 10);
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.equal(summarizeMs([3000, 1000, 2000]), "median 2.00 s, p90 3.00 s, max 3.00 s (n=3)");
  assert.deepEqual(countDelta({ a: 5, b: 2, c: 1 }, { a: 3, b: 2 }), { a: 2, c: 1 });
  assert.equal(perHour(10, 120_000), 300);
  assert.equal(
    formatByAction({ "elasticache:DescribeCacheClusters": 2, "elasticache:CreateCacheCluster": 100 }),
    "CreateCacheCluster 100, DescribeCacheClusters 2",
  );
  assert.equal(formatByAction({ "sts:GetCallerIdentity": 1 }, 4), "GetCallerIdentity 0.25");
  assert.equal(formatByAction({}), "none");
  assert.equal(parseDurationMs("90s"), 90_000);
  assert.equal(parseDurationMs("2m"), 120_000);
  assert.throws(() => parseDurationMs("soon"));
});
