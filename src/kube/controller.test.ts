import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Controller,
  done,
  type ReconcileRequest,
  type ReconcileResult,
  requeueAfter,
  TerminalError,
} from "./controller.ts";
import { createControllerMetrics } from "./controller-metrics.ts";
import { FakeClock, flushPromises } from "./fake-clock.ts";
import { Registry } from "./metrics.ts";

function setup(reconcile: (req: ReconcileRequest) => Promise<ReconcileResult>) {
  const clock = new FakeClock();
  const registry = new Registry();
  const metrics = createControllerMetrics(registry);
  const calls: string[] = [];
  const controller = new Controller({
    kind: "Thing",
    clock,
    metrics,
    workers: 2,
    backoff: { baseMs: 1_000, capMs: 8_000 },
    reconcile: async (req) => {
      calls.push(req.key);
      return reconcile(req);
    },
  });
  return { clock, registry, metrics, controller, calls };
}

test("done reconciles once and counts a success", async () => {
  const { controller, calls, metrics } = setup(async () => done);
  controller.enqueue("ns/a");
  controller.start();
  await flushPromises();
  assert.deepEqual(calls, ["ns/a"]);
  assert.equal(metrics.reconciles.get({ kind: "Thing", result: "success" }), 1);
  assert.equal(metrics.duration.get({ kind: "Thing" }).count, 1);
  await controller.stop();
});

test("the request carries namespace and name split from the key", async () => {
  const seen: Array<[string | undefined, string]> = [];
  const { controller } = setup(async (req) => {
    seen.push([req.namespace, req.name]);
    return done;
  });
  controller.start();
  controller.enqueue("ns/a");
  controller.enqueue("cluster-scoped");
  await flushPromises();
  assert.deepEqual(seen, [
    ["ns", "a"],
    [undefined, "cluster-scoped"],
  ]);
  await controller.stop();
});

test("requeueAfter looks again after the delay, never sooner than the minimum", async () => {
  let n = 0;
  const { controller, calls, clock, metrics } = setup(async () => (n++ === 0 ? requeueAfter(0) : done));
  controller.start();
  controller.enqueue("ns/a");
  await flushPromises();
  assert.equal(calls.length, 1);
  await clock.advance(999);
  assert.equal(calls.length, 1, "a requeue at 0 s is raised to the 1 s minimum");
  await clock.advance(1);
  assert.equal(calls.length, 2);
  assert.equal(metrics.reconciles.get({ kind: "Thing", result: "requeue" }), 1);
  await controller.stop();
});

test("errors retry with growing per-key backoff that resets on success", async () => {
  let failuresLeft = 3;
  const { controller, calls, clock, metrics } = setup(async () => {
    if (failuresLeft-- > 0) throw new Error("AWS said no");
    return done;
  });
  controller.start();
  controller.enqueue("ns/a");
  await flushPromises();
  assert.equal(calls.length, 1);
  await clock.advance(1_000);
  assert.equal(calls.length, 2, "first retry after 1 s");
  await clock.advance(1_999);
  assert.equal(calls.length, 2);
  await clock.advance(1);
  assert.equal(calls.length, 3, "second retry after 2 s");
  await clock.advance(4_000);
  assert.equal(calls.length, 4, "third retry after 4 s, which succeeds");
  assert.equal(controller.queue.numRequeues("ns/a"), 0, "success resets the backoff");
  assert.equal(metrics.reconciles.get({ kind: "Thing", result: "error" }), 3);
  assert.equal(metrics.reconciles.get({ kind: "Thing", result: "success" }), 1);
  await controller.stop();
});

test("a TerminalError is recorded and not retried until the key is queued again", async () => {
  let terminal = true;
  const { controller, calls, clock, metrics } = setup(async () => {
    if (terminal) throw new TerminalError("nodeType is not offered", "InvalidSpec");
    return done;
  });
  controller.start();
  controller.enqueue("ns/a");
  await flushPromises();
  await clock.advance(60 * 60_000);
  assert.equal(calls.length, 1, "no retry of a terminal error");
  assert.equal(controller.terminalError("ns/a")?.error.reason, "InvalidSpec");
  assert.equal(metrics.reconciles.get({ kind: "Thing", result: "terminal" }), 1);
  terminal = false;
  controller.enqueue("ns/a"); // the object changed
  await flushPromises();
  assert.equal(calls.length, 2);
  assert.equal(controller.terminalError("ns/a"), undefined);
  await controller.stop();
});

