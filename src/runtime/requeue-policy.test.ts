import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { clusterRequeuePolicy, defaultRequeuePolicy, waitingMs } from "./requeue-policy.ts";

const NOW = new Date("2026-12-06T12:00:00Z");
const since = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe("requeue policy", () => {
  it("clusters look again by time waited: 1 s, then 5 s, 15 s and 30 s", () => {
    const at = (waited: number) => clusterRequeuePolicy.whileWaitingMs({ looks: 0, waitingMs: waited });
    assert.deepEqual(
      [0, 9_999, 10_000, 59_999, 60_000, 599_999, 600_000, 3_600_000].map(at),
      [1_000, 1_000, 5_000, 5_000, 15_000, 15_000, 30_000, 30_000],
    );
    assert.equal(clusterRequeuePolicy.afterActionMs, 1_000);
  });

  it("the family's kinds look again by looks: 2, 4, 8, then 15 s", () => {
    const at = (looks: number) => defaultRequeuePolicy.whileWaitingMs({ looks, waitingMs: 0 });
    assert.deepEqual([0, 1, 2, 3, 10].map(at), [2_000, 4_000, 8_000, 15_000, 15_000]);
  });

  it("a cluster blocked on a reference or Secret waits for its change; the family adds a safety net", () => {
    assert.equal(clusterRequeuePolicy.missingInputMs, undefined);
    assert.equal(defaultRequeuePolicy.missingInputMs, 60_000);
  });

  it("time waited counts from Ready going False, and is 0 while Ready or before any condition", () => {
    const ready = (status: string, at: string) => ({
      conditions: [{ type: "Ready", status, lastTransitionTime: at }],
    });
    assert.equal(waitingMs(ready("False", since(42_000)), NOW), 42_000);
    assert.equal(waitingMs(ready("True", since(42_000)), NOW), 0);
    assert.equal(waitingMs({}, NOW), 0);
    // A clock behind the condition's time never gives a negative wait.
    assert.equal(waitingMs(ready("False", new Date(NOW.getTime() + 5_000).toISOString()), NOW), 0);
  });
});
