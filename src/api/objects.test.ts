import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readManifests } from "./manifests.ts";
import { InvalidObjectError, parseAWSProvider, parseElastiCacheCluster } from "./objects.ts";
import { parseStoredElastiCacheCluster } from "./stored-objects.ts";

describe("typed objects", () => {
  it("parse every example of their kind, with defaults applied", () => {
    for (const { object } of readManifests(["examples"])) {
      const kind = (object as { kind: string }).kind;
      if (kind === "ElastiCacheCluster") {
        const cluster = parseElastiCacheCluster(object);
        assert.ok(["Delete", "Retain"].includes(cluster.spec.deletionPolicy));
      }
      if (kind === "AWSProvider") assert.equal(parseAWSProvider(object).spec.region, "us-east-1");
    }
  });

  it("accept a stored object that a documented resize made different from its nodeType", () => {
    const resized = {
      apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
      kind: "ElastiCacheCluster",
      metadata: { name: "app-cache", namespace: "default" },
      spec: {
        providerRef: { name: "p" },
        clusterID: "app-cache",
        engine: "redis",
        engineVersion: "7.0",
        nodeType: "cache.t3.micro",
        cacheNodeType: "cache.t3.small",
      },
    };
    assert.throws(() => parseElastiCacheCluster(resized), /not both with different values/);
    assert.equal(parseElastiCacheCluster(resized, { stored: true }).spec.cacheNodeType, "cache.t3.small");
    assert.equal(parseStoredElastiCacheCluster(resized).spec.deletionPolicy, "Delete");
    assert.throws(
      () => parseStoredElastiCacheCluster({ ...resized, spec: { ...resized.spec, engine: 7 } }),
      /spec\.engine/,
    );
  });

  it("refuse invalid objects naming the field", () => {
    assert.throws(
      () =>
        parseElastiCacheCluster({
          apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
          kind: "ElastiCacheCluster",
          metadata: { name: "x", namespace: "team-a" },
          spec: { providerRef: { name: "p" }, clusterID: "x1", engine: "redis", engineVersion: "7.0" },
        }),
      (err: unknown) =>
        err instanceof InvalidObjectError &&
        /team-a\/x .*spec\.nodeType: .*nodeType is required/.test(err.message),
    );
  });
});
