// The family's kinds through the standalone CLI: a folder with a subnet group and a cluster that
// names it is applied in one go (the cluster waits for the group), get/describe/plan show the
// group, and deleting the folder removes the cluster before the group it held.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DescribeCacheClustersCommand, DescribeCacheSubnetGroupsCommand } from "@aws-sdk/client-elasticache";
import { cli, cliWorkspace } from "./cli.ts";
import { cluster, provider, writeManifest } from "./manifests.ts";

const subnetGroup = (description: string) => `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheSubnetGroup
metadata:
  name: cli-subnets
spec:
  providerRef:
    name: local-test
  subnetGroupName: cli-subnets
  description: ${description}
  subnetIDs: [subnet-0c1, subnet-0c2]
`;

describe("standalone CLI and the family's kinds", () => {
  const { S, folder, aws } = cliWorkspace();

  it("apply -f DIR creates the subnet group before the cluster that names it", async () => {
    // The cluster's file sorts first: the order comes from the reference, not from the files.
    writeManifest(
      folder,
      "a-cluster.yaml",
      cluster(
        "cli-cache",
        "cli-cache",
        'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro\nnumCacheNodes: 1\nsubnetGroupName: cli-subnets',
      ),
    );
    writeManifest(folder, "b-provider.yaml", provider("local-test"));
    writeManifest(folder, "c-subnets.yaml", subnetGroup("first"));
    const plan = await cli(["plan", ...S, "-f", folder]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /\+ ElastiCacheSubnetGroup default\/cli-subnets \(cli-subnets\)/);
    const applied = await cli(["apply", ...S, "-f", folder, "--timeout", "3m"]);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /elasticachesubnetgroup\/cli-subnets: Ready/);
    const out = await aws().send(new DescribeCacheClustersCommand({ CacheClusterId: "cli-cache" }));
    assert.equal(out.CacheClusters?.[0]?.CacheSubnetGroupName, "cli-subnets");
  });

  it("get, describe and plan show the group; a changed description is modified in place", async () => {
    const get = await cli(["get", "ecsg", ...S]);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /^NAME\s+NAME\s+VPC\s+READY\s+AGE/m);
    assert.match(get.stdout, /cli-subnets\s+cli-subnets\s+vpc-\S+\s+true/);
    const described = await cli(["describe", "elasticachesubnetgroup", "cli-subnets", ...S]);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /Kind:\s+ElastiCacheSubnetGroup/);
    assert.match(described.stdout, /Created/);
    const unchanged = await cli(["plan", ...S, "-f", folder]);
    assert.match(
      unchanged.stdout,
      /= ElastiCacheSubnetGroup default\/cli-subnets \(cli-subnets\): no change/,
    );

    writeManifest(folder, "c-subnets.yaml", subnetGroup("second"));
    const changed = await cli(["plan", ...S, "-f", folder]);
    assert.match(changed.stdout, /~ ElastiCacheSubnetGroup default\/cli-subnets/);
    const applied = await cli(["apply", ...S, "-f", folder, "--timeout", "2m"]);
    assert.equal(applied.code, 0, applied.stderr);
    const out = await aws().send(
      new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: "cli-subnets" }),
    );
    assert.equal(out.CacheSubnetGroups?.[0]?.CacheSubnetGroupDescription, "second");
  });

  it("deleting only the group is held while the cluster names it", async () => {
    const held = await cli(["delete", "ecsg", "cli-subnets", ...S, "--timeout", "3s"]);
    assert.notEqual(held.code, 0);
    assert.match(held.stderr, /deletion held: still used by ElastiCacheCluster cli-cache/);
  });

  it("delete -f DIR removes the cluster, then the group", async () => {
    const deleted = await cli(["delete", ...S, "-f", folder, "--timeout", "3m"]);
    assert.equal(deleted.code, 0, deleted.stderr + deleted.stdout);
    assert.match(deleted.stdout, /elasticachesubnetgroup\/cli-subnets deleted/);
    await assert.rejects(
      aws().send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: "cli-subnets" })),
      /CacheSubnetGroupNotFound/,
    );
    const get = await cli(["get", "ecsg", ...S]);
    assert.match(get.stderr, /No ElastiCacheSubnetGroups/);
  });
});
