import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock, flushPromises } from "./fake-clock.ts";
import { backoffDelay, jittered, WorkQueue } from "./workqueue.ts";

test("a key queued twice is handed out once, in FIFO order with others", async () => {
  const q = new WorkQueue({ clock: new FakeClock() });
  q.add("a");
  q.add("b");
  q.add("a");
  assert.equal(q.depth(), 2);
  assert.equal(await q.get(), "a");
  assert.equal(await q.get(), "b");
  assert.equal(q.depth(), 0);
});

test("a key added while processing is processed again once, after done", async () => {
  const q = new WorkQueue({ clock: new FakeClock() });
  q.add("a");
  const key = await q.get();
  assert.equal(key, "a");
  q.add("a");
  q.add("a");
  assert.equal(q.depth(), 0, "not handed to a second worker while in flight");
  q.done("a");
  assert.equal(q.depth(), 1);
  assert.equal(await q.get(), "a");
  q.done("a");
  assert.equal(q.depth(), 0);
});

test("a blocked get receives the next key", async () => {
  const q = new WorkQueue({ clock: new FakeClock() });
  const pending = q.get();
  q.add("x");
  assert.equal(await pending, "x");
  assert.equal(q.inFlight(), 1);
});

test("addAfter queues later and the earliest requested time wins", async () => {
  const clock = new FakeClock();
  const q = new WorkQueue({ clock });
  q.addAfter("a", 10_000);
  q.addAfter("a", 3_000);
  q.addAfter("a", 8_000);
  assert.equal(q.waitingCount(), 1);
  await clock.advance(2_999);
  assert.equal(q.depth(), 0);
  await clock.advance(1);
  assert.equal(q.depth(), 1);
  await clock.advance(20_000);
  assert.equal(q.depth(), 1, "the later requests were merged, not queued again");
});

test("per-key exponential backoff grows to the cap and resets on forget", () => {
  const clock = new FakeClock();
  const q = new WorkQueue({ clock, baseMs: 100, capMs: 1_000 });
  const delays = [1, 2, 3, 4, 5, 6].map(() => q.addRateLimited("a"));
  assert.deepEqual(delays, [100, 200, 400, 800, 1_000, 1_000]);
  assert.equal(q.numRequeues("a"), 6);
  assert.equal(q.addRateLimited("b"), 100, "other keys have their own count");
  q.forget("a");
  assert.equal(q.addRateLimited("a"), 100);
});

test("backoffDelay never overflows", () => {
  assert.equal(backoffDelay(10_000, 1_000, 60_000), 60_000);
  assert.equal(backoffDelay(0, 1_000, 60_000), 0);
});

test("shutdown drops pending work, releases getters and waits for in-flight keys", async () => {
  const clock = new FakeClock();
  const q = new WorkQueue({ clock });
  q.add("busy");
  q.add("pending");
  q.addAfter("later", 5_000);
  assert.equal(await q.get(), "busy");
  const blocked = q.get();
  assert.equal(await blocked, "pending");
  const blocked2 = q.get();
  let stopped = false;
  const stopping = q.shutdown().then(() => {
    stopped = true;
  });
  assert.equal(await blocked2, undefined);
  await flushPromises();
  assert.equal(stopped, false, "in-flight keys still running");
  q.done("busy");
  await flushPromises();
  assert.equal(stopped, false);
  q.done("pending");
  await stopping;
  assert.equal(stopped, true);
  assert.equal(clock.pendingTimers(), 0, "scheduled requeues cancelled");
  q.add("new");
  assert.equal(q.depth(), 0, "nothing accepted after shutdown");
  assert.equal(await q.get(), undefined);
});

test("jittered spreads a delay over 50-100 % of it, never beyond", () => {
  assert.equal(
    jittered(2_000, () => 0),
    1_000,
  );
  assert.equal(jittered(2_000, () => 0.999_999) <= 2_000, true);
  for (let i = 0; i < 100; i++) {
    const d = jittered(2_000);
    assert.ok(d >= 1_000 && d <= 2_000, String(d));
  }
});

test("with shards, a blocked get is served from another shard while one is at its limit", async () => {
  const q = new WorkQueue({
    clock: new FakeClock(),
    shardOf: (k) => k.split("/")[0] ?? "",
    maxInFlightPerShard: 1,
  });
  q.add("hung/a");
  q.add("hung/b");
  assert.equal(await q.get(), "hung/a");
  const waiting = q.get();
  q.add("ok/a");
  assert.equal(await waiting, "ok/a", "the second worker is not held by the hung shard");
  assert.equal(q.depth(), 1);
  assert.equal(q.takeableDepth(), 0, "hung/b waits for its own shard only");
  const next = q.get();
  q.done("hung/a");
  assert.equal(await next, "hung/b", "a worker blocked in get takes the key once its shard is free");
});
