import assert from "node:assert/strict";
import { test } from "node:test";
import { tokenDigest } from "../engines/redis-config.ts";
import { AwsError } from "../protocol/errors.ts";
import { applyTokenStrategy, checkTagLimit, rejectUnsupported } from "./shared-rules.ts";

const t1 = "first-token-1234567";
const t2 = "second-token-123456";

test("ROTATE keeps the current token beside the new one; SET keeps only the new; DELETE removes (as digests)", () => {
  const [d1, d2] = [tokenDigest(t1), tokenDigest(t2)];
  assert.deepEqual(applyTokenStrategy([d1], true, { AuthToken: t2, AuthTokenUpdateStrategy: "ROTATE" }), [
    d1,
    d2,
  ]);
  assert.deepEqual(applyTokenStrategy([d1, d2], true, { AuthToken: t2, AuthTokenUpdateStrategy: "SET" }), [
    d2,
  ]);
  assert.deepEqual(applyTokenStrategy([d2], true, { AuthTokenUpdateStrategy: "DELETE" }), []);
});

test("token changes need transit encryption, a token for ROTATE/SET and none for DELETE", () => {
  const code = (c: string) => (e: unknown) => e instanceof AwsError && e.code === c;
  assert.throws(() => applyTokenStrategy([], false, { AuthToken: t1 }), code("InvalidParameterCombination"));
  assert.throws(
    () => applyTokenStrategy([t1], true, { AuthTokenUpdateStrategy: "ROTATE" }),
    code("InvalidParameterValue"),
  );
  assert.throws(
    () => applyTokenStrategy([t1], true, { AuthToken: t2, AuthTokenUpdateStrategy: "DELETE" }),
    code("InvalidParameterCombination"),
  );
});

test("more than 50 tags is TagQuotaPerResourceExceeded", () => {
  const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
  assert.throws(
    () => checkTagLimit(tags),
    (e: unknown) => e instanceof AwsError && e.code === "TagQuotaPerResourceExceeded",
  );
});

test("unsupported parameters are refused by name unless empty or false", () => {
  assert.throws(
    () => rejectUnsupported({ UserGroupIds: ["g1"] }, ["UserGroupIds"]),
    /UserGroupIds is not supported/,
  );
  rejectUnsupported({ UserGroupIds: [], DataTieringEnabled: false }, ["UserGroupIds", "DataTieringEnabled"]);
});
