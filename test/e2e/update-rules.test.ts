// Update rules enforced by the real API server: clusterID and engine are immutable, and the
// status subresource is separate from spec (a status write changes no spec and no generation).
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { installCrds } from "../support/crds.ts";
import { firstExample } from "../support/examples.ts";
import { kubectl, kubectlOk } from "../support/kubectl.ts";
import { createTestNamespace } from "../support/namespace.ts";
import { createIn, getObject } from "../support/objects.ts";

const resource = "elasticachecluster";

describe("ElastiCacheCluster update rules", () => {
  let namespace: string;
  let name: string;

  before(async () => {
    await installCrds();
    namespace = await createTestNamespace();
    const redis = firstExample(
      "ElastiCacheCluster",
      (m) => (m.spec as { engine?: string } | undefined)?.engine === "redis",
    );
    name = await createIn(namespace, redis);
  });

  for (const [field, newValue] of [
    ["clusterID", "renamed-cluster-id"],
    // memcached, not valkey: moving Redis to Valkey is an upgrade AWS offers, switching to memcached never is.
    ["engine", "memcached"],
  ] as const) {
    test(`changing ${field} is refused and leaves the object as it was`, async () => {
      const before = await getObject(resource, namespace, name);
      assert.notEqual(before.spec[field], newValue);
      const patch = JSON.stringify({ spec: { [field]: newValue } });
      const result = await kubectl(["patch", resource, name, "-n", namespace, "--type=merge", "-p", patch]);
      assert.notEqual(result.code, 0, `changing spec.${field} was accepted`);
      // Refused by the immutability rule itself, not by some other rule the new value breaks.
      assert.match(result.stderr, new RegExp(`spec\\.${field}: .*${field} cannot be changed`), result.stderr);
      const after = await getObject(resource, namespace, name);
      assert.equal(after.spec[field], before.spec[field]);
      assert.equal(after.metadata.generation, before.metadata.generation);
    });
  }

  test("a status write through /status changes no spec and bumps no generation", async () => {
    const before = await getObject(resource, namespace, name);
    // The spec part of this patch must be ignored by the status subresource.
    const patch = JSON.stringify({
      spec: { nodeType: "cache.r7g.4xlarge" },
      status: { clusterStatus: "available", ready: true },
    });
    await kubectlOk([
      "patch",
      resource,
      name,
      "-n",
      namespace,
      "--subresource=status",
      "--type=merge",
      "-p",
      patch,
    ]);
    const after = await getObject(resource, namespace, name);
    assert.equal(after.status?.clusterStatus, "available");
    assert.equal(after.status?.ready, true);
    assert.deepEqual(after.spec, before.spec);
    assert.equal(after.metadata.generation, before.metadata.generation);
    assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
  });

  test("a spec write bumps the generation (so the check above can fail)", async () => {
    const before = await getObject(resource, namespace, name);
    const patch = JSON.stringify({ spec: { tags: { "e2e-touched": "yes" } } });
    await kubectlOk(["patch", resource, name, "-n", namespace, "--type=merge", "-p", patch]);
    const after = await getObject(resource, namespace, name);
    assert.equal(after.metadata.generation, before.metadata.generation + 1);
    // The main endpoint ignores status, so the status written above survives.
    assert.equal(after.status?.clusterStatus, "available");
  });
});
