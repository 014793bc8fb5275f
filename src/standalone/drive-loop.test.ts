// The CLI's one loop with a scripted adapter: waiting, the first-step flag, release, what needs the
// user, and polls. (Each kind's adapter is tested in drive-cluster.test.ts and test/cli/.)
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type DriveAdapter, type DriveLoopOptions, type DriveStep, driveLoop } from "./drive-loop.ts";
import { StateStore } from "./state-store.ts";

interface Status {
  ready?: boolean;
  conditions?: Array<{ type: string; status: string; reason: string; message: string }>;
}

const step = (over: Partial<DriveStep<Status>> = {}): DriveStep<Status> => ({
  status: {},
  events: [],
  release: false,
  backoff: false,
  done: false,
  needsUser: false,
  submitted: false,
  phase: "Creating",
  awsStatus: "creating",
  ...over,
});

describe("driveLoop", () => {
  const dir = mkdtempSync(join(tmpdir(), "drive-loop-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (
    script: {
      waiting?: Array<string | undefined>;
      steps: Array<DriveStep<Status>>;
    },
    over: Partial<DriveLoopOptions> = {},
  ) => {
    const store = new StateStore(dir);
    const stored = store.prepare({
      apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
      kind: "ElastiCacheSubnetGroup",
      name: `o-${Math.random().toString(36).slice(2)}`,
      namespace: "default",
      spec: {},
      now: new Date(),
    });
    let clock = 1_000_000;
    const sleeps: number[] = [];
    const firsts: boolean[] = [];
    const phases: string[] = [];
    let w = 0;
    let s = 0;
    const adapter: DriveAdapter<Status> = {
      waiting: () => {
        const message = script.waiting?.[w++];
        return message === undefined ? undefined : { phase: "WaitingForReference", message };
      },
      step: async (_status, first) => {
        firsts.push(first);
        return script.steps[Math.min(s++, script.steps.length - 1)] as DriveStep<Status>;
      },
      awsStatus: () => "-",
      releasedMessage: "subnet group deleted",
      defaultPollMs: 2000,
      maxPollMs: 5000,
    };
    const promise = driveLoop(
      {
        store,
        stored,
        deleting: false,
        wait: true,
        deadline: clock + 600_000,
        onProgress: (p) => phases.push(p.phase),
        now: () => clock,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
        ...over,
      },
      adapter,
    );
    return { promise, sleeps, firsts, phases, store, stored };
  };

  it("waits for references without counting them as steps, then steps to Ready", async () => {
    const r = run({
      waiting: ["parameter group pg is not Ready", "parameter group pg is not Ready"],
      steps: [step({ requeueAfterMs: 30_000 }), step({ done: true, status: { ready: true } })],
    });
    const outcome = await r.promise;
    assert.deepEqual(outcome, { ok: true, message: "Ready", status: { ready: true }, released: false });
    assert.deepEqual(r.firsts, [true, false], "only the first step is first");
    assert.deepEqual(r.sleeps, [1000, 1000, 5000], "waits poll every second; a step's poll is capped");
    assert.deepEqual(r.phases, ["WaitingForReference", "WaitingForReference", "Creating", "Ready"]);
    assert.equal(
      r.store.get("ElastiCacheSubnetGroup", "default", r.stored.metadata.name)?.status?.ready,
      true,
    );
  });

  it("a released object leaves the state dir, with the step's message or the adapter's", async () => {
    const r = run({ steps: [step({ release: true })] }, { deleting: true });
    const outcome = await r.promise;
    assert.equal(outcome.released, true);
    assert.equal(outcome.message, "subnet group deleted");
    assert.equal(r.store.get("ElastiCacheSubnetGroup", "default", r.stored.metadata.name), undefined);
    const kept = run({ steps: [step({ release: true, releasedMessage: "retained" })] }, { deleting: true });
    assert.equal((await kept.promise).message, "retained");
  });

  it("stops on what needs the user with the Synced condition's reason and message", async () => {
    const conditions = [
      { type: "Ready", status: "False", reason: "Creating", message: "creating" },
      { type: "Synced", status: "False", reason: "AWSRejected", message: "subnet-1 does not exist" },
    ];
    const r = run({ steps: [step({ needsUser: true, status: { conditions } })] });
    const outcome = await r.promise;
    assert.equal(outcome.ok, false);
    assert.equal(outcome.message, "AWSRejected: subnet-1 does not exist");
    assert.deepEqual(r.sleeps, []);
  });

  it("without wait, stops once a change is submitted", async () => {
    const r = run({ steps: [step({ submitted: true })] }, { wait: false });
    assert.equal((await r.promise).message, "submitted (not waiting)");
  });

  it("a reference still missing at the deadline says what it waited for", async () => {
    const r = run(
      { waiting: Array(10).fill("user group ug is not Ready"), steps: [step()] },
      { deadline: 1_000_000 + 2500 },
    );
    const outcome = await r.promise;
    assert.equal(outcome.ok, false);
    assert.match(outcome.message, /user group ug is not Ready \(timed out waiting\)$/);
  });
});
