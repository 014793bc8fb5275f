import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashTags } from "./hash.ts";
import { OWNER_TAG, RETAINED_TAG, UID_TAG } from "./ownership.ts";
import { plan } from "./plan.ts";
import { input, NOW, OWNER, observedFor, spec } from "./testing.ts";

const ownTags = { [OWNER_TAG]: "default/app-cache", [UID_TAG]: "uid-1" };
/** Memory of a cache this object created, with its tags in sync. */
const created = (s = spec(), extra = {}) => {
  const tags = { ...(s.tags ?? {}), ...ownTags };
  return {
    topology: observedFor(s).topology,
    clusterMode: observedFor(s).topology === "ReplicationGroup" ? observedFor(s).clusterMode : undefined,
    appliedTagKeys: Object.keys(tags).sort(),
    appliedTagsHash: hashTags(tags),
    ...extra,
  };
};
const steady = (s = spec(), observedOverrides = {}, extra = {}) =>
  plan(input({ spec: s, memory: created(s, extra), observed: observedFor(s, observedOverrides) }));

describe("planner: create", () => {
  it("creates a single Redis as a cache cluster, with ownership and default tags", () => {
    const s = spec({ numCacheNodes: 1, tags: { environment: "test" } });
    const r = plan(
      input({ spec: s, defaultTags: { "managed-by": "infra-operator", environment: "default" } }),
    );
    assert.equal(r.action.type, "create");
    assert.ok(r.action.type === "create");
    assert.deepEqual(r.action.params, {
      topology: "CacheCluster",
      id: "app-cache",
      engine: "redis",
      engineVersion: "7.0",
      cacheNodeType: "cache.t3.micro",
      numCacheNodes: 1,
      tags: { "managed-by": "infra-operator", environment: "test", ...ownTags },
    });
    assert.equal(r.memory.topology, "CacheCluster");
    assert.deepEqual(r.memory.appliedTagKeys, ["environment", "managed-by", OWNER_TAG, UID_TAG].sort());
    assert.equal(r.ready, false);
    assert.equal(r.reason, "Creating");
  });

  it("creates a cluster-mode replication group with shards, replicas and failover", () => {
    const s = spec({
      clusterID: "e2e-redis-cluster",
      replicationGroupDescription: "E2E Test Redis Cluster",
      numNodeGroups: 2,
      replicasPerNodeGroup: 1,
      automaticFailoverEnabled: true,
      multiAZEnabled: false,
    });
    const r = plan(input({ spec: s }));
    assert.ok(r.action.type === "create");
    const p = r.action.params;
    assert.equal(p.topology, "ReplicationGroup");
    assert.equal(p.clusterMode, true);
    assert.equal(p.numNodeGroups, 2);
    assert.equal(p.replicasPerNodeGroup, 1);
    assert.equal(p.numCacheClusters, undefined);
    assert.equal(p.automaticFailoverEnabled, true);
    assert.equal(p.multiAZEnabled, false);
    assert.equal(r.memory.clusterMode, true);
  });

  it("creates a replication group without cluster mode as primary + replicas, auth token from the Secret", () => {
    const s = spec({
      replicasPerNodeGroup: 2,
      transitEncryptionEnabled: true,
      authTokenRef: { name: "redis-auth", key: "token" },
    });
    const r = plan(input({ spec: s, authTokenHash: "h1" }));
    assert.ok(r.action.type === "create");
    assert.equal(r.action.params.numCacheClusters, 3);
    assert.equal(r.action.params.withAuthToken, true);
    assert.equal(
      r.action.params.replicationGroupDescription,
      "Managed by infra-operator for default/app-cache",
    );
    assert.equal(r.memory.authTokenHash, "h1");
    assert.equal(JSON.stringify(r).includes("MySecure"), false);
  });

  it("creates memcached with its node count and no snapshot settings", () => {
    const s = spec({
      engine: "memcached",
      engineVersion: "1.6.17",
      numCacheNodes: 2,
      snapshotRetentionLimit: 0,
    });
    const r = plan(input({ spec: s }));
    assert.ok(r.action.type === "create");
    assert.equal(r.action.params.numCacheNodes, 2);
    assert.equal(r.action.params.snapshotRetentionLimit, undefined);
  });

  it("re-creates a cache deleted outside infra-operator, saying so", () => {
    const r = plan(input({ memory: created() }));
    assert.equal(r.action.type, "create");
    assert.match(r.message, /deleted outside infra-operator/);
  });
});

