// The parameter group's planner: create, only changed parameters modified (20 per call), removed
// ones reset only when this object set them, family mismatch refused, pending reboots reported.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ObservedParameterGroup } from "./observe.ts";
import { appliedAfter, PARAMETERS_PER_CALL, planParameterGroup } from "./plan.ts";
import type { ParameterGroupSpec } from "./schema.ts";

const spec = (parameters: Record<string, string>): ParameterGroupSpec => ({
  providerRef: { name: "p" },
  deletionPolicy: "Delete",
  parameterGroupName: "app-params",
  family: "redis7",
  description: "app",
  parameters,
});

const observed = (
  parameters: Record<string, string>,
  extra: Partial<ObservedParameterGroup> = {},
): ObservedParameterGroup => ({
  arn: "arn:pg",
  tags: {},
  family: "redis7",
  description: "app",
  parameters,
  requiresReboot: [],
  caches: [],
  ...extra,
});

test("creates a missing group", () => {
  const d = planParameterGroup(spec({ a: "1" }), undefined, []);
  assert.equal(d.type, "act");
  assert.deepEqual(d.type === "act" && d.action, { type: "create" });
});

test("modifies only the parameters whose value differs", () => {
  const d = planParameterGroup(
    spec({ "maxmemory-policy": "allkeys-lru", timeout: "300" }),
    observed({ timeout: "300", other: "x" }),
    [],
  );
  assert.deepEqual(d.type === "act" && d.action, {
    type: "modify",
    parameters: [{ name: "maxmemory-policy", value: "allkeys-lru" }],
  });
});

test("modifies at most 20 parameters per step", () => {
  const many = Object.fromEntries(
    Array.from({ length: 45 }, (_, i) => [`p${String(i).padStart(2, "0")}`, "1"]),
  );
  const d = planParameterGroup(spec(many), observed({}), []);
  assert.ok(d.type === "act" && d.action.type === "modify");
  assert.equal(d.action.parameters.length, PARAMETERS_PER_CALL);
  assert.equal(d.action.parameters[0]?.name, "p00");
});

test("resets parameters this object set and the spec dropped, not those set by others", () => {
  const d = planParameterGroup(
    spec({ timeout: "300" }),
    observed({ timeout: "300", "maxmemory-policy": "allkeys-lru", "set-by-others": "1" }),
    ["maxmemory-policy", "timeout"],
  );
  assert.deepEqual(d.type === "act" && d.action, { type: "reset", names: ["maxmemory-policy"] });
});

test("ready when AWS matches; pending reboots and a differing description are reported", () => {
  const d = planParameterGroup(
    spec({ timeout: "300" }),
    observed(
      { timeout: "300" },
      {
        description: "other",
        caches: [
          { cacheClusterID: "c-001", parameterApplyStatus: "pending-reboot", cacheNodeIDsToReboot: ["0001"] },
        ],
      },
    ),
    ["timeout"],
  );
  assert.equal(d.type, "ready");
  assert.match(d.message, /c-001 must reboot/);
  assert.match(d.message, /description in AWS is "other"/);
});

test("a group of another family is refused", () => {
  const d = planParameterGroup(spec({}), observed({}, { family: "valkey8" }), []);
  assert.equal(d.type, "invalid");
  assert.match(d.message, /family valkey8, not redis7/);
});

test("the applied names grow with the spec and shrink with resets", () => {
  const s = spec({ a: "1", b: "2" });
  assert.deepEqual(appliedAfter({ type: "modify", parameters: [{ name: "a", value: "1" }] }, s, ["z"]), [
    "a",
    "b",
    "z",
  ]);
  assert.deepEqual(appliedAfter({ type: "reset", names: ["z"] }, s, ["a", "z"]), ["a"]);
});
