// The driver's loop over the shared step, with a scripted gateway: when it sleeps, when it stops,
// and what it keeps in the state dir. (The real thing runs against the local cloud in test/cli/.)
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { ElastiCacheCluster } from "../api/objects.ts";
import { CloudError } from "../aws/errors.ts";
import type { Action, ObservedCache } from "../planner/model.ts";
import { observedFor, spec } from "../planner/testing.ts";
import type { CacheGateway } from "../reconcile/cache-gateway.ts";
import { type DriveOptions, driveCluster } from "./drive-cluster.ts";
import { StateStore } from "./state-store.ts";

const s = spec({ clusterID: "drive-test" });
const cluster = {
  apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
  kind: "ElastiCacheCluster",
  metadata: { name: "c", namespace: "default" },
  spec: s,
} as ElastiCacheCluster;

/** Answers observe() from a script (the last entry repeats); records executed actions. */
function scripted(observations: Array<ObservedCache | undefined | Error>, failExecute?: Error) {
  const executed: Action[] = [];
  let i = 0;
  const gateway: CacheGateway = {
    observe: async () => {
      const next = observations[Math.min(i++, observations.length - 1)];
      if (next instanceof Error) throw next;
      return next;
    },
    listTags: async () => ({}),
    execute: async (action) => {
      if (failExecute) throw failExecute;
      executed.push(action);
    },
  };
  return { gateway, executed };
}

describe("driveCluster", () => {
  const dir = mkdtempSync(join(tmpdir(), "drive-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (gateway: CacheGateway, overrides: Partial<DriveOptions> = {}) => {
    const store = new StateStore(dir);
    const stored = store.prepare({
      apiVersion: cluster.apiVersion,
      kind: "ElastiCacheCluster",
      name: `c-${Math.random().toString(36).slice(2)}`,
      namespace: "default",
      spec: s as Record<string, unknown>,
      now: new Date(),
    });
    const sleeps: number[] = [];
    let clock = 1_000_000;
    const promise = driveCluster({
      store,
      stored,
      cluster,
      gateway,
      defaultTags: {},
      deleting: false,
      wait: true,
      deadline: clock + 600_000,
      rotationGraceSeconds: 60,
      onProgress: () => {},
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      ...overrides,
    });
    return { promise, sleeps, store, stored };
  };

  it("creates, waits while AWS says creating, and stops at Ready with the status stored", async () => {
    const creating = observedFor(s, { status: "creating" });
    const available = observedFor(s);
    const { gateway, executed } = scripted([creating, creating, available]);
    const { promise, sleeps, store, stored } = run(gateway);
    const outcome = await promise;
    assert.equal(outcome.ok, true);
    assert.deepEqual(
      executed.map((a) => a.type),
      ["create"],
    );
    assert.ok(sleeps.length >= 2);
    assert.ok(
      sleeps.every((ms) => ms <= 10_000),
      "polls at most every 10 s",
    );
    const kept = store.get("ElastiCacheCluster", "default", stored.metadata.name);
    assert.equal(kept?.status?.ready, true);
    assert.equal(kept?.events?.[0]?.reason, "Creating");
  });

  it("returns right after the create call with wait=false", async () => {
    const { gateway, executed } = scripted([undefined]);
    const { promise, sleeps } = run(gateway, { wait: false });
    const outcome = await promise;
    assert.equal(outcome.ok, true);
    assert.equal(outcome.message, "submitted (not waiting)");
    assert.deepEqual(
      executed.map((a) => a.type),
      ["create"],
    );
    assert.deepEqual(sleeps, []);
  });

  it("stops at once on what only the user can fix, with the Synced message", async () => {
    const rejected = new CloudError({
      kind: "Terminal",
      code: "CacheSubnetGroupNotFoundFault",
      action: "CreateCacheCluster",
      message: "subnet group x not found",
    });
    const { gateway } = scripted([undefined], rejected);
    const { promise, sleeps } = run(gateway);
    const outcome = await promise;
    assert.equal(outcome.ok, false);
    assert.match(
      outcome.message,
      /^AWSRejected: AWS rejected CreateCacheCluster \(CacheSubnetGroupNotFoundFault\)/,
    );
    assert.deepEqual(sleeps, []);
  });

  it("retries unreachable AWS with doubling backoff, then gives up", async () => {
    const unreachable = new CloudError({
      kind: "Unreachable",
      code: "ECONNREFUSED",
      action: "DescribeCacheClusters",
      message: "connection refused",
    });
    const { gateway } = scripted([undefined], unreachable);
    const { promise, sleeps } = run(gateway);
    const outcome = await promise;
    assert.equal(outcome.ok, false);
    assert.match(outcome.message, /AWSUnreachable: .*gave up after 7 failed attempts/);
    assert.deepEqual(sleeps, [1000, 2000, 4000, 8000, 16_000, 30_000]);
  });

  it("gives up at the deadline and says how to resume", async () => {
    const { gateway } = scripted([undefined, observedFor(s, { status: "creating" })]);
    const { promise } = run(gateway, { deadline: 1_000_000 + 3000 });
    const outcome = await promise;
    assert.equal(outcome.ok, false);
    assert.match(
      outcome.message,
      /timed out waiting \(raise --timeout, or run the same command again to resume\)/,
    );
  });
});