describe("planner: steady state and waiting", () => {
  it("does nothing when AWS matches the spec (7.0 is satisfied by 7.0.7)", () => {
    const r = steady();
    assert.deepEqual(r.action, { type: "none" });
    assert.equal(r.ready, true);
    assert.equal(r.reason, "Available");
  });

  it("waits while AWS works, as long as the requeue policy chose", () => {
    const s = spec();
    const early = plan(input({ memory: created(s), observed: observedFor(s, { status: "creating" }) }));
    assert.deepEqual(early.action, { type: "wait", seconds: 1, reason: "Creating" });
    const late = plan(
      input({ memory: created(s), observed: observedFor(s, { status: "modifying" }), pollSeconds: 15 }),
    );
    assert.deepEqual(late.action, { type: "wait", seconds: 15, reason: "Modifying" });
  });

  it("reports a failed creation as terminal with what to do", () => {
    const r = steady(spec(), { status: "create-failed" });
    assert.equal(r.terminal, true);
    assert.equal(r.reason, "CreateFailed");
    assert.match(r.message, /subnet group/);
  });

  it("waits when AWS deletes the cache on its own", () => {
    assert.equal(steady(spec(), { status: "deleting" }).action.type, "wait");
  });
});

describe("planner: documented changes, one call at a time", () => {
  const cases: Array<[string, Parameters<typeof spec>[0], object, object]> = [
    [
      "engine upgrade",
      { engineVersion: "7.1" },
      { engineVersion: "7.0.7" },
      { type: "modify", fields: ["engineVersion"] },
    ],
    [
      "resize through cacheNodeType",
      { cacheNodeType: "cache.t3.small" },
      { nodeType: "cache.t3.micro" },
      { type: "modify", fields: ["cacheNodeType"] },
    ],
    [
      "snapshot retention",
      { snapshotRetentionLimit: 3 },
      { snapshotRetentionLimit: 7 },
      { type: "modify", fields: ["snapshotRetentionLimit"] },
    ],
    [
      "snapshot window",
      { snapshotWindow: "02:00-04:00" },
      { snapshotWindow: "03:00-05:00" },
      { type: "modify", fields: ["snapshotWindow"] },
    ],
    [
      "security groups",
      { securityGroupIds: ["sg-1", "sg-2"] },
      { securityGroupIds: ["sg-1"] },
      { type: "modify", fields: ["securityGroupIds"] },
    ],
  ];
  for (const [name, specChange, observedChange, expected] of cases) {
    it(name, () => {
      const s = spec(specChange);
      const r = plan(input({ spec: s, memory: created(s), observed: observedFor(s, observedChange) }));
      assert.equal(r.action.type, (expected as { type: string }).type);
      assert.deepEqual((r.action as { fields?: string[] }).fields, (expected as { fields: string[] }).fields);
      assert.equal(r.ready, false);
    });
  }

  it("refuses an engine downgrade", () => {
    const r = steady(spec({ engineVersion: "6.2" }), { engineVersion: "7.0.7" });
    assert.equal(r.terminal, true);
    assert.equal(r.reason, "EngineDowngradeNotSupported");
  });

  it("sees no drift in reordered security groups or a capitalised maintenance window", () => {
    const s = spec({ securityGroupIds: ["sg-2", "sg-1"], preferredMaintenanceWindow: "sun:03:00-sun:04:00" });
    const r = steady(s, { securityGroupIds: ["sg-1", "sg-2"], maintenanceWindow: "Sun:03:00-Sun:04:00" });
    assert.deepEqual(r.action, { type: "none" });
  });

  it("scales memcached out, and in by removing the newest nodes", () => {
    const out = steady(spec({ engine: "memcached", engineVersion: "1.6.17", numCacheNodes: 3 }), {
      numCacheNodes: 2,
    });
    assert.ok(out.action.type === "modify");
    assert.equal(out.action.params.numCacheNodes, 3);
    const s = spec({ engine: "memcached", engineVersion: "1.6.17", numCacheNodes: 3 });
    const shrink = plan(
      input({ spec: { ...s, numCacheNodes: 1 }, memory: created(s), observed: observedFor(s) }),
    );
    assert.ok(shrink.action.type === "modify");
    assert.deepEqual(shrink.action.params.cacheNodeIdsToRemove, ["0002", "0003"]);
  });

  it("adds and removes replicas with the replica-count calls", () => {
    const s = spec({
      replicasPerNodeGroup: 1,
      automaticFailoverEnabled: true,
      replicationGroupDescription: "d",
    });
    const more = plan(
      input({ spec: { ...s, replicasPerNodeGroup: 2 }, memory: created(s), observed: observedFor(s) }),
    );
    assert.deepEqual(more.action, { type: "increaseReplicaCount", id: "app-cache", newReplicaCount: 2 });
    const fewer = plan(
      input({
        spec: { ...s, replicasPerNodeGroup: 0, automaticFailoverEnabled: false },
        memory: created(s),
        observed: observedFor({ ...s, automaticFailoverEnabled: false }),
      }),
    );
    assert.deepEqual(fewer.action, { type: "decreaseReplicaCount", id: "app-cache", newReplicaCount: 0 });
  });

  it("reshards out and in, naming the shards to remove", () => {
    const s = spec({ numNodeGroups: 3, replicasPerNodeGroup: 1, automaticFailoverEnabled: true });
    const out = plan(
      input({ spec: { ...s, numNodeGroups: 4 }, memory: created(s), observed: observedFor(s) }),
    );
    assert.deepEqual(out.action, {
      type: "reshard",
      id: "app-cache",
      nodeGroupCount: 4,
      nodeGroupsToRemove: undefined,
    });
    const inward = plan(
      input({ spec: { ...s, numNodeGroups: 2 }, memory: created(s), observed: observedFor(s) }),
    );
    assert.deepEqual(inward.action, {
      type: "reshard",
      id: "app-cache",
      nodeGroupCount: 2,
      nodeGroupsToRemove: ["0003"],
    });
  });

  it("leaves shard and replica counts to auto scaling while spec.autoScaling owns them", () => {
    const s = spec({ numNodeGroups: 1, replicasPerNodeGroup: 1, automaticFailoverEnabled: true });
    // Auto scaling added shards and replicas: the spec's counts are only the initial ones.
    const scaled = observedFor({ ...s, numNodeGroups: 3, replicasPerNodeGroup: 2 });
    const owned = {
      ...s,
      autoScaling: {
        shards: { min: 1, max: 3, targetMemoryPercent: 50 },
        replicas: { min: 1, max: 2, targetCPUPercent: 60 },
      },
    };
    assert.equal(plan(input({ spec: owned, memory: created(s), observed: scaled })).action.type, "none");
    // Only shards are owned: the replica count is the spec's again.
    const shardsOnly = { ...s, autoScaling: { shards: { min: 1, max: 3, targetMemoryPercent: 50 } } };
    const r = plan(input({ spec: shardsOnly, memory: created(s), observed: scaled }));
    assert.deepEqual(r.action, { type: "decreaseReplicaCount", id: "app-cache", newReplicaCount: 1 });
    // Without autoScaling the spec's shard count applies again.
    const back = plan(
      input({ spec: s, memory: created(s), observed: observedFor({ ...s, numNodeGroups: 3 }) }),
    );
    assert.equal(back.action.type, "reshard");
  });

  it("enables failover and Multi-AZ in one modify call", () => {
    const s = spec({ replicasPerNodeGroup: 1, replicationGroupDescription: "d" });
    const wanted = { ...s, automaticFailoverEnabled: true, multiAZEnabled: true };
    const r = plan(input({ spec: wanted, memory: created(s), observed: observedFor(s) }));
    assert.ok(r.action.type === "modify");
    assert.deepEqual(r.action.fields, ["automaticFailoverEnabled", "multiAZEnabled"]);
  });

  it("creates with the user group, swaps it in one modify, detaches it on [], and leaves it alone when unnamed", () => {
    const s = spec({ transitEncryptionEnabled: true, userGroupIDs: ["app-users"] });
    const create = plan(input({ spec: s }));
    assert.ok(create.action.type === "create");
    assert.deepEqual(create.action.params.userGroupIds, ["app-users"]);
    const attached = observedFor(s, { userGroupIds: ["app-users"] });
    assert.equal(plan(input({ spec: s, memory: created(s), observed: attached })).ready, true);

    const swap = plan(
      input({ spec: { ...s, userGroupIDs: ["ops-users"] }, memory: created(s), observed: attached }),
    );
    assert.ok(swap.action.type === "modify");
    assert.deepEqual(swap.action.fields, ["userGroupIDs"]);
    assert.deepEqual(swap.action.params.userGroupIdsToAdd, ["ops-users"]);
    assert.deepEqual(swap.action.params.userGroupIdsToRemove, ["app-users"]);

    const detach = plan(input({ spec: { ...s, userGroupIDs: [] }, memory: created(s), observed: attached }));
    assert.ok(detach.action.type === "modify");
    assert.deepEqual(detach.action.params.userGroupIdsToRemove, ["app-users"]);
    assert.equal(detach.action.params.userGroupIdsToAdd, undefined);

    const unnamed = { ...s, userGroupIDs: undefined };
    assert.equal(plan(input({ spec: unnamed, memory: created(s), observed: attached })).ready, true);
  });
});

