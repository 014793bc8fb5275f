// Integration: the local cloud with simulated engines (`--engines simulated`), driven by the AWS
// SDK: a memcached cluster, a replication group and a cluster-mode group go through the same states
// and events as with real engines, and no engine process is ever started.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import {
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  DeleteCacheClusterCommand,
  DescribeCacheClustersCommand,
  DescribeEventsCommand,
  type ElastiCacheClient,
  TestFailoverCommand,
} from "@aws-sdk/client-elasticache";
import { startTestCloud, type TestCloud, waitFor, waitGroupAvailable } from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

/** Processes whose parent is this test process (Linux /proc): engines would show up here. */
function childProcesses(): string[] {
  const children: string[] = [];
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const list = readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim();
    if (list) children.push(...list.split(/\s+/));
  }
  return children;
}

before(async () => {
  t = await startTestCloud({ engines: "simulated" });
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

test("a cluster, a replication group and a cluster-mode group reach available with no engine process", async () => {
  const health = (await t.admin("/_localcloud/health")) as { engines: string };
  assert.equal(health.engines, "simulated");
  await ec.send(
    new CreateCacheClusterCommand({
      CacheClusterId: "sim-mc",
      Engine: "memcached",
      CacheNodeType: "cache.t3.micro",
      NumCacheNodes: 2,
    }),
  );
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "sim-rg",
      ReplicationGroupDescription: "primary and replica",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
    }),
  );
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "sim-shards",
      ReplicationGroupDescription: "2 shards, 1 replica each",
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      ClusterMode: "enabled",
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 1,
      AutomaticFailoverEnabled: true,
    }),
  );
  const cluster = await waitFor("sim-mc available", async () => {
    const r = await ec.send(
      new DescribeCacheClustersCommand({ CacheClusterId: "sim-mc", ShowCacheNodeInfo: true }),
    );
    const c = r.CacheClusters?.[0];
    return c?.CacheClusterStatus === "available" ? c : undefined;
  });
  assert.equal(cluster.CacheNodes?.length, 2);
  assert.ok(cluster.CacheNodes?.every((n) => n.Endpoint?.Port && n.CacheNodeStatus === "available"));
  const rg = await waitGroupAvailable(ec, "sim-rg");
  assert.equal(rg.NodeGroups?.[0]?.NodeGroupMembers?.length, 2);
  const roles = rg.NodeGroups?.[0]?.NodeGroupMembers?.map((m) => m.CurrentRole).sort();
  assert.deepEqual(roles, ["primary", "replica"]);
  const shards = await waitGroupAvailable(ec, "sim-shards");
  assert.equal(shards.NodeGroups?.length, 2);
  assert.ok(shards.ConfigurationEndpoint?.Port);

  // A failover goes through the same states with simulated roles.
  await ec.send(new TestFailoverCommand({ ReplicationGroupId: "sim-shards", NodeGroupId: "0001" }));
  await waitGroupAvailable(ec, "sim-shards");

  await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: "sim-mc" }));
  await waitFor("sim-mc deleted", async () => {
    const r = await ec.send(new DescribeCacheClustersCommand({})).catch(() => undefined);
    return r && !r.CacheClusters?.some((c) => c.CacheClusterId === "sim-mc") ? true : undefined;
  });
  const events = await ec.send(new DescribeEventsCommand({ Duration: 60 }));
  const messages = (events.Events ?? []).map((e) => `${e.SourceIdentifier}: ${e.Message}`);
  assert.ok(
    messages.some((m) => m.startsWith("sim-rg")),
    `events of sim-rg expected, got ${messages.join("; ")}`,
  );
  await t.cloud.settle();
  assert.deepEqual(childProcesses(), [], "simulated engines start no process");
});
