import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "./fake-clock.ts";
import { TokenBucket } from "./rate-limit.ts";

test("a burst goes at once, then requests are spaced at qps; a quiet time refills the burst", async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ qps: 10, burst: 3 }, clock);
  assert.deepEqual(
    Array.from({ length: 6 }, () => bucket.reserve()),
    [0, 0, 0, 100, 200, 300],
  );
  await clock.advance(300);
  assert.equal(bucket.reserve(), 100, "the queue ahead is still waiting");
  await clock.advance(10_000);
  assert.deepEqual(
    Array.from({ length: 4 }, () => bucket.reserve()),
    [0, 0, 0, 100],
    "refilled to the burst, not beyond",
  );
});

test("qps 0 is unlimited", () => {
  const bucket = new TokenBucket({ qps: 0, burst: 1 }, new FakeClock());
  for (let i = 0; i < 1000; i++) assert.equal(bucket.reserve(), 0);
});

test("take() waits its turn on the clock", async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ qps: 2, burst: 1 }, clock);
  await bucket.take();
  let done = false;
  const second = bucket.take().then(() => {
    done = true;
  });
  await Promise.resolve();
  assert.equal(done, false);
  await clock.advance(500);
  await second;
  assert.equal(done, true);
});