describe("planner: refusals", () => {
  it("refuses a change that needs another topology", () => {
    const s = spec({ numCacheNodes: 1 });
    const r = plan(
      input({ spec: { ...s, replicasPerNodeGroup: 2 }, memory: created(s), observed: observedFor(s) }),
    );
    assert.equal(r.reason, "TopologyChangeRequiresNewCluster");
    assert.equal(r.terminal, true);
    assert.deepEqual(r.action, { type: "none" });
  });

  it("refuses turning cluster mode on", () => {
    const s = spec({ replicasPerNodeGroup: 1, replicationGroupDescription: "d" });
    const r = plan(input({ spec: { ...s, numNodeGroups: 2 }, memory: created(s), observed: observedFor(s) }));
    assert.equal(r.reason, "TopologyChangeRequiresNewCluster");
  });

  it("refuses creation-only settings that differ", () => {
    const s = spec({ replicasPerNodeGroup: 1, replicationGroupDescription: "d" });
    const r = plan(
      input({ spec: { ...s, atRestEncryptionEnabled: true }, memory: created(s), observed: observedFor(s) }),
    );
    assert.equal(r.reason, "ImmutableFieldChanged");
    assert.match(r.message, /atRestEncryptionEnabled/);
  });
});

describe("planner: tags", () => {
  it("reads tags only when the wanted set changed", () => {
    const s = spec();
    const r = plan(
      input({ spec: { ...s, tags: { team: "a" } }, memory: created(s), observed: observedFor(s) }),
    );
    assert.equal(r.action.type, "readTags");
  });

  it("adds what differs and removes only keys it applied itself", () => {
    const before = spec({ tags: { team: "a", old: "x" } });
    const after = spec({ tags: { team: "b" } });
    const awsTags = { ...ownTags, team: "a", old: "x", "someone-else": "keep" };
    const add = plan(
      input({ spec: after, memory: created(before), observed: observedFor(after, { tags: awsTags }) }),
    );
    assert.deepEqual(add.action, { type: "addTags", arn: observedFor(after).arn, tags: { team: "b" } });
    const remove = plan(
      input({
        spec: after,
        memory: add.memory,
        observed: observedFor(after, { tags: { ...awsTags, team: "b" } }),
      }),
    );
    assert.deepEqual(remove.action, { type: "removeTags", arn: observedFor(after).arn, keys: ["old"] });
    const done = plan(
      input({
        spec: after,
        memory: remove.memory,
        observed: observedFor(after, { tags: { ...ownTags, team: "b", "someone-else": "keep" } }),
      }),
    );
    assert.deepEqual(done.action, { type: "none" });
    assert.equal(done.ready, true);
    assert.equal(done.memory.appliedTagsHash, hashTags({ team: "b", ...ownTags }));
  });
});

