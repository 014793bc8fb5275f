// Integration: target tracking in the local cloud decides from the real engines. A one-shard
// cluster-mode group with a memory target of 50 %: real keys past the target add a shard (slots and
// keys move; every key stays readable through redis-cli -c), deleting them removes it again after
// the scale-in alarm's 15 periods; each step is a scaling activity. A load generator on a replica
// past a 25 % engine CPU target adds a replica, which goes once the load stops. CloudWatch answers
// the metrics the decisions were made on.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  CreateReplicationGroupCommand,
  DescribeReplicationGroupsCommand,
  type ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { defaultConfig } from "./config.ts";
import { serviceModel } from "./protocol/model.ts";
import {
  redisCli,
  startTestCloud,
  type TestCloud,
  testCredentials,
  waitFor,
  waitGroupAvailable,
} from "./testing/harness.ts";
import { busyEngine, clusterKeyCount, fillKeys, flushCluster } from "./testing/load.ts";
import { callQuery } from "./testing/query-client.ts";

let t: TestCloud;
let ec: ElastiCacheClient;
let as: ApplicationAutoScalingClient;
const resource = {
  ServiceNamespace: "elasticache",
  ResourceId: "replication-group/tracked",
  ScalableDimension: "elasticache:replication-group:NodeGroups",
} as const;

const replicaResource = {
  ServiceNamespace: "elasticache",
  ResourceId: "replication-group/cpu-tracked",
  ScalableDimension: "elasticache:replication-group:Replicas",
} as const;

before(async () => {
  // cache.t3.micro's 512 MiB / 64 = 8 MiB per node; a metric period of 400 ms.
  t = await startTestCloud({ config: { ...defaultConfig(), nodeMemoryDivisor: 64, metricPeriodMs: 400 } });
  ec = t.elasticache();
  as = t.autoScaling();
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "tracked",
      ReplicationGroupDescription: "d",
      CacheNodeType: "cache.t3.micro",
      Engine: "redis",
      NumNodeGroups: 1,
      ReplicasPerNodeGroup: 0,
    }),
  );
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "cpu-tracked",
      ReplicationGroupDescription: "d",
      CacheNodeType: "cache.t3.micro",
      Engine: "redis",
      NumNodeGroups: 1,
      ReplicasPerNodeGroup: 1,
    }),
  );
  await waitGroupAvailable(ec, "tracked");
  await waitGroupAvailable(ec, "cpu-tracked");
});
after(async () => {
  await t?.stop();
});

const shardCount = async () => {
  const g = (await ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "tracked" })))
    .ReplicationGroups?.[0];
  return g?.Status === "available" ? g.NodeGroups?.length : undefined;
};

test("memory past the target adds a shard; the keys stay readable; emptied, it scales back in", async (tc) => {
  const g = await waitGroupAvailable(ec, "tracked");
  const port = g.ConfigurationEndpoint?.Port as number;
  assert.match(redisCli(["-p", String(port), "CONFIG", "GET", "maxmemory"]), /8388608/);
  await as.send(new RegisterScalableTargetCommand({ ...resource, MinCapacity: 1, MaxCapacity: 3 }));
  await as.send(
    new PutScalingPolicyCommand({
      ...resource,
      PolicyName: "memory",
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 50,
        PredefinedMetricSpecification: {
          PredefinedMetricType: "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage",
        },
        ScaleInCooldown: 60,
      },
    }),
  );
  // Below the target nothing happens.
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(await shardCount(), 1);

  fillKeys(port, 3000, 1000);
  const crossed = Date.now();
  await waitFor("a second shard", async () => ((await shardCount()) === 2 ? true : undefined), 120_000);
  const seconds = ((Date.now() - crossed) / 1000).toFixed(1);
  tc.diagnostic(`${seconds} s from crossing the target to the second shard available (400 ms periods)`);
  const out = await as.send(new DescribeScalingActivitiesCommand(resource));
  const activity = out.ScalingActivities?.[0];
  assert.equal(activity?.Description, "Setting node group count to 2.");
  assert.match(activity?.Cause ?? "", /AlarmHigh.*triggered policy memory/);
  await waitFor("the activity to complete", async () => {
    const a = (await as.send(new DescribeScalingActivitiesCommand(resource))).ScalingActivities?.[0];
    return a?.StatusCode === "Successful" ? a : undefined;
  });
  assert.equal(clusterKeyCount(port), 3000);
  for (const i of [0, 777, 1500, 2999])
    assert.equal(redisCli(["-c", "-p", String(port), "STRLEN", `load:${i}`]), "1000");
  // Two shards hold the keys below the target: no flapping back to one.
  await new Promise((r) => setTimeout(r, 8000));
  const all = (await as.send(new DescribeScalingActivitiesCommand(resource))).ScalingActivities ?? [];
  assert.equal(await shardCount(), 2, all.map((a) => a.Cause).join("\n"));

  flushCluster(port);
  await waitFor(
    "scale-in to one shard",
    async () => ((await shardCount()) === 1 ? true : undefined),
    120_000,
  );
  const latest = (await as.send(new DescribeScalingActivitiesCommand(resource))).ScalingActivities?.[0];
  assert.equal(latest?.Description, "Setting node group count to 1.");
  assert.match(latest?.Cause ?? "", /AlarmLow/);
});

