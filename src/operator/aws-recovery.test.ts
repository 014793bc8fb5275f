import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "../kube/fake-clock.ts";
import { AwsRecovery } from "./aws-recovery.ts";

function setup(options: { batchSize?: number } = {}) {
  const clock = new FakeClock();
  const enqueued: string[] = [];
  const forgotten: string[] = [];
  const recovery = new AwsRecovery({
    enqueue: (k) => enqueued.push(k),
    forget: (k) => forgotten.push(k),
    clock,
    probeIntervalMs: 2_000,
    batchPauseMs: 100,
    random: () => 0.5, // every probe 2.25 s after the last: the counts below are exact
    ...options,
  });
  return { clock, enqueued, forgotten, recovery };
}

test("while a provider's AWS does not answer, one waiting key is sent as a canary every ~2 s", async () => {
  const { clock, enqueued, recovery } = setup();
  recovery.waiting("ns/aws", "ns/a");
  recovery.waiting("ns/aws", "ns/b");
  await clock.advance(3_000);
  assert.deepEqual(enqueued, ["ns/a"], "one canary, not every key");
  await clock.advance(3_000);
  assert.deepEqual(enqueued, ["ns/a", "ns/a"]);
  recovery.stop();
});

test("the first answer releases every key waiting on that provider at once, backoff forgotten", async () => {
  const { clock, enqueued, forgotten, recovery } = setup();
  for (const k of ["ns/a", "ns/b", "ns/c"]) recovery.waiting("ns/aws", k);
  recovery.waiting("ns/other", "ns/x");
  recovery.answered("ns/aws", "ns/a");
  assert.deepEqual(enqueued, ["ns/b", "ns/c"], "released without waiting for any timer");
  assert.deepEqual(forgotten, ["ns/b", "ns/c"]);
  assert.deepEqual(recovery.waitingOn("ns/aws"), []);
  assert.deepEqual(recovery.waitingOn("ns/other"), ["ns/x"], "other providers keep waiting");
  await clock.advance(10_000);
  assert.deepEqual(
    enqueued.filter((k) => k !== "ns/x"),
    ["ns/b", "ns/c"],
    "no canary for a provider that answered",
  );
  recovery.stop();
});

test("a large release is paced in batches", async () => {
  const { clock, enqueued, recovery } = setup({ batchSize: 2 });
  for (const k of ["a", "b", "c", "d", "e"]) recovery.waiting("p", k);
  recovery.answered("p", "a");
  assert.deepEqual(enqueued, ["b", "c"]);
  await clock.advance(100);
  assert.deepEqual(enqueued, ["b", "c", "d", "e"]);
  recovery.stop();
});

test("an answer for a provider nothing waits on does nothing; a dropped key stops the canary", async () => {
  const { clock, enqueued, recovery } = setup();
  recovery.answered("p", "a");
  recovery.waiting("p", "gone");
  recovery.drop("gone");
  await clock.advance(10_000);
  assert.deepEqual(enqueued, []);
  assert.equal(clock.pendingTimers(), 0);
});
