// The cluster step with a scripted gateway (no network): what it observes, the one action it
// performs, and the status, conditions and requeue it reports, as controller-runtime's and ACK's
// reconciler tests check theirs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CloudError } from "../aws/errors.ts";
import type { Action, ObservedCache, Topology } from "../planner/model.ts";
import { OWNER_TAG, UID_TAG } from "../planner/ownership.ts";
import { NOW, OWNER, observedFor, spec } from "../planner/testing.ts";
import { NO_TOKEN_FINGERPRINT } from "../planner/token-fingerprint.ts";
import type { CacheGateway } from "./cache-gateway.ts";
import { type ClusterStepInput, clusterStep } from "./cluster-step.ts";

/** A gateway that answers `observed` and records every call. */
function scripted(observed: ObservedCache | undefined, fail?: CloudError) {
  const calls: string[] = [];
  const executed: Action[] = [];
  const gateway: CacheGateway = {
    observe: async (id: string, topology: Topology) => {
      calls.push(`observe ${topology} ${id}`);
      return observed;
    },
    listTags: async (arn: string) => {
      calls.push(`listTags ${arn}`);
      return observed?.tags ?? {};
    },
    execute: async (action: Action) => {
      calls.push(`execute ${action.type}`);
      if (fail) throw fail;
      executed.push(action);
    },
  };
  return { gateway, calls, executed };
}

function input(gateway: CacheGateway, extra: Partial<ClusterStepInput> = {}): ClusterStepInput {
  return {
    owner: OWNER,
    generation: 1,
    spec: spec(),
    status: {},
    deleting: false,
    adopt: false,
    defaultTags: {},
    fingerprint: NO_TOKEN_FINGERPRINT,
    gateway,
    now: NOW,
    rotationGraceSeconds: 60,
    ...extra,
  };
}

const ownedTags = { [OWNER_TAG]: `${OWNER.namespace}/${OWNER.name}`, [UID_TAG]: OWNER.uid };

test("a new cluster: created without a look first (create answers AlreadyExists), Ready False Creating", async () => {
  const g = scripted(undefined);
  const r = await clusterStep(input(g.gateway));
  assert.deepEqual(g.calls, ["execute create"]);
  assert.equal(r.action.type, "create");
  assert.equal(r.status.ready, false);
  assert.equal(r.status.conditions?.find((c) => c.type === "Ready")?.status, "False");
  assert.equal(r.status.topology, "CacheCluster", "the topology is remembered for the next look");
  assert.ok(r.requeueAfterMs !== undefined && r.requeueAfterMs > 0);
  assert.equal(r.backoff, false);
});

test("created and available as asked: one look, Ready and Synced True, no call, no requeue", async () => {
  const s = spec();
  const g = scripted(observedFor(s, { tags: ownedTags }));
  const created = await clusterStep(input(scripted(undefined).gateway));
  const r = await clusterStep(input(g.gateway, { status: created.status }));
  assert.deepEqual(g.calls, [`observe CacheCluster ${s.clusterID}`]);
  assert.equal(r.action.type, "none");
  assert.equal(r.status.ready, true);
  assert.equal(r.status.conditions?.find((c) => c.type === "Synced")?.status, "True");
  assert.equal(r.requeueAfterMs, undefined);
  assert.equal(r.status.observedGeneration, 1);
});

test("a changed node type: exactly one modify", async () => {
  const s = spec();
  const created = await clusterStep(input(scripted(undefined).gateway));
  const g = scripted(observedFor(s, { tags: ownedTags, nodeType: "cache.t3.small" }));
  const r = await clusterStep(input(g.gateway, { status: created.status }));
  assert.deepEqual(
    g.calls.filter((c) => c.startsWith("execute")),
    ["execute modify"],
  );
  assert.equal(r.action.type, "modify");
});

test("AccessDenied: the Synced condition names the IAM action; no backoff, a retry in minutes", async () => {
  const denied = new CloudError({
    kind: "AccessDenied",
    code: "AccessDenied",
    action: "CreateCacheCluster",
    message: "not allowed",
  });
  const r = await clusterStep(input(scripted(undefined, denied).gateway));
  const synced = r.status.conditions?.find((c) => c.type === "Synced");
  assert.equal(synced?.reason, "AccessDenied");
  assert.match(synced?.message ?? "", /elasticache:CreateCacheCluster/);
  assert.equal(r.backoff, false);
  assert.ok((r.requeueAfterMs ?? 0) >= 60_000);
  assert.ok(r.events.some((e) => e.type === "Warning"));
});

test("throttled: retried with the controller's backoff", async () => {
  const throttled = new CloudError({
    kind: "Throttled",
    code: "Throttling",
    action: "CreateCacheCluster",
    message: "slow",
  });
  const r = await clusterStep(input(scripted(undefined, throttled).gateway));
  assert.equal(r.backoff, true);
});

test("deletion with Delete of an owned cluster: one delete, then released once gone", async () => {
  const s = spec();
  const created = await clusterStep(input(scripted(undefined).gateway));
  const g = scripted(observedFor(s, { tags: ownedTags }));
  const r = await clusterStep(input(g.gateway, { status: created.status, deleting: true }));
  assert.ok(g.calls.includes("execute delete"), g.calls.join(", "));
  assert.equal(r.release, false);
  const gone = await clusterStep(input(scripted(undefined).gateway, { status: r.status, deleting: true }));
  assert.equal(gone.release, true);
});

test("a cache of that ID not created by this object: the create finds it, refused, nothing changed", async () => {
  const s = spec();
  const exists = new CloudError({
    kind: "AlreadyExists",
    code: "CacheClusterAlreadyExists",
    action: "CreateCacheCluster",
    message: "exists",
  });
  const g = scripted(observedFor(s, { tags: { [OWNER_TAG]: "other/obj", [UID_TAG]: "uid-other" } }), exists);
  const r = await clusterStep(input(g.gateway));
  assert.deepEqual(
    g.calls.filter((c) => c.startsWith("execute")),
    ["execute create"],
    "only the create that found it",
  );
  assert.equal(r.status.ready, false);
  assert.match(JSON.stringify(r.status.conditions), /adopt/);
});
