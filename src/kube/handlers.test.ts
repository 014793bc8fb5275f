import assert from "node:assert/strict";
import { test } from "node:test";
import { enqueueMapped, enqueueObject, significantChange } from "./handlers.ts";
import type { KubeObject } from "./rest.ts";

const obj = (meta: NonNullable<KubeObject["metadata"]>, status?: unknown): KubeObject => ({
  metadata: { name: "a", namespace: "ns", ...meta },
  status,
});

test("status-only updates are not significant; spec, annotations, finalizers and deletion are", () => {
  const base = obj({ generation: 1, resourceVersion: "1" });
  assert.equal(significantChange(base, obj({ generation: 1, resourceVersion: "2" }, { ready: true })), false);
  assert.equal(significantChange(base, obj({ generation: 2, resourceVersion: "2" })), true);
  assert.equal(significantChange(base, obj({ generation: 1, annotations: { "force-sync": "1" } })), true);
  assert.equal(significantChange(base, obj({ generation: 1, finalizers: ["f"] })), true);
  assert.equal(
    significantChange(base, obj({ generation: 1, deletionTimestamp: "2026-01-01T00:00:00Z" })),
    true,
  );
  assert.equal(significantChange(base, base), true, "a resync is significant");
  assert.equal(
    significantChange(obj({ resourceVersion: "1" }), obj({ resourceVersion: "2" })),
    true,
    "objects without generation",
  );
});

test("enqueueObject and enqueueMapped feed keys", () => {
  const keys: string[] = [];
  const target = { enqueue: (k: string) => keys.push(k) };
  const h = enqueueObject(target);
  h.add?.(obj({ generation: 1 }));
  h.update?.(obj({ generation: 1, resourceVersion: "1" }), obj({ generation: 1, resourceVersion: "2" }));
  h.delete?.(obj({ generation: 1 }));
  assert.deepEqual(keys, ["ns/a", "ns/a"], "add and delete; the status-only update is skipped");

  keys.length = 0;
  const users = enqueueMapped<KubeObject>(target, (s) => [`ns/user-of-${s.metadata?.name}`]);
  users.update?.(obj({ resourceVersion: "1" }), obj({ resourceVersion: "2" }));
  assert.deepEqual(keys, ["ns/user-of-a"], "old and new map to the same key: queued once");
});
