import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProgressView, progressLine } from "./progress-view.ts";

const p = (phase: string, awsStatus: string, elapsedMs = 0) => ({
  name: "c",
  phase,
  awsStatus,
  message: "m",
  elapsedMs,
});

describe("ProgressView", () => {
  it("prints a plain line only when the phase or AWS status changes (not a terminal)", () => {
    const out: string[] = [];
    const view = new ProgressView({ write: (t: string) => out.push(t) }, ["c"]);
    view.update(p("Creating", "creating", 0));
    view.update(p("Creating", "creating", 2000));
    view.update(p("Ready", "available", 65_000));
    view.stop();
    assert.deepEqual(out, [
      "c  Creating     aws: creating       0s  m\n",
      "c  Ready        aws: available   1m05s\n",
    ]);
  });

  it("redraws its lines in place on a terminal", () => {
    const out: string[] = [];
    const view = new ProgressView({ write: (t: string) => out.push(t), isTTY: true }, ["a", "b"]);
    view.update({ ...p("Creating", "creating"), name: "a" });
    view.stop();
    assert.equal(out.length, 3);
    assert.ok(!out[0]?.includes("\x1b[2A"), "the first drawing does not move up");
    assert.ok(out[1]?.startsWith("\x1b[2A"), "later drawings move up over the two lines");
    assert.ok(out[1]?.includes("\r\x1b[2Ka  Creating"), out[1]);
  });

  it("formats elapsed time", () => {
    assert.match(progressLine(p("Ready", "available", 3_725_000)), /62m05s$/);
  });
});
