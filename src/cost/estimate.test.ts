import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseElastiCacheCluster } from "../api/objects.ts";
import {
  estimateCost,
  estimateSpec,
  formatCost,
  formatMonthlyDifference,
  regionOfArn,
  specNodes,
} from "./estimate.ts";
import { PRICE_TABLE } from "./price-table.ts";

const spec = (s: Record<string, unknown>) =>
  parseElastiCacheCluster({
    apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
    kind: "ElastiCacheCluster",
    metadata: { name: "x", namespace: "default" },
    spec: {
      providerRef: { name: "p" },
      clusterID: "cost-test",
      engine: "redis",
      engineVersion: "7.1",
      nodeType: "cache.t3.micro",
      ...s,
    },
  }).spec;

const monthly = (region: string, nodeType: string, nodes: number) => {
  const e = estimateCost(region, nodeType, nodes);
  assert.ok(e.ok, e.ok ? "" : e.reason);
  return e.cost.monthlyUSD;
};

describe("cost estimates", () => {
  it("has the documentation's figures: t3.micro ~$12/month, r6g.xlarge ~$409/month", () => {
    assert.equal(PRICE_TABLE["us-east-1"]?.hourly["cache.t3.micro"], 0.017);
    assert.equal(PRICE_TABLE["us-east-1"]?.hourly["cache.r6g.xlarge"], 0.56);
    assert.equal(monthly("us-east-1", "cache.t3.micro", 1), 12.41);
    assert.equal(monthly("us-east-1", "cache.r6g.xlarge", 1), 408.8);
    assert.equal(formatMonthlyDifference(12.41, 408.8), "+$396/month");
    assert.equal(formatMonthlyDifference(24.82, 12.41), "-$12.41/month");
  });

  it("counts every node: shards × (primary + replicas), memcached nodes, one Redis node", () => {
    assert.equal(specNodes(spec({})), 1);
    assert.equal(specNodes(spec({ engine: "memcached", numCacheNodes: 3 })), 3);
    assert.equal(specNodes(spec({ replicationGroupDescription: "x", replicasPerNodeGroup: 2 })), 3);
    assert.equal(specNodes(spec({ numNodeGroups: 3, replicasPerNodeGroup: 2 })), 9);
    // The documentation's "Production with Full HA": 2 shards × (1 + 2 replicas) of cache.r6g.xlarge.
    const prod = estimateSpec(
      "us-east-1",
      spec({ nodeType: "cache.r6g.xlarge", numNodeGroups: 2, replicasPerNodeGroup: 2 }),
    );
    assert.ok(prod.ok);
    assert.equal(prod.cost.nodes, 6);
    assert.equal(formatCost(prod.cost), "$3.360/hour, $2,453/month");
  });

  it("keeps each derived price equal to what its note says", () => {
    for (const [region, table] of Object.entries(PRICE_TABLE)) {
      assert.match(table.date, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(table.source.length > 0);
      for (const [type, note] of Object.entries(table.derived ?? {})) {
        const m = /^(?:(\d+) × (\S+)|(\S+) \/ (\d+))$/.exec(note);
        assert.ok(m, `${region} ${type}: "${note}"`);
        const base = table.hourly[(m[2] ?? m[3]) as string] as number;
        const expected = m[1] ? base * Number(m[1]) : base / Number(m[4]);
        assert.ok(Math.abs((table.hourly[type] ?? 0) - expected) < 1e-9, `${region} ${type}`);
      }
    }
  });

  it("says why there is no estimate", () => {
    const region = estimateCost("eu-west-3", "cache.t3.micro", 1);
    assert.ok(!region.ok);
    assert.match(region.reason, /no price table for region eu-west-3 .*src\/cost\/price-table\.ts/);
    const type = estimateCost("us-east-1", "cache.x9.huge", 1);
    assert.ok(!type.ok);
    assert.match(type.reason, /no price for cache\.x9\.huge in us-east-1/);
    assert.equal(regionOfArn("arn:aws:elasticache:eu-west-1:123456789012:cluster:x"), "eu-west-1");
  });
});