test("a key changed during its reconcile is reconciled again after, never concurrently", async () => {
  let active = 0;
  let maxActive = 0;
  const gates: Array<() => void> = [];
  const { controller, calls } = setup(async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((resolve) => gates.push(resolve));
    active--;
    return done;
  });
  controller.start();
  controller.enqueue("ns/a");
  await flushPromises();
  controller.enqueue("ns/a");
  controller.enqueue("ns/a");
  await flushPromises();
  assert.equal(calls.length, 1);
  gates.shift()?.();
  await flushPromises();
  assert.equal(calls.length, 2, "processed once more");
  gates.shift()?.();
  await flushPromises();
  assert.equal(calls.length, 2);
  assert.equal(maxActive, 1);
  await controller.stop();
});

test("queue depth is exported at scrape time", async () => {
  const { controller, registry } = setup(async () => done);
  controller.enqueue("ns/a");
  controller.enqueue("ns/b");
  assert.match(registry.render(), /infra_operator_workqueue_depth\{kind="Thing"\} 2\n/);
  controller.start();
  await flushPromises();
  assert.match(registry.render(), /infra_operator_workqueue_depth\{kind="Thing"\} 0\n/);
  await controller.stop();
});

test("stop waits for in-flight reconciles, then aborts them after the grace period", async () => {
  let aborted = false;
  const { controller, clock } = setup(
    (req) =>
      new Promise((resolve) => {
        req.signal.addEventListener("abort", () => {
          aborted = true;
          resolve(done);
        });
      }),
  );
  controller.start();
  controller.enqueue("ns/slow");
  await flushPromises();
  let stopped = false;
  const stopping = controller.stop(10_000).then(() => {
    stopped = true;
  });
  await clock.advance(9_999);
  assert.equal(stopped, false);
  assert.equal(aborted, false);
  await clock.advance(1);
  await stopping;
  assert.equal(aborted, true);
});

test("health reports a stalled reconcile", async () => {
  const { controller, clock } = setup(() => new Promise(() => {}));
  controller.start();
  controller.enqueue("ns/stuck");
  await flushPromises();
  assert.equal(controller.health(), undefined);
  await clock.advance(5 * 60_000 + 1);
  assert.match(controller.health() ?? "", /reconcile of ns\/stuck has been running for 300 s/);
});

test("a prompt stop leaves no timer behind", async () => {
  const { controller, clock } = setup(async () => done);
  controller.start();
  controller.enqueue("ns/a");
  await flushPromises();
  await controller.stop(30_000);
  assert.equal(clock.pendingTimers(), 0);
});

test("a reconcile past its deadline frees its worker, is retried only after it returns, and is reported only when stuck", async () => {
  const clock = new FakeClock();
  let release: () => void = () => {};
  const started: string[] = [];
  let hungSignal: AbortSignal | undefined;
  const controller = new Controller({
    kind: "Thing",
    clock,
    workers: 1,
    reconcileTimeoutMs: 10_000,
    stallAfterMs: 60_000,
    backoff: { baseMs: 1_000, capMs: 1_000 },
    reconcile: async (req) => {
      started.push(req.key);
      if (req.key === "ns/hung" && started.filter((k) => k === "ns/hung").length === 1) {
        hungSignal = req.signal;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return done;
    },
  });
  controller.enqueue("ns/hung");
  controller.start();
  await flushPromises();
  controller.enqueue("ns/other");
  await flushPromises();
  assert.deepEqual(started, ["ns/hung"], "one worker, busy");
  await clock.advance(10_000);
  await flushPromises();
  assert.equal(hungSignal?.aborted, true, "the deadline aborts the reconcile's signal");
  assert.deepEqual(started, ["ns/hung", "ns/other"], "the worker moved on at the deadline");
  await clock.advance(5_000);
  await flushPromises();
  assert.deepEqual(started, ["ns/hung", "ns/other"], "no second reconcile of a key still running");
  assert.equal(controller.health(), undefined, "a late reconcile is not yet a stuck operator");
  await clock.advance(60_000);
  assert.match(controller.health() ?? "", /ns\/hung has been running/);
  release();
  await flushPromises();
  await clock.advance(1_000);
  await flushPromises();
  assert.deepEqual(started, ["ns/hung", "ns/other", "ns/hung"], "retried once it returned");
  assert.equal(controller.health(), undefined);
  await controller.stop();
});
