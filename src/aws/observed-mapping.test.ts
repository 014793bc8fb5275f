import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CacheCluster, ReplicationGroup } from "@aws-sdk/client-elasticache";
import { hasPending, observeCacheCluster, observeReplicationGroup, tagsOf } from "./observed-mapping.ts";

const created = new Date("2026-01-02T03:04:05.000Z");

const memcached: CacheCluster = {
  CacheClusterId: "m1",
  ConfigurationEndpoint: { Address: "m1.abc.cfg.use1.cache.amazonaws.com", Port: 11211 },
  CacheNodeType: "cache.t3.micro",
  Engine: "memcached",
  EngineVersion: "1.6.22",
  CacheClusterStatus: "Available",
  NumCacheNodes: 2,
  CacheClusterCreateTime: created,
  PreferredMaintenanceWindow: "sun:06:00-sun:07:00",
  PendingModifiedValues: {},
  CacheParameterGroup: { CacheParameterGroupName: "default.memcached1.6" },
  CacheSubnetGroupName: "subnets",
  CacheNodes: [
    { CacheNodeId: "0001", Endpoint: { Address: "m1.abc.0001.use1.cache.amazonaws.com", Port: 11211 } },
    { CacheNodeId: "0002", Endpoint: { Address: "m1.abc.0002.use1.cache.amazonaws.com", Port: 11211 } },
    { CacheNodeId: "0003", CacheNodeStatus: "creating" },
  ],
  AutoMinorVersionUpgrade: true,
  SecurityGroups: [{ SecurityGroupId: "sg-1", Status: "active" }, { Status: "active" }],
  SnapshotRetentionLimit: 0,
  ARN: "arn:aws:elasticache:us-east-1:000000000000:cluster:m1",
};

describe("cache clusters", () => {
  test("every field from AWS, status lower-cased, endpoints as returned", () => {
    assert.deepEqual(observeCacheCluster(memcached), {
      topology: "CacheCluster",
      id: "m1",
      arn: "arn:aws:elasticache:us-east-1:000000000000:cluster:m1",
      status: "available",
      engine: "memcached",
      engineVersion: "1.6.22",
      nodeType: "cache.t3.micro",
      clusterMode: false,
      numCacheNodes: 2,
      shards: [],
      memberClusters: [],
      transitEncryption: false,
      atRestEncryption: false,
      authTokenEnabled: false,
      snapshotRetentionLimit: 0,
      maintenanceWindow: "sun:06:00-sun:07:00",
      securityGroupIds: ["sg-1"],
      subnetGroupName: "subnets",
      parameterGroupName: "default.memcached1.6",
      autoMinorVersionUpgrade: true,
      configurationEndpoint: { address: "m1.abc.cfg.use1.cache.amazonaws.com", port: 11211 },
      nodeEndpoints: [
        { address: "m1.abc.0001.use1.cache.amazonaws.com", port: 11211, nodeID: "0001" },
        { address: "m1.abc.0002.use1.cache.amazonaws.com", port: 11211, nodeID: "0002" },
      ],
      createTime: "2026-01-02T03:04:05.000Z",
      pendingChanges: false,
    });
  });

  test("pending modified values", () => {
    assert.equal(
      observeCacheCluster({ ...memcached, PendingModifiedValues: { NumCacheNodes: 3 } }).pendingChanges,
      true,
    );
    assert.equal(hasPending({ CacheNodeIdsToRemove: [], ScaleConfig: {} }), false);
    assert.equal(hasPending({ AuthTokenStatus: "ROTATING" }), true);
    assert.equal(hasPending(undefined), false);
  });
});

function member(id: string, extra: Partial<CacheCluster> = {}): CacheCluster {
  return {
    CacheClusterId: id,
    Engine: "redis",
    EngineVersion: "7.1.0",
    CacheClusterStatus: "available",
    CacheNodeType: "cache.t3.small",
    PreferredMaintenanceWindow: "mon:01:00-mon:02:00",
    SecurityGroups: [{ SecurityGroupId: "sg-9" }],
    CacheSubnetGroupName: "private",
    CacheParameterGroup: { CacheParameterGroupName: "default.redis7" },
    CacheNodes: [{ CacheNodeId: "0001", Endpoint: { Address: `${id}.node.local`, Port: 6379 } }],
    PendingModifiedValues: {},
    ...extra,
  };
}

const replicated: ReplicationGroup = {
  ReplicationGroupId: "rg",
  Description: "sessions",
  Status: "available",
  PendingModifiedValues: {},
  MemberClusters: ["rg-001", "rg-002"],
  NodeGroups: [
    {
      NodeGroupId: "0001",
      Status: "available",
      PrimaryEndpoint: { Address: "master.rg.local", Port: 6379 },
      ReaderEndpoint: { Address: "replica.rg.local", Port: 6379 },
      NodeGroupMembers: [
        {
          CacheClusterId: "rg-001",
          CacheNodeId: "0001",
          ReadEndpoint: { Address: "rg-001.rg.local", Port: 6379 },
          CurrentRole: "primary",
        },
        {
          CacheClusterId: "rg-002",
          CacheNodeId: "0001",
          ReadEndpoint: { Address: "rg-002.rg.local", Port: 6379 },
          CurrentRole: "replica",
        },
      ],
    },
  ],
  AutomaticFailover: "enabled",
  MultiAZ: "disabled",
  SnapshotRetentionLimit: 3,
  SnapshotWindow: "04:00-05:00",
  ClusterEnabled: false,
  CacheNodeType: "cache.t3.small",
  AuthTokenEnabled: true,
  TransitEncryptionEnabled: true,
  AtRestEncryptionEnabled: true,
  KmsKeyId: "key-1",
  ARN: "arn:aws:elasticache:us-east-1:000000000000:replicationgroup:rg",
  ReplicationGroupCreateTime: created,
  AutoMinorVersionUpgrade: true,
  Engine: "redis",
  UserGroupIds: ["ops-users", "app-users"],
};

