// Drift traps: for every setting the operator compares (what observed-mapping.ts reads into
// ObservedCache), a Modify* through the gateway must show up in the next describe — for cache
// clusters and replication groups, where the gateway reads the value from the group and where it reads
// it from a member cache cluster, in one describe and in the batch describeAll. A setting that does
// not come back makes the operator send the same modify on every pass, forever.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import {
  CreateCacheParameterGroupCommand,
  ModifyCacheParameterGroupCommand,
} from "@aws-sdk/client-elasticache";
import type { CreateParams, ModifyParams, ObservedCache, Topology } from "../planner/model.ts";
import { AwsClients } from "./clients.ts";
import { ElastiCacheGateway } from "./elasticache-gateway.ts";
import { startTestCloud, type TestCloud, waitFor } from "./testing.ts";

/** One modify of one setting and what the next describe must report for it. */
interface Step {
  field: keyof ObservedCache;
  change: Omit<ModifyParams, "topology" | "id">;
  want: unknown;
}

interface Case {
  name: string;
  create: Omit<CreateParams, "tags">;
  steps: Step[];
}

/** Settings every cache with snapshots (Redis/Valkey) shares, cache clusters and groups alike. */
const redisSteps = (suffix: string): Step[] => [
  { field: "engineVersion", change: { engineVersion: "7.1.0" }, want: "7.1.0" },
  { field: "nodeType", change: { cacheNodeType: "cache.t3.small" }, want: "cache.t3.small" },
  { field: "snapshotRetentionLimit", change: { snapshotRetentionLimit: 3 }, want: 3 },
  { field: "snapshotWindow", change: { snapshotWindow: "03:00-04:00" }, want: "03:00-04:00" },
  {
    field: "maintenanceWindow",
    change: { preferredMaintenanceWindow: "tue:04:00-tue:05:00" },
    want: "tue:04:00-tue:05:00",
  },
  {
    field: "securityGroupIds",
    change: { securityGroupIds: ["sg-0a1b2c3d", "sg-0e4f5a6b"] },
    want: ["sg-0a1b2c3d", "sg-0e4f5a6b"],
  },
  { field: "securityGroupIds", change: { securityGroupIds: ["sg-0c7d8e9f"] }, want: ["sg-0c7d8e9f"] },
  {
    field: "parameterGroupName",
    change: { cacheParameterGroupName: `roundtrip-${suffix}` },
    want: `roundtrip-${suffix}`,
  },
  { field: "autoMinorVersionUpgrade", change: { autoMinorVersionUpgrade: false }, want: false },
  { field: "autoMinorVersionUpgrade", change: { autoMinorVersionUpgrade: true }, want: true },
];

const groupSteps: Step[] = [
  { field: "description", change: { replicationGroupDescription: "changed" }, want: "changed" },
  { field: "multiAZ", change: { multiAZEnabled: true }, want: true },
  { field: "multiAZ", change: { multiAZEnabled: false }, want: false },
];

