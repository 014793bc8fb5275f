import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeChanges } from "./describe-changes.ts";
import { hashTags } from "./hash.ts";
import { OWNER_TAG, UID_TAG } from "./ownership.ts";
import { input, observedFor, spec } from "./testing.ts";

const ownTags = { [OWNER_TAG]: "default/app-cache", [UID_TAG]: "uid-1" };
const memoryFor = (s = spec(), tags: Record<string, string> = { ...(s.tags ?? {}), ...ownTags }) => ({
  topology: observedFor(s).topology,
  clusterMode: observedFor(s).topology === "ReplicationGroup" ? observedFor(s).clusterMode : undefined,
  appliedTagKeys: Object.keys(tags).sort(),
  appliedTagsHash: hashTags(tags),
});

describe("describeChanges", () => {
  it("says create when AWS has nothing", () => {
    const changes = describeChanges(input({ spec: spec() }));
    assert.equal(changes.length, 1);
    assert.equal(changes[0]?.kind, "create");
    assert.match(changes[0]?.message ?? "", /creating CacheCluster app-cache/);
  });

  it("lists nothing when AWS matches the spec", () => {
    const s = spec();
    assert.deepEqual(describeChanges(input({ spec: s, memory: memoryFor(s), observed: observedFor(s) })), []);
  });

  it("lists every difference, not only the next step", () => {
    const created = spec({
      replicationGroupDescription: "rg",
      replicasPerNodeGroup: 1,
      snapshotRetentionLimit: 1,
    });
    const wanted = {
      ...created,
      nodeType: "cache.t3.small",
      replicasPerNodeGroup: 2,
      snapshotRetentionLimit: 5,
    };
    const changes = describeChanges(
      input({ spec: wanted, memory: memoryFor(created), observed: observedFor(created) }),
    );
    assert.deepEqual(
      changes.map((c) => [c.kind, c.fields]),
      [
        ["modify", ["cacheNodeType"]],
        ["modify", ["snapshotRetentionLimit"]],
        ["modify", ["replicasPerNodeGroup"]],
      ],
    );
    assert.match(changes[0]?.message ?? "", /cache\.t3\.micro to cache\.t3\.small/);
  });

  it("lists memcached node count changes", () => {
    const created = spec({ engine: "memcached", engineVersion: "1.6.22", numCacheNodes: 2 });
    const wanted = { ...created, numCacheNodes: 3 };
    const changes = describeChanges(
      input({ spec: wanted, memory: memoryFor(created), observed: observedFor(created) }),
    );
    assert.deepEqual(
      changes.map((c) => c.fields),
      [["numCacheNodes"]],
    );
  });

  it("lists tag additions and removals together", () => {
    const created = spec({ tags: { a: "1", old: "x" } });
    const wanted = spec({ tags: { a: "2" } });
    const observed = observedFor(created, { tags: { a: "1", old: "x", ...ownTags } });
    const changes = describeChanges(input({ spec: wanted, memory: memoryFor(created), observed }));
    assert.deepEqual(
      changes.map((c) => c.message),
      ["tagging: a", "removing tags: old"],
    );
  });

  it("reports creation-only fields as refused, next to the rest", () => {
    const created = spec({ replicationGroupDescription: "rg", transitEncryptionEnabled: false });
    const wanted = { ...created, transitEncryptionEnabled: true, nodeType: "cache.t3.small" };
    const changes = describeChanges(
      input({ spec: wanted, memory: memoryFor(created), observed: observedFor(created) }),
    );
    assert.deepEqual(
      changes.map((c) => c.kind),
      ["refused", "modify"],
    );
    assert.match(changes[0]?.message ?? "", /transitEncryptionEnabled/);
  });

  it("says the cache is busy before listing what would change", () => {
    const s = spec();
    const wanted = { ...s, nodeType: "cache.t3.small" };
    const changes = describeChanges(
      input({ spec: wanted, memory: memoryFor(s), observed: observedFor(s, { status: "modifying" }) }),
    );
    assert.deepEqual(
      changes.map((c) => c.kind),
      ["wait", "modify"],
    );
  });

  it("reports a cache of someone else as refused", () => {
    const s = spec();
    const observed = observedFor(s, { tags: { [OWNER_TAG]: "other/x" } });
    const changes = describeChanges(input({ spec: s, observed }));
    assert.equal(changes[0]?.kind, "refused");
    assert.match(changes[0]?.message ?? "", /belongs to other\/x/);
  });
});
