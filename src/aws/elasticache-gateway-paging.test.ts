// describeAll's paging and member grouping, over a stand-in for the SDK client (pure logic: which
// pages are asked for and how members are folded into their groups). The real listing is exercised
// against the local cloud in gateway.test.ts and observer.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type CacheCluster,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import { ElastiCacheGateway } from "./elasticache-gateway.ts";

function pages<T>(items: T[], size: number, marker: string | undefined) {
  const start = marker === undefined ? 0 : Number(marker);
  const next = start + size;
  return { items: items.slice(start, next), marker: next < items.length ? String(next) : undefined };
}

test("describeAll follows Markers on both listings and folds members into their groups", async () => {
  const standalone: CacheCluster[] = Array.from({ length: 45 }, (_, i) => ({
    CacheClusterId: `c${i}`,
    CacheClusterStatus: "available",
    EngineVersion: "1.6.22",
  }));
  const members: CacheCluster[] = Array.from({ length: 30 }, (_, i) => ({
    CacheClusterId: `g${i % 15}-00${1 + Math.floor(i / 15)}`,
    ReplicationGroupId: `g${i % 15}`,
    EngineVersion: "7.1.0",
    CacheClusterStatus: "available",
  }));
  const groups: ReplicationGroup[] = Array.from({ length: 15 }, (_, i) => ({
    ReplicationGroupId: `g${i}`,
    Status: "creating",
    MemberClusters: [`g${i}-001`, `g${i}-002`],
  }));
  const asked: string[] = [];
  const sender = {
    async send(command: unknown) {
      if (command instanceof DescribeCacheClustersCommand) {
        const input = command.input;
        assert.equal(input.MaxRecords, 20);
        assert.equal(input.ShowCacheNodeInfo, true);
        asked.push(`clusters@${input.Marker ?? "start"}`);
        const p = pages([...standalone, ...members], 20, input.Marker);
        return { CacheClusters: p.items, Marker: p.marker };
      }
      if (command instanceof DescribeReplicationGroupsCommand) {
        const input = command.input;
        asked.push(`groups@${input.Marker ?? "start"}`);
        const p = pages(groups, 20, input.Marker);
        return { ReplicationGroups: p.items, Marker: p.marker };
      }
      throw new Error("unexpected command");
    },
  };
  const all = await new ElastiCacheGateway(sender, { pageSize: 20 }).describeAll();
  assert.deepEqual(asked.sort(), [
    "clusters@20",
    "clusters@40",
    "clusters@60",
    "clusters@start",
    "groups@start",
  ]);
  assert.equal(all.length, 45 + 15, "members are not listed on their own");
  const g3 = all.find((o) => o.id === "g3");
  assert.equal(g3?.topology, "ReplicationGroup");
  assert.equal(g3?.engineVersion, "7.1.0");
  assert.deepEqual(g3?.memberClusters, ["g3-001", "g3-002"]);
  assert.equal(all.find((o) => o.id === "c44")?.topology, "CacheCluster");
});
