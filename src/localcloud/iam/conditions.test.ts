import assert from "node:assert/strict";
import { test } from "node:test";
import { conditionHolds, conditionOperatorProblem } from "./conditions.ts";
import { evaluate, type PolicyDocument } from "./policy.ts";

const arn = "arn:aws:elasticache:us-east-1:111111111111:cluster:orders";

test("Arn operators match part by part", () => {
  assert.ok(conditionHolds("ArnLike", [arn], ["arn:aws:elasticache:*:111111111111:cluster:ord*"]));
  assert.ok(conditionHolds("ArnEquals", [arn], [arn]));
  assert.ok(!conditionHolds("ArnLike", [arn], ["arn:aws:elasticache:*:222222222222:*"]));
  assert.ok(conditionHolds("ArnNotLike", [arn], ["arn:aws:elasticache:*:222222222222:*"]));
  assert.ok(!conditionHolds("ArnLike", ["not-an-arn"], ["*"]));
});

test("Numeric and Date operators compare values, not text", () => {
  assert.ok(conditionHolds("NumericLessThan", ["9"], ["10"]));
  assert.ok(!conditionHolds("NumericGreaterThanEquals", ["9"], ["10"]));
  assert.ok(conditionHolds("NumericNotEquals", ["3"], ["4"]));
  assert.ok(!conditionHolds("NumericEquals", ["abc"], ["0"]));
  assert.ok(conditionHolds("DateLessThan", ["2026-01-01T00:00:00Z"], ["2026-06-01T00:00:00Z"]));
  assert.ok(conditionHolds("DateGreaterThan", ["1767225600"], ["2025-01-01T00:00:00Z"]), "epoch seconds");
  assert.ok(conditionHolds("DateNotEquals", ["2026-01-01T00:00:00Z"], ["2026-01-02T00:00:00Z"]));
});

test("Null tests presence; IpAddress matches CIDR blocks, IPv4-mapped addresses included", () => {
  assert.ok(conditionHolds("Null", undefined, ["true"]));
  assert.ok(!conditionHolds("Null", ["x"], ["true"]));
  assert.ok(conditionHolds("Null", ["x"], ["false"]));
  assert.ok(conditionHolds("IpAddress", ["127.0.0.1"], ["127.0.0.0/8"]));
  assert.ok(conditionHolds("IpAddress", ["::ffff:127.0.0.1"], ["127.0.0.1/32"]));
  assert.ok(!conditionHolds("IpAddress", ["10.1.2.3"], ["127.0.0.0/8"]));
  assert.ok(conditionHolds("NotIpAddress", ["10.1.2.3"], ["127.0.0.0/8"]));
  assert.ok(conditionHolds("IpAddress", ["::1"], ["::1/128"]));
});

test("set qualifiers: ForAnyValue needs one value in the set, ForAllValues every value (and holds when absent)", () => {
  assert.ok(conditionHolds("ForAnyValue:StringEquals", ["a", "b"], ["b", "c"]));
  assert.ok(!conditionHolds("ForAnyValue:StringEquals", ["a"], ["b", "c"]));
  assert.ok(!conditionHolds("ForAnyValue:StringEquals", undefined, ["b"]));
  assert.ok(conditionHolds("ForAllValues:StringLike", ["app-1", "app-2"], ["app-*"]));
  assert.ok(!conditionHolds("ForAllValues:StringLike", ["app-1", "db"], ["app-*"]));
  assert.ok(conditionHolds("ForAllValues:StringEquals", undefined, ["x"]));
});

test("IfExists passes when the key is absent; negated operators pass on absent keys, positive ones fail", () => {
  assert.ok(conditionHolds("StringEqualsIfExists", undefined, ["x"]));
  assert.ok(!conditionHolds("StringEquals", undefined, ["x"]));
  assert.ok(conditionHolds("StringNotEquals", undefined, ["x"]));
  assert.ok(!conditionHolds("NumericLessThanIfExists", ["20"], ["10"]));
});

test("a Deny with ArnLike or ForAnyValue:StringEquals applies", () => {
  const withDeny = (Condition: Record<string, Record<string, string | string[]>>): PolicyDocument => ({
    Statement: [
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Effect: "Deny", Action: "elasticache:*", Resource: "*", Condition },
    ],
  });
  const request = {
    action: "elasticache:DeleteCacheCluster",
    resource: arn,
    context: { "aws:PrincipalArn": "arn:aws:iam::111111111111:user/dev", "aws:TagKeys": ["env", "team"] },
  };
  const arnDeny = withDeny({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:user/*" } });
  assert.equal(evaluate([arnDeny], request), "Deny");
  const setDeny = withDeny({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["team"] } });
  assert.equal(evaluate([setDeny], request), "Deny");
  const otherSet = withDeny({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["owner"] } });
  assert.equal(evaluate([otherSet], request), "Allow");
});

test("operators the evaluator does not know are named as problems", () => {
  assert.equal(conditionOperatorProblem("StringEquals"), undefined);
  assert.equal(conditionOperatorProblem("ForAllValues:ArnLikeIfExists"), undefined);
  assert.match(
    conditionOperatorProblem("StringMatches") ?? "",
    /StringMatches.*not one the local cloud evaluates/,
  );
  assert.match(conditionOperatorProblem("NullIfExists") ?? "", /Null takes no IfExists/);
  assert.ok(conditionOperatorProblem("ForSomeValues:StringEquals"));
});
