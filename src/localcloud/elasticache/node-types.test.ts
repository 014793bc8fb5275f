import assert from "node:assert/strict";
import { test } from "node:test";
import { allowedModifications, nodeTypes } from "./node-types.ts";

test("scale-ups have more memory, scale-downs less, never the current type", () => {
  const { up, down } = allowedModifications("cache.r6g.large");
  const memory = (t: string) => nodeTypes.find((n) => n.cacheNodeType === t)?.memoryGiB ?? 0;
  assert.ok(up.length > 0 && down.length > 0);
  assert.ok(up.every((t) => memory(t) > 13.07));
  assert.ok(down.every((t) => memory(t) <= 13.07));
  assert.ok(!up.includes("cache.r6g.large") && !down.includes("cache.r6g.large"));
  assert.ok(down.includes("cache.r7g.large"), "same memory, another family");
  assert.deepEqual(
    allowedModifications("cache.t3.micro").down.filter((t) => t.startsWith("cache.t")),
    ["cache.t4g.micro"],
  );
});