describe("planner: auth token rotation", () => {
  const s = spec({
    replicasPerNodeGroup: 1,
    transitEncryptionEnabled: true,
    authTokenRef: { name: "redis-auth", key: "token" },
  });
  it("ROTATE, waits the grace period, then SET", () => {
    const rotate = plan(
      input({
        spec: s,
        authTokenHash: "new",
        memory: created(s, { authTokenHash: "old" }),
        observed: observedFor(s),
      }),
    );
    assert.ok(rotate.action.type === "modify");
    assert.equal(rotate.action.params.authTokenUpdateStrategy, "ROTATE");
    assert.equal(rotate.memory.pendingAuthTokenHash, "new");
    assert.equal(rotate.memory.authTokenHash, "old");

    const grace = plan(
      input({ spec: s, authTokenHash: "new", memory: rotate.memory, observed: observedFor(s) }),
    );
    assert.deepEqual(grace.action, { type: "wait", seconds: 30, reason: "TokenRotating" });

    const later = new Date(NOW.getTime() + 31_000);
    const set = plan(
      input({ spec: s, authTokenHash: "new", memory: rotate.memory, observed: observedFor(s), now: later }),
    );
    assert.ok(set.action.type === "modify");
    assert.equal(set.action.params.authTokenUpdateStrategy, "SET");
    assert.equal(set.memory.authTokenHash, "new");
    assert.equal(set.memory.pendingAuthTokenHash, undefined);

    const after = plan(
      input({ spec: s, authTokenHash: "new", memory: set.memory, observed: observedFor(s), now: later }),
    );
    assert.deepEqual(after.action, { type: "none" });
  });
});

