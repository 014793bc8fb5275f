import assert from "node:assert/strict";
import { test } from "node:test";
import { SecretHistory } from "./secret-history.ts";

test("the value before the last change is kept until the next change", () => {
  const h = new SecretHistory();
  assert.deepEqual(h.observe("ns/u", "uid-1", ["old"]), { current: ["old"], previous: [undefined] });
  assert.deepEqual(h.observe("ns/u", "uid-1", ["old"]).previous, [undefined]);
  assert.deepEqual(h.observe("ns/u", "uid-1", ["new"]).previous, ["old"]);
  assert.deepEqual(h.observe("ns/u", "uid-1", ["new"]).previous, ["old"], "kept over later looks");
  assert.deepEqual(h.observe("ns/u", "uid-1", ["newer"]).previous, ["new"]);
});

test("per input, per object; a new object of the same name starts afresh", () => {
  const h = new SecretHistory();
  h.observe("ns/u", "uid-1", ["a", "b"]);
  assert.deepEqual(h.observe("ns/u", "uid-1", ["a", "c"]).previous, [undefined, "b"]);
  assert.deepEqual(h.observe("ns/u", "uid-2", ["x", "y"]).previous, [undefined, undefined]);
  h.forget("ns/u");
  assert.deepEqual(h.observe("ns/u", "uid-2", ["z", "y"]).previous, [undefined, undefined]);
});