test("CloudWatch answers the AWS/ElastiCache metrics the scaling was decided on", async () => {
  const cw = (action: string, input: Record<string, unknown>) =>
    callQuery(
      {
        url: t.url,
        service: serviceModel("monitoring"),
        credentials: testCredentials,
        signingName: "monitoring",
      },
      action,
      input,
    );
  const listed = await cw("ListMetrics", {
    Namespace: "AWS/ElastiCache",
    MetricName: "DatabaseMemoryUsageCountedForEvictPercentage",
    Dimensions: [{ Name: "CacheClusterId", Value: "tracked-0001-001" }],
  });
  assert.deepEqual(listed.problems, []);
  const metrics = listed.result.Metrics as { Dimensions: { Name: string; Value: string }[] }[];
  assert.ok(
    metrics.some((m) => m.Dimensions.some((d) => d.Name === "CacheNodeId" && d.Value === "0001")),
    JSON.stringify(metrics),
  );
  const window = { StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 1000) };
  const stats = await cw("GetMetricStatistics", {
    Namespace: "AWS/ElastiCache",
    MetricName: "DatabaseMemoryUsageCountedForEvictPercentage",
    Dimensions: [{ Name: "CacheClusterId", Value: "tracked-0001-001" }],
    ...window,
    Period: 600,
    Statistics: ["Maximum", "Minimum", "SampleCount"],
  });
  assert.deepEqual(stats.problems, []);
  const point = (stats.result.Datapoints as Record<string, number>[])[0];
  assert.ok(
    (point?.Maximum ?? 0) > 50,
    `the filled node went past the 50 % target: ${JSON.stringify(point)}`,
  );
  assert.ok((point?.Minimum ?? 100) < 45, "and below 45 % once emptied");
  const data = await cw("GetMetricData", {
    MetricDataQueries: [
      {
        Id: "cpu",
        MetricStat: {
          Metric: {
            Namespace: "AWS/ElastiCache",
            MetricName: "EngineCPUUtilization",
            Dimensions: [
              { Name: "ReplicationGroupId", Value: "tracked" },
              { Name: "NodeGroupId", Value: "0001" },
            ],
          },
          Period: 60,
          Stat: "Average",
        },
      },
    ],
    ...window,
  });
  assert.deepEqual(data.problems, []);
  const result = (data.result.MetricDataResults as { Values: number[]; Timestamps: string[] }[])[0];
  assert.ok((result?.Values.length ?? 0) > 0 && result?.Values.length === result?.Timestamps.length);
  assert.ok(result?.Values.every((v) => v >= 0 && v <= 100));
});

const replicaCount = async () => {
  const g = (await ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "cpu-tracked" })))
    .ReplicationGroups?.[0];
  return g?.Status === "available" ? (g.NodeGroups?.[0]?.NodeGroupMembers?.length ?? 1) - 1 : undefined;
};

test("a busy replica's engine CPU adds a replica; idle again, it goes", async (tc) => {
  const g = await waitGroupAvailable(ec, "cpu-tracked");
  // Cluster mode reports no roles; the group was created with -001 as the primary.
  const replica = g.NodeGroups?.[0]?.NodeGroupMembers?.find(
    (m) => m.CacheClusterId === "cpu-tracked-0001-002",
  );
  const port = replica?.ReadEndpoint?.Port as number;
  assert.ok(port > 0, JSON.stringify(g.NodeGroups));
  await as.send(new RegisterScalableTargetCommand({ ...replicaResource, MinCapacity: 1, MaxCapacity: 2 }));
  await as.send(
    new PutScalingPolicyCommand({
      ...replicaResource,
      PolicyName: "cpu",
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 25,
        PredefinedMetricSpecification: { PredefinedMetricType: "ElastiCacheReplicaEngineCPUUtilization" },
      },
    }),
  );
  const load = busyEngine(port);
  try {
    const started = Date.now();
    await waitFor("a second replica", async () => ((await replicaCount()) === 2 ? true : undefined), 120_000);
    tc.diagnostic(
      `${((Date.now() - started) / 1000).toFixed(1)} s from starting the load to the second replica available`,
    );
  } finally {
    load.stop();
  }
  const out = (await as.send(new DescribeScalingActivitiesCommand(replicaResource))).ScalingActivities ?? [];
  assert.equal(out.at(-1)?.Description, "Setting replicas per node group to 2.");
  assert.match(out.at(-1)?.Cause ?? "", /ElastiCacheReplicaEngineCPUUtilization/);
  await waitFor(
    "back to one replica",
    async () => ((await replicaCount()) === 1 ? true : undefined),
    120_000,
  );
});
