import assert from "node:assert/strict";
import { test } from "node:test";

import {
  evenSlotRanges,
  parseClusterNodes,
  planAssignment,
  planRebalance,
  slotCount,
  slotOwners,
  slotsToRanges,
} from "./slot-plan.ts";

function ownersFrom(ranges: [string, number, number][]): (string | undefined)[] {
  const owners: (string | undefined)[] = new Array(slotCount).fill(undefined);
  for (const [id, start, end] of ranges) for (let s = start; s <= end; s++) owners[s] = id;
  return owners;
}

function apply(owners: (string | undefined)[], moves: ReturnType<typeof planRebalance>) {
  const result = [...owners];
  for (const move of moves) {
    assert.equal(result[move.slot], move.from, `slot ${move.slot} moved from its real owner`);
    result[move.slot] = move.to;
  }
  return result;
}

function counts(owners: (string | undefined)[]): Map<string | undefined, number> {
  const map = new Map<string | undefined, number>();
  for (const owner of owners) map.set(owner, (map.get(owner) ?? 0) + 1);
  return map;
}

test("even ranges cover all slots without gaps, sizes differ by at most one", () => {
  for (const shards of [1, 2, 3, 4, 5, 7, 90]) {
    const ranges = evenSlotRanges(shards);
    assert.equal(ranges.length, shards);
    assert.equal(ranges[0]?.[0], 0);
    assert.equal(ranges.at(-1)?.[1], slotCount - 1);
    for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i]?.[0], (ranges[i - 1]?.[1] ?? 0) + 1);
    const sizes = ranges.map(([a, b]) => b - a + 1);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  }
  assert.deepEqual(evenSlotRanges(3), [
    [0, 5461],
    [5462, 10922],
    [10923, 16383],
  ]);
});

test("slot lists compress to ranges", () => {
  assert.deepEqual(slotsToRanges([5, 1, 2, 3, 9, 10]), [
    [1, 3],
    [5, 5],
    [9, 10],
  ]);
  assert.deepEqual(slotsToRanges([]), []);
});

test("adding a fourth shard moves only its share", () => {
  const owners = ownersFrom([
    ["a", 0, 5461],
    ["b", 5462, 10922],
    ["c", 10923, 16383],
  ]);
  const moves = planRebalance(owners, ["a", "b", "c", "d"]);
  assert.equal(moves.length, 4096);
  assert.ok(moves.every((m) => m.to === "d"));
  const after = counts(apply(owners, moves));
  assert.deepEqual([...after.values()].sort(), [4096, 4096, 4096, 4096]);
});

test("draining shards gives their slots to the remaining ones, evenly", () => {
  const owners = ownersFrom([
    ["a", 0, 4095],
    ["b", 4096, 8191],
    ["c", 8192, 12287],
    ["d", 12288, 16383],
  ]);
  const moves = planRebalance(owners, ["a", "c"]);
  assert.equal(moves.length, 8192);
  const after = counts(apply(owners, moves));
  assert.equal(after.get("a"), 8192);
  assert.equal(after.get("c"), 8192);
  assert.equal(after.get("b"), undefined);
});

test("unassigned slots are assigned; a balanced cluster needs no moves", () => {
  const owners = ownersFrom([["a", 0, 8191]]);
  const moves = planRebalance(owners, ["a", "b"]);
  assert.ok(moves.every((m) => m.from === undefined && m.to === "b"));
  const balanced = apply(owners, moves);
  assert.deepEqual(planRebalance(balanced, ["a", "b"]), []);
});

test("the shard list must not repeat a primary", () => {
  assert.throws(() => planRebalance([], ["a", "a"]), /twice/);
});

test("CLUSTER NODES lines parse into nodes, roles and slots", () => {
  const text = [
    "07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004,hostname4 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected",
    "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001,hostname1 myself,master - 0 0 1 connected 0-5460 5462 [5463->-abc]",
    "",
  ].join("\n");
  const entries = parseClusterNodes(text);
  assert.equal(entries.length, 2);
  assert.equal(entries[0]?.primaryId, "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
  assert.equal(entries[0]?.port, 30004);
  assert.deepEqual(entries[1]?.flags, ["myself", "master"]);
  assert.deepEqual(entries[1]?.slots, [
    [0, 5460],
    [5462, 5462],
  ]);
  const owners = slotOwners(entries);
  assert.equal(owners[5462], "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
  assert.equal(owners[5461], undefined);
});

test("an explicit layout moves exactly the slots a shard should own but does not", () => {
  const owners = ownersFrom([
    ["a", 0, 8191],
    ["b", 8192, 16383],
  ]);
  const moves = planAssignment(owners, [
    { id: "a", slots: [[0, 999]] },
    { id: "b", slots: [[1000, 16383]] },
  ]);
  assert.equal(moves.length, 8192 - 1000);
  const after = apply(owners, moves);
  assert.deepEqual(
    counts(after),
    new Map([
      ["a", 1000],
      ["b", 15384],
    ]),
  );
});