describe("planner: adoption", () => {
  const s = spec();
  it("reads tags of an existing resource it has no record of", () => {
    const r = plan(input({ observed: observedFor(s) }));
    assert.equal(r.action.type, "readTags");
  });

  it("refuses a resource owned by another object, touching nothing", () => {
    const r = plan(input({ observed: observedFor(s, { tags: { [OWNER_TAG]: "team-b/cache" } }) }));
    assert.equal(r.reason, "NotOwned");
    assert.equal(r.terminal, true);
    assert.match(r.message, /belongs to team-b\/cache/);
    assert.match(r.message, /infra-operator.runner.codes\/adopt=true/);
  });

  it("refuses what an earlier object of the same name left behind (Orphan with tags left), touching nothing", () => {
    const left = { [OWNER_TAG]: "default/app-cache", [UID_TAG]: "old-uid" };
    const r = plan(input({ observed: observedFor(s, { tags: left }) }));
    assert.equal(r.reason, "NotOwned");
    assert.equal(r.terminal, true);
    assert.deepEqual(r.action, { type: "none" });
    assert.match(r.message, /earlier object named default\/app-cache \(uid old-uid\), not this one/);
    assert.match(r.message, /infra-operator.runner.codes\/adopt=true/);
  });

  it("re-adopts what an object of the same name Retained: takes the uid tag, then drops the marker", () => {
    const retained = { [OWNER_TAG]: "default/app-cache", [UID_TAG]: "old-uid", [RETAINED_TAG]: "old-uid" };
    const r = plan(input({ observed: observedFor(s, { tags: retained }) }));
    assert.deepEqual(r.action, { type: "addTags", arn: observedFor(s).arn, tags: { [UID_TAG]: OWNER.uid } });
    assert.equal(r.memory.topology, "CacheCluster");
    const tagged = { ...retained, [UID_TAG]: OWNER.uid };
    const next = plan(input({ memory: r.memory, observed: observedFor(s, { tags: tagged }) }));
    assert.deepEqual(next.action, { type: "removeTags", arn: observedFor(s).arn, keys: [RETAINED_TAG] });
  });

  it("a Retain marker of another uid than the tagged owner's is no proof", () => {
    const forged = { [OWNER_TAG]: "default/app-cache", [UID_TAG]: "old-uid", [RETAINED_TAG]: "other" };
    assert.equal(plan(input({ observed: observedFor(s, { tags: forged }) })).reason, "NotOwned");
  });

  it("migrates tags from before uid ownership: an owner tag alone naming it is its own, the uid tag is added", () => {
    const legacy = { [OWNER_TAG]: "default/app-cache" };
    const r = plan(input({ observed: observedFor(s, { tags: legacy }) }));
    assert.deepEqual(r.action, { type: "addTags", arn: observedFor(s).arn, tags: { [UID_TAG]: OWNER.uid } });
  });

  it("adopts a foreign resource when annotated, tagging it as ours", () => {
    const r = plan(input({ adopt: true, observed: observedFor(s, { tags: { team: "x" } }) }));
    assert.ok(r.action.type === "addTags");
    assert.deepEqual(Object.keys(r.action.tags).sort(), [OWNER_TAG, UID_TAG]);
  });
});

