import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { invalidCases } from "./invalid-cases.ts";
import { readManifests } from "./manifests.ts";
import { validateManifest } from "./validate.ts";

describe("offline validation", () => {
  it("accepts every example", () => {
    const docs = readManifests(["examples"]);
    assert.ok(docs.length >= 13, `expected the documentation's manifests, found ${docs.length}`);
    for (const doc of docs) assert.deepEqual(validateManifest(doc.object), [], `${doc.file}:${doc.index}`);
  });

  it("has at least 50 invalid cases with distinct names", () => {
    assert.ok(invalidCases.length >= 50);
    assert.equal(new Set(invalidCases.map((c) => c.name)).size, invalidCases.length);
  });

  for (const c of invalidCases) {
    it(`refuses: ${c.name}`, () => {
      const errors = validateManifest(c.manifest);
      const hit = errors.find((e) => e.path.startsWith(c.field) && e.message.includes(c.message));
      assert.ok(
        hit,
        `expected ${c.field}: ...${c.message}... in\n${errors.map((e) => `${e.path}: ${e.message}`).join("\n")}`,
      );
      assert.ok(!errors.some((e) => e.message.startsWith("Internal error")), JSON.stringify(errors));
    });
  }
});

describe("update rules", () => {
  const stored = {
    apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
    kind: "ElastiCacheCluster",
    metadata: { name: "app-cache" },
    spec: {
      providerRef: { name: "p" },
      clusterID: "app-cache",
      engine: "redis",
      engineVersion: "7.0",
      nodeType: "cache.t3.micro",
    },
  };
  const update = (spec: Record<string, unknown>) => ({ ...stored, spec: { ...stored.spec, ...spec } });
  const messages = (spec: Record<string, unknown>) =>
    validateManifest(update(spec), stored).map((e) => e.message);

  it("refuses a new clusterID or engine", () => {
    assert.match(messages({ clusterID: "other" }).join(), /clusterID cannot be changed after creation/);
    assert.match(messages({ engine: "valkey" }).join(), /engine cannot be changed after creation/);
  });

  it("accepts the documentation's resize through cacheNodeType", () => {
    assert.deepEqual(messages({ cacheNodeType: "cache.t3.small" }), []);
  });

  it("refuses a nodeType change hidden by cacheNodeType", () => {
    const resized = update({ cacheNodeType: "cache.t3.small" });
    const errors = validateManifest(
      { ...resized, spec: { ...resized.spec, nodeType: "cache.t3.large" } },
      resized,
    );
    assert.match(
      errors.map((e) => e.message).join(),
      /cacheNodeType is set and takes precedence over nodeType/,
    );
  });

  it("keeps accepting unrelated changes after a resize", () => {
    const resized = update({ cacheNodeType: "cache.t3.small" });
    const errors = validateManifest({ ...resized, spec: { ...resized.spec, tags: { team: "a" } } }, resized);
    assert.deepEqual(errors, []);
  });
});

describe("manifest documents", () => {
  it("refuses kinds it does not serve with the kinds it does", () => {
    const [e] = validateManifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } });
    assert.match(e?.message ?? "", /unsupported kind "ConfigMap".*AWSProvider, ElastiCacheCluster/);
  });
});
