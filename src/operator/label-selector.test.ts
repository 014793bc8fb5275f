import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { selects } from "./label-selector.ts";

describe("namespace selector", () => {
  const labels = { "kubernetes.io/metadata.name": "team-a", tier: "prod" };

  test("absent or empty selects every namespace", () => {
    assert.ok(selects(undefined, labels));
    assert.ok(selects({}, {}));
  });

  test("matchLabels: every label must be there with that value", () => {
    assert.ok(selects({ matchLabels: { tier: "prod" } }, labels));
    assert.ok(!selects({ matchLabels: { tier: "prod", team: "a" } }, labels));
    assert.ok(!selects({ matchLabels: { tier: "dev" } }, labels));
  });

  test("matchExpressions: In, NotIn, Exists, DoesNotExist", () => {
    const key = "kubernetes.io/metadata.name";
    assert.ok(selects({ matchExpressions: [{ key, operator: "In", values: ["team-a", "team-b"] }] }, labels));
    assert.ok(!selects({ matchExpressions: [{ key, operator: "In", values: ["team-b"] }] }, labels));
    assert.ok(!selects({ matchExpressions: [{ key, operator: "NotIn", values: ["team-a"] }] }, labels));
    assert.ok(selects({ matchExpressions: [{ key: "absent", operator: "NotIn", values: ["x"] }] }, labels));
    assert.ok(selects({ matchExpressions: [{ key: "tier", operator: "Exists" }] }, labels));
    assert.ok(!selects({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, labels));
    assert.ok(
      !selects(
        { matchLabels: { tier: "prod" }, matchExpressions: [{ key, operator: "In", values: [] }] },
        labels,
      ),
    );
  });
});
