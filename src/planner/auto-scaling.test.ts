import assert from "node:assert/strict";
import { test } from "node:test";
import { type AutoScalingState, autoScalingCalls, describeCall, desiredAutoScaling } from "./auto-scaling.ts";

const none: AutoScalingState = { targets: [], policies: [], scheduledActions: [] };

test("a new autoScaling spec registers each target, then its policy and scheduled actions", () => {
  const desired = desiredAutoScaling({
    shards: { min: 1, max: 3, targetMemoryPercent: 50, scaleInCooldownSeconds: 600 },
    replicas: { min: 1, max: 2, targetCPUPercent: 60, disableScaleIn: true },
    scheduledActions: [{ name: "morning", dimension: "shards", schedule: "cron(0 8 ? * MON-FRI *)", min: 2 }],
  });
  const calls = autoScalingCalls(desired, none, []);
  assert.deepEqual(
    calls.map((c) => c.type),
    ["registerTarget", "registerTarget", "putPolicy", "putPolicy", "putScheduledAction"],
  );
  assert.deepEqual(calls.map(describeCall), [
    "register shards 1-3 with Application Auto Scaling",
    "register replicas 1-2 with Application Auto Scaling",
    "track memory at 50% for shards",
    "track replica engine CPU at 60% for replicas (scale-out only)",
    "schedule morning (cron(0 8 ? * MON-FRI *)) for shards",
  ]);
  // Once AWS holds the same, nothing more.
  assert.deepEqual(autoScalingCalls(desired, desired, ["shards", "replicas"]), []);
});

test("changes update in place; dropped parts are removed, others' are left alone", () => {
  const before = desiredAutoScaling({
    shards: { min: 1, max: 3, targetMemoryPercent: 50 },
    replicas: { min: 1, max: 2, targetCPUPercent: 60 },
    scheduledActions: [{ name: "night", dimension: "shards", schedule: "rate(1 day)", max: 2 }],
  });
  const observed: AutoScalingState = {
    ...before,
    policies: [
      ...before.policies,
      { ...(before.policies[0] as AutoScalingState["policies"][0]), name: "someone-elses" },
    ],
  };
  const after = desiredAutoScaling({ shards: { min: 1, max: 4, targetCPUPercent: 70 } });
  const calls = autoScalingCalls(after, observed, ["shards", "replicas"]);
  assert.deepEqual(calls, [
    { type: "registerTarget", target: { dimension: "shards", min: 1, max: 4 } },
    {
      type: "putPolicy",
      policy: {
        dimension: "shards",
        name: "infra-operator-shards",
        targetValue: 70,
        metricType: "ElastiCachePrimaryEngineCPUUtilization",
        disableScaleIn: false,
      },
    },
    { type: "deleteScheduledAction", dimension: "shards", name: "infra-operator-night" },
    { type: "deregisterTarget", dimension: "replicas" },
  ]);
  // A target the operator never registered is not deregistered.
  assert.deepEqual(autoScalingCalls(none, observed, []), []);
});
