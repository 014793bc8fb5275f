// ElastiCacheSnapshot through the standalone CLI, on the local cloud's real engines: a folder with
// a cluster and a snapshot of it is applied in one go (the snapshot waits for the cluster); a cache
// created with restoreFromSnapshot in the same folder has the keys written before (redis-cli GET);
// get shows the snapshot; delete -f DIR removes the caches and the snapshot.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { DescribeCacheClustersCommand, DescribeSnapshotsCommand } from "@aws-sdk/client-elasticache";
import { cli, cliWorkspace } from "./cli.ts";
import { cluster, provider, writeManifest } from "./manifests.ts";

const snapshot = (name: string, source: string) => `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheSnapshot
metadata:
  name: ${name}
spec:
  providerRef:
    name: local-test
  snapshotName: ${name}
  clusterRef:
    name: ${source}
`;

const REDIS = 'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro\nnumCacheNodes: 1';

describe("standalone CLI and ElastiCacheSnapshot", () => {
  const { S, folder, aws } = cliWorkspace();
  const redisCli = async (clusterID: string, ...args: string[]) => {
    const out = await aws().send(
      new DescribeCacheClustersCommand({ CacheClusterId: clusterID, ShowCacheNodeInfo: true }),
    );
    const e = out.CacheClusters?.[0]?.CacheNodes?.[0]?.Endpoint;
    const r = spawnSync("redis-cli", ["-h", e?.Address ?? "", "-p", String(e?.Port ?? 0), ...args], {
      encoding: "utf8",
      timeout: 10_000,
    });
    return `${r.stdout}${r.stderr}`.trim();
  };

  it("apply -f DIR: the snapshot waits for its cluster; a restored cache has the keys", async () => {
    writeManifest(folder, "a-provider.yaml", provider("local-test"));
    writeManifest(folder, "b-source.yaml", cluster("cli-src", "cli-src", REDIS));
    const first = await cli(["apply", ...S, "-f", folder, "--timeout", "3m"]);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.equal(await redisCli("cli-src", "SET", "greeting", "from-cli"), "OK");

    // The restored cache's file sorts before the snapshot's: the order comes from the references.
    writeManifest(
      folder,
      "c-restored.yaml",
      cluster("cli-restored", "cli-restored", `${REDIS}\nrestoreFromSnapshot: cli-backup`),
    );
    writeManifest(folder, "d-snapshot.yaml", snapshot("cli-backup", "cli-src"));
    const applied = await cli(["apply", ...S, "-f", folder, "--timeout", "4m"]);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /elasticachesnapshot\/cli-backup: Ready/);
    const inAws = await aws().send(new DescribeSnapshotsCommand({ SnapshotName: "cli-backup" }));
    assert.equal(inAws.Snapshots?.[0]?.SnapshotStatus, "available");
    assert.equal(inAws.Snapshots?.[0]?.CacheClusterId, "cli-src");
    assert.equal(await redisCli("cli-restored", "GET", "greeting"), "from-cli");
    const get = await cli(["get", "ecsnap", ...S]);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /cli-backup\s+cli-backup\s+available\s+redis\s+true/);
  });

  it("delete -f DIR removes the caches and the snapshot", async () => {
    const deleted = await cli(["delete", ...S, "-f", folder, "--timeout", "3m"]);
    assert.equal(deleted.code, 0, deleted.stderr + deleted.stdout);
    await assert.rejects(
      aws().send(new DescribeSnapshotsCommand({ SnapshotName: "cli-backup" })),
      /SnapshotNotFound/,
    );
  });
});