const cases: Case[] = [
  {
    name: "Redis cache cluster",
    create: {
      topology: "CacheCluster",
      id: "rt-redis",
      engine: "redis",
      engineVersion: "7.0.7",
      cacheNodeType: "cache.t3.micro",
      numCacheNodes: 1,
    },
    steps: redisSteps("redis"),
  },
  {
    name: "memcached cache cluster",
    create: {
      topology: "CacheCluster",
      id: "rt-memcached",
      engine: "memcached",
      engineVersion: "1.6.17",
      cacheNodeType: "cache.t3.micro",
      numCacheNodes: 1,
    },
    steps: [
      { field: "engineVersion", change: { engineVersion: "1.6.22" }, want: "1.6.22" },
      { field: "nodeType", change: { cacheNodeType: "cache.t3.small" }, want: "cache.t3.small" },
      {
        field: "maintenanceWindow",
        change: { preferredMaintenanceWindow: "fri:01:00-fri:02:00" },
        want: "fri:01:00-fri:02:00",
      },
      { field: "securityGroupIds", change: { securityGroupIds: ["sg-0d1e2f3a"] }, want: ["sg-0d1e2f3a"] },
      {
        field: "parameterGroupName",
        change: { cacheParameterGroupName: "roundtrip-memcached" },
        want: "roundtrip-memcached",
      },
      { field: "autoMinorVersionUpgrade", change: { autoMinorVersionUpgrade: false }, want: false },
    ],
  },
  {
    name: "replication group without cluster mode",
    create: {
      topology: "ReplicationGroup",
      id: "rt-group",
      engine: "redis",
      engineVersion: "7.0.7",
      cacheNodeType: "cache.t3.micro",
      replicationGroupDescription: "round trip",
      numCacheClusters: 2,
      automaticFailoverEnabled: false,
    },
    steps: [
      ...redisSteps("group"),
      { field: "automaticFailover", change: { automaticFailoverEnabled: true }, want: "enabled" },
      ...groupSteps,
      { field: "automaticFailover", change: { automaticFailoverEnabled: false }, want: "disabled" },
    ],
  },
  {
    name: "replication group with cluster mode",
    create: {
      topology: "ReplicationGroup",
      id: "rt-sharded",
      engine: "redis",
      engineVersion: "7.0.7",
      cacheNodeType: "cache.t3.micro",
      replicationGroupDescription: "round trip, sharded",
      clusterMode: true,
      numNodeGroups: 1,
      replicasPerNodeGroup: 1,
      automaticFailoverEnabled: true,
    },
    steps: [...redisSteps("sharded"), ...groupSteps],
  },
];

describe("every Modify* setting comes back in the next describe (local cloud)", () => {
  let cloud: TestCloud;
  let clients: AwsClients;
  let gw: ElastiCacheGateway;

  before(async () => {
    cloud = await startTestCloud();
    clients = new AwsClients(cloud.auth, { maxAttempts: 1 });
    gw = new ElastiCacheGateway(clients);
    // The parameter groups the steps move to must exist, of the caches' family (and with
    // cluster-enabled=yes for the sharded group), as on AWS.
    for (const [name, family] of [
      ["roundtrip-redis", "redis7"],
      ["roundtrip-group", "redis7"],
      ["roundtrip-sharded", "redis7"],
      ["roundtrip-memcached", "memcached1.6"],
    ] as const) {
      await clients.elasticache.send(
        new CreateCacheParameterGroupCommand({
          CacheParameterGroupName: name,
          CacheParameterGroupFamily: family,
          Description: "round trip",
        }),
      );
    }
    await clients.elasticache.send(
      new ModifyCacheParameterGroupCommand({
        CacheParameterGroupName: "roundtrip-sharded",
        ParameterNameValues: [{ ParameterName: "cluster-enabled", ParameterValue: "yes" }],
      }),
    );
  });
  after(async () => {
    clients?.destroy();
    await cloud?.stop();
  });

  const settled = (id: string, topology: Topology) =>
    waitFor(
      `${id} available`,
      () => gw.describe(id, topology),
      (o) => o?.status === "available" && !o.pendingChanges,
      120_000,
    ) as Promise<ObservedCache>;

  for (const c of cases) {
    test(c.name, async () => {
      const { id, topology } = c.create;
      await gw.execute({ type: "create", params: { ...c.create, tags: {} } });
      await settled(id, topology);
      const failures: string[] = [];
      for (const step of c.steps) {
        await gw.execute({
          type: "modify",
          params: { topology, id, ...step.change },
          fields: [step.field],
        });
        const one = await settled(id, topology);
        const all = (await gw.describeAll()).find((o) => o.id === id);
        // Keep going: the report lists every setting that drifts, not only the first.
        for (const [how, seen] of [
          ["describe", one[step.field]],
          ["describeAll", all?.[step.field]],
        ] as const) {
          if (!isDeepStrictEqual(seen, step.want)) {
            failures.push(
              `${how}: ${step.field} after ${JSON.stringify(step.change)} is ${JSON.stringify(seen)}`,
            );
          }
        }
      }
      assert.deepEqual(failures, []);
      await gw.execute({ type: "delete", topology, id });
      await waitFor(
        `${id} deleted`,
        () => gw.describe(id, topology),
        (o) => o === undefined,
        120_000,
      );
    });
  }
});
