// spec.autoScaling through the real CLI and the embedded local cloud: apply registers the target and
// policy; plan then shows no change and says auto scaling owns the shard count; a changed target and
// range show as the Application Auto Scaling calls apply would make; dropping autoScaling shows the
// deregistration.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli, tempStateDir } from "./cli.ts";

const manifest = (autoScaling: string) => `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheCluster
metadata:
  name: scaled
  namespace: default
spec:
  providerRef:
    name: local
  clusterID: plan-scaled
  engine: redis
  engineVersion: "7.1"
  nodeType: cache.t3.micro
  replicationGroupDescription: auto scaled
  numNodeGroups: 1
  replicasPerNodeGroup: 0
  deletionPolicy: Delete
${autoScaling}`;

describe("plan shows auto scaling changes", () => {
  const state = tempStateDir();
  const S = ["--state-dir", state.dir];
  const file = join(state.dir, "scaled.yaml");
  const write = (autoScaling: string) => writeFileSync(file, manifest(autoScaling));
  const tracked = (target: number, max: number) =>
    `  autoScaling:\n    shards:\n      min: 1\n      max: ${max}\n      targetMemoryPercent: ${target}\n`;

  before(async () => {
    write(tracked(50, 3));
    const planned = await cli(["plan", "-f", file, ...S]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stdout, /~ autoScaling: register shards 1-3 with Application Auto Scaling/);
    assert.match(planned.stdout, /~ autoScaling: track memory at 50% for shards/);
    const applied = await cli(["apply", "-f", file, ...S]);
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(async () => {
    await cli(["delete", "-f", file, ...S]);
    state.cleanup();
  });

  it("after apply: no changes, and the shard count is left to auto scaling", async () => {
    const planned = await cli(["plan", "-f", file, ...S]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stdout, /= ElastiCacheCluster default\/scaled \(plan-scaled\): no changes/);
    assert.match(planned.stdout, /= autoScaling: shards 1 now: left to auto scaling within 1-3/);
  });

  it("a new target and range are the calls apply would make; dropping autoScaling deregisters", async () => {
    write(tracked(60, 4));
    const changed = await cli(["plan", "-f", file, ...S]);
    assert.match(changed.stdout, /~ autoScaling: register shards 1-4 with Application Auto Scaling/);
    assert.match(changed.stdout, /~ autoScaling: track memory at 60% for shards/);
    assert.match(changed.stdout, /Plan: 2 change\(s\), 0 refused\./);
    write("");
    const dropped = await cli(["plan", "-f", file, ...S]);
    assert.match(dropped.stdout, /~ autoScaling: deregister shards from Application Auto Scaling/);
  });
});
