import assert from "node:assert/strict";
import { test } from "node:test";
import { createAwsCallMetrics, recordAwsCall } from "./aws-call-metrics.ts";
import { Registry } from "./metrics.ts";

test("calls are counted by action and outcome, with durations", () => {
  const registry = new Registry();
  const m = createAwsCallMetrics(registry);
  const labels = { service: "elasticache", action: "DescribeCacheClusters" };
  recordAwsCall(m, labels, "ok", 250);
  recordAwsCall(m, labels, "Throttled", 0);
  assert.equal(m.calls.get({ ...labels, outcome: "ok" }), 1);
  assert.equal(m.calls.get({ ...labels, outcome: "Throttled" }), 1);
  assert.deepEqual(m.duration.get(labels), { count: 2, sum: 0.25 });
  assert.match(
    registry.render(),
    /infra_operator_aws_calls_total\{service="elasticache",action="DescribeCacheClusters",outcome="Throttled"\} 1/,
  );
});
