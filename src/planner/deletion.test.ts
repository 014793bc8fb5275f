import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planDeletion } from "./deletion.ts";
import { OWNER_TAG, RETAINED_TAG, UID_TAG } from "./ownership.ts";
import { input, observedFor, spec } from "./testing.ts";

const mine = { topology: "CacheCluster" as const };
const ourTags = { [OWNER_TAG]: "default/app-cache", [UID_TAG]: "uid-1" };

describe("deletion", () => {
  it("Retain marks its own cache as retained (its uid) and releases; a missing cache releases at once", () => {
    const s = spec({ deletionPolicy: "Retain" });
    const gone = planDeletion(input({ spec: s, memory: mine, observed: undefined }));
    assert.equal(gone.release, true);
    assert.deepEqual(gone.action, { type: "none" });
    const unread = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s) }));
    assert.equal(unread.action.type, "readTags");
    const mark = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s, { tags: ourTags }) }));
    assert.deepEqual(mark.action, {
      type: "addTags",
      arn: observedFor(s).arn,
      tags: { [UID_TAG]: "uid-1", [RETAINED_TAG]: "uid-1" },
    });
    assert.equal(mark.release, true, "released once the marker is on");
    const marked = { ...ourTags, [RETAINED_TAG]: "uid-1" };
    const done = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s, { tags: marked }) }));
    assert.deepEqual(done.action, { type: "none" });
    assert.equal(done.release, true);
  });

  it("Retain marks nothing it does not own (an earlier object's orphan of the same name included)", () => {
    const s = spec({ deletionPolicy: "Retain" });
    const left = { [OWNER_TAG]: "default/app-cache", [UID_TAG]: "old-uid" };
    const r = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s, { tags: left }) }));
    assert.deepEqual(r.action, { type: "none" });
    assert.equal(r.release, true);
  });

  it("Delete never deletes what an earlier object of the same name left behind", () => {
    const s = spec();
    const left = { [OWNER_TAG]: "default/app-cache", [UID_TAG]: "old-uid" };
    const r = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s, { tags: left }) }));
    assert.deepEqual(r.action, { type: "none" });
    assert.equal(r.release, true);
    assert.match(r.message, /not owned/);
  });

  it("Delete deletes an available cache, waits while busy or deleting, releases when gone", () => {
    const s = spec();
    const del = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s, { tags: ourTags }) }));
    assert.deepEqual(del.action, {
      type: "delete",
      topology: "CacheCluster",
      id: "app-cache",
      finalSnapshotName: undefined,
    });
    assert.equal(del.release, false);
    for (const status of ["modifying", "creating", "snapshotting", "deleting"]) {
      const r = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s, { status }) }));
      assert.equal(r.action.type, "wait", status);
      assert.equal(r.release, false);
    }
    assert.equal(planDeletion(input({ spec: s, memory: mine, observed: undefined })).release, true);
  });

  it("Snapshot names the final snapshot", () => {
    const s = spec({ deletionPolicy: "Snapshot" });
    const r = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s, { tags: ourTags }) }));
    assert.ok(r.action.type === "delete");
    assert.equal(r.action.finalSnapshotName, "app-cache-final");
  });

  it("Orphan strips only infra-operator's tags, then releases", () => {
    const s = spec({ deletionPolicy: "Orphan" });
    const tags = { [OWNER_TAG]: "default/app-cache", [UID_TAG]: "uid-1", team: "a" };
    const strip = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s, { tags }) }));
    assert.deepEqual(strip.action, {
      type: "removeTags",
      arn: observedFor(s).arn,
      keys: [OWNER_TAG, UID_TAG],
    });
    assert.equal(strip.release, false);
    const done = planDeletion(
      input({ spec: s, memory: mine, observed: observedFor(s, { tags: { team: "a" } }) }),
    );
    assert.equal(done.release, true);
  });

  it("never deletes what another object owns", () => {
    const s = spec();
    const r = planDeletion(
      input({ spec: s, memory: {}, observed: observedFor(s, { tags: { [OWNER_TAG]: "other/x" } }) }),
    );
    assert.equal(r.release, true);
    assert.deepEqual(r.action, { type: "none" });
    assert.match(r.message, /not owned/);
  });

  it("reads the tags before deleting, even a cache it remembers creating", () => {
    const s = spec();
    const r = planDeletion(input({ spec: s, memory: mine, observed: observedFor(s) }));
    assert.deepEqual(r.action, { type: "readTags", arn: observedFor(s).arn });
    assert.equal(r.release, false);
  });

  it("leaves alone a cache of the same ID that another object created after ours was deleted", () => {
    const s = spec();
    const r = planDeletion(
      input({ spec: s, memory: mine, observed: observedFor(s, { tags: { [OWNER_TAG]: "default/other" } }) }),
    );
    assert.equal(r.release, true);
    assert.deepEqual(r.action, { type: "none" });
    assert.match(r.message, /not owned/);
  });
});
