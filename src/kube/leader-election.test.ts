import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LeaderElector, microTime } from "./leader-election.ts";
import { coreResources } from "./resource.ts";
import type { KubeObject } from "./rest.ts";
import { type KubeTestEnv, kubeTestEnv, waitFor } from "./test-env.ts";

let env: KubeTestEnv;
before(async () => {
  env = await kubeTestEnv("kit-lease");
});
after(async () => {
  await env?.close();
});

interface Candidate {
  elector: LeaderElector;
  events: string[];
  running: Promise<void>;
}

function candidate(
  name: string,
  id: string,
  timing: { leaseDurationMs: number; renewDeadlineMs: number; monotonicNow?: () => number },
): Candidate {
  const events: string[] = [];
  const elector = new LeaderElector({
    rest: env.rest,
    namespace: env.namespace,
    name,
    identity: id,
    retryPeriodMs: 200,
    ...timing,
    onStartedLeading: (signal) => {
      events.push("started");
      signal.addEventListener("abort", () => events.push("signal aborted"));
    },
    onStoppedLeading: () => events.push("stopped"),
  });
  return { elector, events, running: elector.run() };
}

async function holderOf(name: string): Promise<string | undefined> {
  const lease = await env.rest.get<KubeObject & { spec?: { holderIdentity?: string } }>(
    coreResources.leases,
    {
      namespace: env.namespace,
      name,
    },
  );
  return lease.spec?.holderIdentity;
}

test("microTime has six fractional digits", () => {
  assert.equal(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), "2026-01-02T03:04:05.678000Z");
});

test("one of two candidates leads; releasing hands over long before the lease would expire", async () => {
  // A 60 s lease: the successor can only take over within the wait below because of the release.
  const timing = { leaseDurationMs: 60_000, renewDeadlineMs: 10_000 };
  const a = candidate("handover", "a", timing);
  const b = candidate("handover", "b", timing);
  try {
    await waitFor("a leader", () => a.elector.isLeader() || b.elector.isLeader());
    const [leader, follower] = a.elector.isLeader() ? [a, b] : [b, a];
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(follower.elector.isLeader(), false, "never two leaders");
    assert.equal(await holderOf("handover"), leader.elector.identity);
    assert.equal(follower.elector.observedLeader(), leader.elector.identity);

    await leader.elector.stop();
    assert.deepEqual(leader.events, ["started", "signal aborted", "stopped"]);
    await waitFor("the follower to take over", () => follower.elector.isLeader(), 20_000);
    assert.equal(await holderOf("handover"), follower.elector.identity);
  } finally {
    await Promise.all([a.elector.stop(), b.elector.stop()]);
  }
});

test("a leader that cannot renew loses leadership and says so", async () => {
  const a = candidate("stolen", "a", { leaseDurationMs: 3_000, renewDeadlineMs: 1_000 });
  try {
    await waitFor("a to lead", () => a.elector.isLeader());
    // Another party takes the Lease by force, with a long validity.
    const path = { namespace: env.namespace, name: "stolen" };
    const lease = await env.rest.get<KubeObject & { spec: Record<string, unknown> }>(
      coreResources.leases,
      path,
    );
    const now = microTime(Date.now());
    await env.rest.replace(coreResources.leases, {
      ...lease,
      spec: {
        ...lease.spec,
        holderIdentity: "thief",
        renewTime: now,
        acquireTime: now,
        leaseDurationSeconds: 600,
      },
    });
    await a.running;
    assert.equal(a.elector.isLeader(), false);
    assert.deepEqual(a.events, ["started", "signal aborted", "stopped"]);
    assert.equal(await holderOf("stolen"), "thief");
  } finally {
    await a.elector.stop();
  }
});

test("a paused leader's fence is closed the moment it wakes, before its renew loop runs", async () => {
  // A pause is time passing on the monotonic clock while nothing runs: skip it forward.
  let pausedMs = 0;
  const a = candidate("paused", "a", {
    leaseDurationMs: 60_000,
    renewDeadlineMs: 10_000,
    monotonicNow: () => performance.now() + pausedMs,
  });
  try {
    await waitFor("a to lead", () => a.elector.isLeader());
    assert.equal(a.elector.holdsLease(), true);
    pausedMs = 25_000;
    assert.equal(a.elector.holdsLease(), false, "the renewal is older than the renew deadline");
    assert.deepEqual(a.events, ["started", "signal aborted"], "the workers are told to stop at once");
    await a.running;
    assert.equal(a.elector.isLeader(), false);
    assert.equal(a.elector.holdsLease(), false);
    assert.deepEqual(a.events, ["started", "signal aborted", "stopped"]);
  } finally {
    await a.elector.stop();
  }
});

test("a leader that vanishes without releasing is replaced once its lease expires", async () => {
  const timing = { leaseDurationMs: 2_000, renewDeadlineMs: 1_500 };
  const a = candidate("expiry", "a", timing);
  await waitFor("a to lead", () => a.elector.isLeader());
  const b = candidate("expiry", "b", timing);
  try {
    await a.elector.stop({ release: false }); // a crash: the Lease still names a
    assert.equal(await holderOf("expiry"), "a");
    await waitFor("b to take over after expiry", () => b.elector.isLeader(), 20_000);
    assert.equal(await holderOf("expiry"), "b");
  } finally {
    await b.elector.stop();
  }
});