describe("replication groups", () => {
  test("without cluster mode: primary and reader endpoints, members, settings from a member", () => {
    const o = observeReplicationGroup(replicated, [member("rg-001")]);
    assert.equal(o.topology, "ReplicationGroup");
    assert.equal(o.status, "available");
    assert.equal(o.engineVersion, "7.1.0");
    assert.equal(o.clusterMode, false);
    assert.deepEqual(o.primaryEndpoint, { address: "master.rg.local", port: 6379 });
    assert.deepEqual(o.readerEndpoint, { address: "replica.rg.local", port: 6379 });
    assert.equal(o.configurationEndpoint, undefined);
    assert.deepEqual(o.memberClusters, ["rg-001", "rg-002"]);
    assert.equal(o.automaticFailover, "enabled");
    assert.equal(o.multiAZ, false);
    assert.equal(o.authTokenEnabled, true);
    assert.equal(o.transitEncryption, true);
    assert.equal(o.atRestEncryption, true);
    assert.equal(o.kmsKeyId, "key-1");
    assert.equal(o.snapshotRetentionLimit, 3);
    assert.deepEqual(o.securityGroupIds, ["sg-9"]);
    assert.equal(o.subnetGroupName, "private");
    assert.equal(o.parameterGroupName, "default.redis7");
    assert.deepEqual(o.userGroupIds, ["app-users", "ops-users"]);
    assert.equal(o.maintenanceWindow, "mon:01:00-mon:02:00");
    assert.equal(o.description, "sessions");
    assert.equal(o.createTime, "2026-01-02T03:04:05.000Z");
    assert.deepEqual(o.shards, [
      {
        id: "0001",
        status: "available",
        primaryEndpoint: { address: "master.rg.local", port: 6379 },
        readerEndpoint: { address: "replica.rg.local", port: 6379 },
        nodes: [
          {
            id: "rg-001",
            cacheClusterId: "rg-001",
            role: "primary",
            endpoint: { address: "rg-001.rg.local", port: 6379 },
            status: "available",
          },
          {
            id: "rg-002",
            cacheClusterId: "rg-002",
            role: "replica",
            endpoint: { address: "rg-002.rg.local", port: 6379 },
          },
        ],
      },
    ]);
    assert.deepEqual(o.nodeEndpoints, [
      { address: "rg-001.rg.local", port: 6379, nodeID: "rg-001" },
      { address: "rg-002.rg.local", port: 6379, nodeID: "rg-002" },
    ]);
    assert.equal(o.pendingChanges, false);
  });

  test("cluster mode: configuration endpoint, slots, node endpoints from member clusters", () => {
    const rg: ReplicationGroup = {
      ...replicated,
      ClusterEnabled: true,
      Status: "Modifying",
      ConfigurationEndpoint: { Address: "clustercfg.rg.local", Port: 6379 },
      MemberClusters: ["rg-0001-001", "rg-0002-001"],
      NodeGroups: [
        {
          NodeGroupId: "0001",
          Slots: "0-8191",
          NodeGroupMembers: [{ CacheClusterId: "rg-0001-001", CacheNodeId: "0001" }],
        },
        {
          NodeGroupId: "0002",
          Slots: "8192-16383",
          NodeGroupMembers: [{ CacheClusterId: "rg-0002-001", CacheNodeId: "0001" }],
        },
      ],
      PendingModifiedValues: { Resharding: { SlotMigration: { ProgressPercentage: 40 } } },
    };
    const o = observeReplicationGroup(rg, [member("rg-0001-001"), member("rg-0002-001")]);
    assert.equal(o.status, "modifying");
    assert.equal(o.clusterMode, true);
    assert.deepEqual(o.configurationEndpoint, { address: "clustercfg.rg.local", port: 6379 });
    assert.equal(o.primaryEndpoint, undefined);
    assert.deepEqual(
      o.shards.map((s) => [s.id, s.slots, s.nodes[0]?.endpoint?.address]),
      [
        ["0001", "0-8191", "rg-0001-001.node.local"],
        ["0002", "8192-16383", "rg-0002-001.node.local"],
      ],
    );
    assert.equal(o.nodeEndpoints.length, 2);
    assert.equal(o.pendingChanges, true);
  });

  test("a member's pending engine upgrade counts as pending; no members leaves the version empty", () => {
    const o = observeReplicationGroup(replicated, [
      member("rg-001", { PendingModifiedValues: { EngineVersion: "7.2" } }),
    ]);
    assert.equal(o.pendingChanges, true);
    assert.equal(observeReplicationGroup(replicated).engineVersion, "");
  });
});

test("tagsOf", () => {
  assert.deepEqual(tagsOf([{ Key: "a", Value: "1" }, { Key: "b" }, { Value: "x" }]), { a: "1", b: "" });
});
