import assert from "node:assert/strict";
import { test } from "node:test";
import { findCondition, setCondition } from "./conditions.ts";

const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const t1 = t0 + 60_000;

test("lastTransitionTime moves only when the status flips", () => {
  let c = setCondition(
    undefined,
    { type: "Ready", status: "False", reason: "Creating", message: "creating" },
    t0,
  );
  assert.equal(findCondition(c, "Ready")?.lastTransitionTime, "2026-01-01T00:00:00Z");
  c = setCondition(c, { type: "Ready", status: "False", reason: "Modifying", message: "modifying" }, t1);
  assert.equal(findCondition(c, "Ready")?.lastTransitionTime, "2026-01-01T00:00:00Z");
  assert.equal(findCondition(c, "Ready")?.reason, "Modifying");
  c = setCondition(c, { type: "Ready", status: "True", reason: "Available", message: "ok" }, t1);
  assert.equal(findCondition(c, "Ready")?.lastTransitionTime, "2026-01-01T00:01:00Z");
});

test("other conditions keep their place; new ones are appended", () => {
  let c = setCondition([], { type: "Ready", status: "True", reason: "A", message: "" }, t0);
  c = setCondition(c, { type: "Synced", status: "True", reason: "B", message: "" }, t0);
  c = setCondition(c, { type: "Ready", status: "False", reason: "C", message: "" }, t1);
  assert.deepEqual(
    c.map((x) => `${x.type}=${x.status}`),
    ["Ready=False", "Synced=True"],
  );
});
