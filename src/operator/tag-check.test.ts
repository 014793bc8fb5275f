import assert from "node:assert/strict";
import { test } from "node:test";
import { persistedTagCheck } from "./cluster-controller.ts";

test("the last tag check recorded in status survives a restart; without one the first look re-reads", () => {
  assert.equal(persistedTagCheck(undefined), undefined);
  assert.equal(persistedTagCheck({}), undefined);
  assert.equal(persistedTagCheck({ tagsCheckedAt: "not a time" }), undefined);
  assert.deepEqual(persistedTagCheck({ tagsCheckedAt: "2026-12-01T10:00:00.000Z" }), {
    at: Date.UTC(2026, 11, 1, 10),
  });
  assert.deepEqual(persistedTagCheck({ tagsCheckedAt: "2026-12-01T10:00:00.000Z", forceSyncHandled: "17" }), {
    at: Date.UTC(2026, 11, 1, 10),
    forceSync: "17",
  });
});
