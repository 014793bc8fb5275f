import assert from "node:assert/strict";
import { test } from "node:test";
import { createAwsCallMetrics, recordAwsCall } from "./aws-call-metrics.ts";
import { Registry } from "./metrics.ts";

test("calls are counted by action and outcome, with durations", async () => {
  const registry = new Registry();
  const m = createAwsCallMetrics(registry);
  let t = 0;
  const now = () => t;
  const labels = { service: "elasticache", action: "DescribeCacheClusters" };
  const value = await recordAwsCall(
    m,
    labels,
    async () => {
      t += 250;
      return 42;
    },
    undefined,
    now,
  );
  assert.equal(value, 42);
  await assert.rejects(
    recordAwsCall(
      m,
      labels,
      async () => {
        throw new Error("Throttling");
      },
      () => "throttled",
      now,
    ),
    /Throttling/,
  );
  assert.equal(m.calls.get({ ...labels, outcome: "success" }), 1);
  assert.equal(m.calls.get({ ...labels, outcome: "throttled" }), 1);
  assert.deepEqual(m.duration.get(labels), { count: 2, sum: 0.25 });
  assert.match(
    registry.render(),
    /infra_operator_aws_calls_total\{service="elasticache",action="DescribeCacheClusters",outcome="throttled"\} 1/,
  );
});