describe("planner: a change AWS never reflects", () => {
  const s = spec({ snapshotRetentionLimit: 3 });
  const stuck = observedFor(s, { snapshotRetentionLimit: 7 });
  const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

  it("is sent, retried after a growing pause, then reported and left alone", () => {
    const first = plan(input({ spec: s, memory: created(s), observed: stuck }));
    assert.equal(first.action.type, "modify");
    assert.equal(first.memory.lastChange?.attempts, 1);

    const tooSoon = plan(input({ spec: s, memory: first.memory, observed: stuck, now: at(5) }));
    assert.equal(tooSoon.action.type, "wait");
    assert.match(tooSoon.message, /sending it again/);

    const second = plan(input({ spec: s, memory: first.memory, observed: stuck, now: at(11) }));
    assert.equal(second.action.type, "modify");
    assert.equal(second.memory.lastChange?.attempts, 2);

    const third = plan(input({ spec: s, memory: second.memory, observed: stuck, now: at(40) }));
    assert.equal(third.action.type, "modify");
    assert.equal(third.memory.lastChange?.attempts, 3);

    const givenUp = plan(input({ spec: s, memory: third.memory, observed: stuck, now: at(200) }));
    assert.deepEqual(givenUp.action, { type: "none" });
    assert.equal(givenUp.reason, "ChangeNotApplied");
    assert.equal(givenUp.terminal, true);

    const muchLater = plan(input({ spec: s, memory: third.memory, observed: stuck, now: at(16 * 60) }));
    assert.equal(muchLater.action.type, "modify");
    assert.equal(muchLater.memory.lastChange?.attempts, 1);
  });

  it("does not hold back a different change", () => {
    const first = plan(input({ spec: s, memory: created(s), observed: stuck }));
    const other = spec({ snapshotRetentionLimit: 5 });
    const next = plan(input({ spec: other, memory: first.memory, observed: stuck, now: at(1) }));
    assert.equal(next.action.type, "modify");
  });
});
