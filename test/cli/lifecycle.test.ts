// Modifications through re-apply (memcached nodes, replicas) and each deletion policy, checked in
// the local cloud with the SDK.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DescribeCacheClustersCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-elasticache";
import { calls, cli, localCloudUrl, mutating, resetCalls, tempStateDir } from "./cli.ts";
import { cluster, provider, writeManifest } from "./manifests.ts";

describe("standalone modify and delete", () => {
  const state = tempStateDir();
  const S = ["--state-dir", state.dir];
  let client: ElastiCacheClient;
  const providerFile = () => writeManifest(state.dir, "provider.yaml", provider("local-test"));

  before(async () => {
    const first = await cli([
      "apply",
      ...S,
      "-f",
      providerFile(),
      "-f",
      writeManifest(
        state.dir,
        "mc.yaml",
        cluster(
          "mc",
          "lifecycle-mc",
          'engine: memcached\nengineVersion: "1.6.22"\nnodeType: cache.t3.micro\nnumCacheNodes: 1',
        ),
        cluster(
          "rg",
          "lifecycle-rg",
          'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro\nreplicationGroupDescription: lifecycle\nreplicasPerNodeGroup: 1',
        ),
      ),
    ]);
    assert.equal(first.code, 0, first.stderr);
    client = new ElastiCacheClient({
      region: "us-east-1",
      endpoint: localCloudUrl(state.dir),
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  after(async () => {
    client?.destroy();
    await state.cleanup();
  });

  it("scales memcached nodes and Redis replicas through re-apply, one call each", async () => {
    await resetCalls(state.dir);
    const result = await cli([
      "apply",
      ...S,
      "-f",
      providerFile(),
      "-f",
      writeManifest(
        state.dir,
        "mc.yaml",
        cluster(
          "mc",
          "lifecycle-mc",
          'engine: memcached\nengineVersion: "1.6.22"\nnodeType: cache.t3.micro\nnumCacheNodes: 3',
        ),
        cluster(
          "rg",
          "lifecycle-rg",
          'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro\nreplicationGroupDescription: lifecycle\nreplicasPerNodeGroup: 2',
        ),
      ),
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(mutating(await calls(state.dir)), {
      "elasticache:ModifyCacheCluster": 1,
      "elasticache:IncreaseReplicaCount": 1,
    });
    const mc = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: "lifecycle-mc" }));
    assert.equal(mc.CacheClusters?.[0]?.NumCacheNodes, 3);
    const rg = JSON.parse((await cli(["get", "rg", "-o", "json", ...S])).stdout);
    assert.equal(rg.status.memberClusters.length, 3);
  });

  it("--wait=false returns once the create is sent; a later apply waits for Ready", async () => {
    const file = writeManifest(
      state.dir,
      "nowait.yaml",
      cluster("nowait", "lifecycle-nowait", 'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro'),
    );
    const sent = await cli(["apply", ...S, "-f", providerFile(), "-f", file, "--wait=false"]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /nowait: submitted \(not waiting\); follow it with: infra-operator get nowait/);
    const waited = await cli(["apply", ...S, "-f", providerFile(), "-f", file]);
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(waited.stdout, /nowait: redis 7\.1\.\d+ at 127\.0\.0\.1:\d+/);
    const deleted = await cli(["delete", "nowait", ...S]);
    assert.equal(deleted.code, 0, deleted.stderr);
  });

  it("honours each deletionPolicy: Delete removes, Retain keeps, Orphan keeps without our tags", async () => {
    const spec = (policy: string) =>
      `engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro\nnumCacheNodes: 1\ndeletionPolicy: ${policy}`;
    const file = writeManifest(
      state.dir,
      "policies.yaml",
      cluster("del", "policy-delete", spec("Delete")),
      cluster("ret", "policy-retain", spec("Retain")),
      cluster("orph", "policy-orphan", spec("Orphan")),
    );
    const applied = await cli(["apply", ...S, "-f", providerFile(), "-f", file]);
    assert.equal(applied.code, 0, applied.stderr);
    await resetCalls(state.dir);
    const deleted = await cli(["delete", ...S, "-f", file]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^elasticachecluster\/del deleted \(policy-delete was deleted in AWS\)$/m);
    assert.match(
      deleted.stdout,
      /^elasticachecluster\/ret deleted \(deletionPolicy Retain: policy-retain is left running/m,
    );
    assert.match(
      deleted.stdout,
      /^elasticachecluster\/orph deleted \(deletionPolicy Orphan: policy-orphan is left running/m,
    );
    // Delete deletes; Retain marks the cache as retained by this object's uid (one tag call), so only
    // a namesake may re-adopt it; Orphan removes our tags.
    assert.deepEqual(mutating(await calls(state.dir)), {
      "elasticache:DeleteCacheCluster": 1,
      "elasticache:AddTagsToResource": 1,
      "elasticache:RemoveTagsFromResource": 1,
    });

    await assert.rejects(
      client.send(new DescribeCacheClustersCommand({ CacheClusterId: "policy-delete" })),
      /CacheClusterNotFound/,
    );
    const tagsOf = async (id: string) => {
      const c = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: id }));
      const arn = c.CacheClusters?.[0]?.ARN;
      const tags = await client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
      return Object.fromEntries((tags.TagList ?? []).map((t) => [t.Key, t.Value]));
    };
    assert.equal((await tagsOf("policy-retain"))["infra-operator.runner.codes/owner"], "default/ret");
    const orphanTags = await tagsOf("policy-orphan");
    assert.equal(orphanTags["infra-operator.runner.codes/owner"], undefined);
    assert.equal(orphanTags["infra-operator.runner.codes/uid"], undefined);
    const left = JSON.parse((await cli(["get", "-o", "json", ...S])).stdout).items.map(
      (i: { metadata: { name: string } }) => i.metadata.name,
    );
    assert.deepEqual(left.sort(), ["mc", "rg"]);
  });
});
