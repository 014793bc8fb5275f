import assert from "node:assert/strict";
import { test } from "node:test";
import { FairQueue } from "./fair-queue.ts";

const byNamespace = (key: string) => key.split("/")[0] ?? "";

test("without shards it is a FIFO", () => {
  const q = new FairQueue();
  for (const k of ["a", "b", "c"]) q.push(k);
  q.push("a");
  assert.equal(q.size, 3);
  assert.deepEqual([q.take(), q.take(), q.take(), q.take()], ["a", "b", "c", undefined]);
});

test("shards take turns: a shard with many keys does not push the others back", () => {
  const q = new FairQueue({ shardOf: byNamespace });
  for (const k of ["busy/1", "busy/2", "busy/3", "busy/4", "quiet/1", "other/1"]) q.push(k);
  const order = [1, 2, 3, 4, 5, 6].map(() => q.take());
  assert.deepEqual(order, ["busy/1", "quiet/1", "other/1", "busy/2", "busy/3", "busy/4"]);
});

test("a shard at its in-flight limit waits while other shards are served, and resumes on release", () => {
  const q = new FairQueue({ shardOf: byNamespace, maxInFlightPerShard: 1 });
  for (const k of ["slow/1", "slow/2", "fast/1", "fast/2"]) q.push(k);
  assert.equal(q.take(), "slow/1");
  assert.equal(q.take(), "fast/1");
  assert.equal(q.take(), undefined, "both shards are at their limit");
  assert.equal(q.takeable(), 0);
  assert.equal(q.size, 2);
  q.release("fast/1");
  assert.equal(q.takeable(), 1);
  assert.equal(q.take(), "fast/2", "slow/2 is held back while slow/1 is in flight");
  q.release("slow/1");
  assert.equal(q.take(), "slow/2");
});

test("a key's shard is fixed when it is pushed (release counts against the right shard)", () => {
  const shards = new Map([["k", "a"]]);
  const q = new FairQueue({ shardOf: (k) => shards.get(k) ?? "", maxInFlightPerShard: 1 });
  q.push("k");
  assert.equal(q.take(), "k");
  shards.set("k", "b");
  q.release("k");
  shards.set("other-in-a", "a");
  q.push("other-in-a");
  assert.equal(q.take(), "other-in-a", "shard a was released");
});

test("a throwing shard function puts the key in the default shard", () => {
  const q = new FairQueue({
    shardOf: () => {
      throw new Error("no such object");
    },
  });
  q.push("x");
  assert.equal(q.take(), "x");
});

test("clearReady drops ready keys and keeps in-flight counts", () => {
  const q = new FairQueue({ shardOf: byNamespace, maxInFlightPerShard: 1 });
  q.push("a/1");
  q.push("a/2");
  assert.equal(q.take(), "a/1");
  q.clearReady();
  assert.equal(q.size, 0);
  q.push("a/3");
  assert.equal(q.take(), undefined, "a/1 is still in flight");
  q.release("a/1");
  assert.equal(q.take(), "a/3");
});
