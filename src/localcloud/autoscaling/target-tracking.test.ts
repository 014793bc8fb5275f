import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateTracking, type PolicyInput, type TrackingInput } from "./target-tracking.ts";

const memory = (datapoints: number[], extra: Partial<PolicyInput["config"]> = {}): PolicyInput => ({
  name: "memory",
  config: {
    targetValue: 50,
    metricType: "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage",
    disableScaleIn: false,
    ...extra,
  },
  datapoints,
});
const now = Date.parse("2026-12-02T08:00:00Z");
const base = (policies: PolicyInput[], extra: Partial<TrackingInput> = {}): TrackingInput => ({
  current: 1,
  min: 1,
  max: 3,
  policies,
  now,
  timeFactor: 1,
  ...extra,
});
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
const low = Array(15).fill(20);

test("scale-out needs 3 datapoints above the target and asks for ceil(current × metric / target)", () => {
  assert.equal(evaluateTracking(base([memory([70, 70])])), undefined);
  assert.equal(evaluateTracking(base([memory([70, 40, 70])])), undefined);
  assert.deepEqual(evaluateTracking(base([memory([60, 70, 120])])), {
    direction: "out",
    desired: 3,
    policy: "memory",
    alarm: "AlarmHigh",
    metric: 120,
  });
  // At least one more, and never above max.
  assert.equal(evaluateTracking(base([memory([51, 51, 51])]))?.desired, 2);
  assert.equal(evaluateTracking(base([memory([90, 90, 400])], { current: 2 }))?.desired, 3);
  assert.equal(evaluateTracking(base([memory([90, 90, 90])], { current: 3 })), undefined);
});

test("scale-in needs 15 datapoints below 90 % of the target, stays at or above min, honours disableScaleIn", () => {
  assert.equal(evaluateTracking(base([memory(low.slice(1))], { current: 3 })), undefined);
  assert.equal(evaluateTracking(base([memory([...low.slice(1), 46])], { current: 3 })), undefined);
  assert.equal(evaluateTracking(base([memory(low)], { current: 3 }))?.desired, 2);
  assert.equal(evaluateTracking(base([memory(Array(15).fill(1))], { current: 3 }))?.desired, 1);
  assert.equal(evaluateTracking(base([memory(low, { disableScaleIn: true })], { current: 3 })), undefined);
  // Two shards at 44 % would be one at 88 %: below 90 % of the target, yet no scale-in.
  assert.equal(evaluateTracking(base([memory(Array(15).fill(44))], { current: 2 })), undefined);
});

test("cooldowns: scale-in waits for its cooldown (scaled by the time factor); scale-out only beyond the last one", () => {
  const cooling = memory(low, { scaleInCooldown: 600 });
  assert.equal(evaluateTracking(base([cooling], { current: 3, lastScaleIn: { at: ago(300) } })), undefined);
  assert.equal(evaluateTracking(base([cooling], { current: 3, lastScaleIn: { at: ago(700) } }))?.desired, 2);
  assert.equal(
    evaluateTracking(base([cooling], { current: 3, lastScaleIn: { at: ago(20) }, timeFactor: 1 / 60 }))
      ?.desired,
    2,
    "600 s at a 1 s period are 10 s",
  );
  const hot = memory([80, 80, 80], { scaleOutCooldown: 300 });
  assert.equal(
    evaluateTracking(base([hot], { current: 2, lastScaleOut: { at: ago(60), to: 2 } }))?.desired,
    3,
  );
  assert.equal(
    evaluateTracking(
      base([memory([55, 55, 55], { scaleOutCooldown: 300 })], {
        current: 2,
        max: 5,
        lastScaleOut: { at: ago(60), to: 3 },
      }),
    ),
    undefined,
  );
  // A scale-in cooldown never blocks a scale-out.
  assert.equal(
    evaluateTracking(base([memory([80, 80, 80], { scaleInCooldown: 600 })], { lastScaleIn: { at: ago(10) } }))
      ?.direction,
    "out",
  );
});

test("several policies: any scales out, all must agree to scale in, the largest capacity wins", () => {
  const cpu = (datapoints: number[]): PolicyInput => ({
    name: "cpu",
    config: { targetValue: 60, metricType: "ElastiCachePrimaryEngineCPUUtilization", disableScaleIn: false },
    datapoints,
  });
  assert.equal(evaluateTracking(base([memory(low), cpu([90, 90, 90])], { current: 2 }))?.policy, "cpu");
  assert.equal(evaluateTracking(base([memory(low), cpu(Array(15).fill(58))], { current: 3 })), undefined);
  assert.equal(evaluateTracking(base([memory(low), cpu(Array(15).fill(10))], { current: 3 }))?.desired, 2);
});
