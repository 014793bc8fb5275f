import assert from "node:assert/strict";
import { test } from "node:test";
import { memberId, nextMemberIndex, slotRanges } from "./topology.ts";

test("slot ranges cover 0-16383 evenly without gaps", () => {
  assert.deepEqual(slotRanges(1), ["0-16383"]);
  assert.deepEqual(slotRanges(3), ["0-5460", "5461-10921", "10922-16383"]);
});

test("member names follow AWS: <rg>-001 or <rg>-0001-001", () => {
  assert.equal(memberId({ id: "orders", clusterMode: false }, "0001", 2), "orders-002");
  assert.equal(memberId({ id: "orders", clusterMode: true }, "0003", 1), "orders-0003-001");
  assert.equal(nextMemberIndex({ id: "0001", primary: "o-001", members: ["o-001", "o-003"] }), 4);
});
