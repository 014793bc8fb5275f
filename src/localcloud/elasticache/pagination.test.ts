import assert from "node:assert/strict";
import { test } from "node:test";
import { AwsError } from "../protocol/errors.ts";
import { paginate } from "./pagination.ts";

test("pages follow markers to the end and refuse out-of-range MaxRecords or forged markers", () => {
  const all = Array.from({ length: 45 }, (_, i) => i);
  const first = paginate(all, { MaxRecords: 20 });
  assert.deepEqual(first.items, all.slice(0, 20));
  const second = paginate(all, { MaxRecords: 20, Marker: first.marker as string });
  const third = paginate(all, { MaxRecords: 20, Marker: second.marker as string });
  assert.deepEqual(third.items, [40, 41, 42, 43, 44]);
  assert.equal(third.marker, undefined);
  assert.equal(paginate(all, {}).items.length, 45);
  assert.throws(
    () => paginate(all, { MaxRecords: 5 }),
    (e: unknown) => e instanceof AwsError && e.code === "InvalidParameterValue",
  );
  assert.throws(() => paginate(all, { Marker: "garbage" }), /Invalid Marker/);
});
