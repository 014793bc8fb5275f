import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Action, CreateParams } from "../planner/model.ts";
import { requestFor } from "./action-mapping.ts";
import { CloudError } from "./errors.ts";

function req(action: Action, authToken?: string) {
  const r = requestFor(action, authToken !== undefined ? { authToken } : {});
  assert.ok(r !== undefined);
  return { operation: r.operation, input: r.command.input as unknown as Record<string, unknown> };
}

const base: CreateParams = {
  topology: "CacheCluster",
  id: "app-cache",
  engine: "memcached",
  engineVersion: "1.6.22",
  cacheNodeType: "cache.t3.micro",
  numCacheNodes: 2,
  tags: { team: "web", "infra-operator/owner": "ns/app" },
};

describe("user groups", () => {
  test("UserGroupIds on create, UserGroupIdsToAdd/ToRemove on modify", () => {
    const params: CreateParams = {
      topology: "ReplicationGroup",
      id: "rbac",
      engine: "redis",
      engineVersion: "7.0",
      cacheNodeType: "cache.t3.micro",
      numCacheClusters: 1,
      transitEncryptionEnabled: true,
      userGroupIds: ["app-users"],
      tags: {},
    };
    assert.deepEqual(req({ type: "create", params }).input.UserGroupIds, ["app-users"]);
    const modify = req({
      type: "modify",
      params: {
        topology: "ReplicationGroup",
        id: "rbac",
        userGroupIdsToAdd: ["ops-users"],
        userGroupIdsToRemove: ["app-users"],
      },
      fields: ["userGroupIDs"],
    });
    assert.equal(modify.operation, "ModifyReplicationGroup");
    assert.deepEqual(modify.input.UserGroupIdsToAdd, ["ops-users"]);
    assert.deepEqual(modify.input.UserGroupIdsToRemove, ["app-users"]);
  });
});

describe("create", () => {
  test("a cache cluster with tags sorted by key and unset settings left out", () => {
    assert.deepEqual(req({ type: "create", params: base }), {
      operation: "CreateCacheCluster",
      input: {
        CacheClusterId: "app-cache",
        NumCacheNodes: 2,
        Engine: "memcached",
        EngineVersion: "1.6.22",
        CacheNodeType: "cache.t3.micro",
        Tags: [
          { Key: "infra-operator/owner", Value: "ns/app" },
          { Key: "team", Value: "web" },
        ],
      },
    });
  });

  test("a replication group without cluster mode uses NumCacheClusters = replicas + 1", () => {
    const r = req(
      {
        type: "create",
        params: {
          ...base,
          topology: "ReplicationGroup",
          engine: "redis",
          engineVersion: "",
          numCacheNodes: undefined,
          replicasPerNodeGroup: 2,
          automaticFailoverEnabled: true,
          multiAZEnabled: true,
          transitEncryptionEnabled: true,
          atRestEncryptionEnabled: true,
          withAuthToken: true,
          cacheSubnetGroupName: "subnets",
          securityGroupIds: ["sg-1"],
          snapshotRetentionLimit: 5,
          snapshotWindow: "03:00-05:00",
          tags: {},
        },
      },
      "token-value-0123456789",
    );
    assert.equal(r.operation, "CreateReplicationGroup");
    assert.deepEqual(r.input, {
      ReplicationGroupId: "app-cache",
      ReplicationGroupDescription: "app-cache",
      NumCacheClusters: 3,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      AtRestEncryptionEnabled: true,
      Engine: "redis",
      CacheNodeType: "cache.t3.micro",
      CacheSubnetGroupName: "subnets",
      SecurityGroupIds: ["sg-1"],
      TransitEncryptionEnabled: true,
      AuthToken: "token-value-0123456789",
      SnapshotRetentionLimit: 5,
      SnapshotWindow: "03:00-05:00",
      Tags: [],
    });
  });

  test("cluster mode uses NumNodeGroups and ReplicasPerNodeGroup", () => {
    const r = req({
      type: "create",
      params: {
        ...base,
        topology: "ReplicationGroup",
        engine: "redis",
        numCacheNodes: undefined,
        numNodeGroups: 3,
        replicasPerNodeGroup: 1,
        replicationGroupDescription: "sessions",
      },
    });
    assert.equal(r.input.NumNodeGroups, 3);
    assert.equal(r.input.ReplicasPerNodeGroup, 1);
    assert.equal(r.input.ClusterMode, "enabled");
    assert.equal(r.input.NumCacheClusters, undefined);
    assert.equal(r.input.ReplicationGroupDescription, "sessions");
  });

  test("an auth token is required when the params ask for one, and never invented", () => {
    assert.throws(
      () =>
        requestFor({
          type: "create",
          params: { ...base, topology: "ReplicationGroup", withAuthToken: true },
        }),
      (e: unknown) => e instanceof CloudError && e.kind === "Terminal" && /authTokenRef/.test(e.message),
    );
    assert.equal(req({ type: "create", params: base }, "unused-token-123456").input.AuthToken, undefined);
  });
});

describe("modify and scaling", () => {
  test("modify applies immediately and sends only the changed fields", () => {
    assert.deepEqual(
      req({
        type: "modify",
        params: { topology: "CacheCluster", id: "m", numCacheNodes: 1, cacheNodeIdsToRemove: ["0002"] },
        fields: ["numCacheNodes"],
      }),
      {
        operation: "ModifyCacheCluster",
        input: {
          CacheClusterId: "m",
          ApplyImmediately: true,
          NumCacheNodes: 1,
          CacheNodeIdsToRemove: ["0002"],
        },
      },
    );
    assert.deepEqual(
      req({
        type: "modify",
        params: {
          topology: "ReplicationGroup",
          id: "rg",
          automaticFailoverEnabled: false,
          cacheNodeType: "cache.m5.large",
        },
        fields: ["automaticFailoverEnabled", "nodeType"],
      }).input,
      {
        ReplicationGroupId: "rg",
        ApplyImmediately: true,
        AutomaticFailoverEnabled: false,
        CacheNodeType: "cache.m5.large",
      },
    );
  });

  test("token rotation sends AuthToken with the update strategy", () => {
    const r = req(
      {
        type: "modify",
        params: { topology: "ReplicationGroup", id: "rg", authTokenUpdateStrategy: "ROTATE" },
        fields: [],
      },
      "new-token-value-0123456789",
    );
    assert.deepEqual(r.input, {
      ReplicationGroupId: "rg",
      ApplyImmediately: true,
      AuthToken: "new-token-value-0123456789",
      AuthTokenUpdateStrategy: "ROTATE",
    });
    assert.throws(() =>
      requestFor({
        type: "modify",
        params: { topology: "ReplicationGroup", id: "rg", authTokenUpdateStrategy: "SET" },
        fields: [],
      }),
    );
  });

  test("replica counts and resharding", () => {
    assert.deepEqual(req({ type: "increaseReplicaCount", id: "rg", newReplicaCount: 2 }), {
      operation: "IncreaseReplicaCount",
      input: { ReplicationGroupId: "rg", NewReplicaCount: 2, ApplyImmediately: true },
    });
    assert.deepEqual(req({ type: "decreaseReplicaCount", id: "rg", newReplicaCount: 0 }).input, {
      ReplicationGroupId: "rg",
      NewReplicaCount: 0,
      ApplyImmediately: true,
    });
    assert.deepEqual(req({ type: "reshard", id: "rg", nodeGroupCount: 2, nodeGroupsToRemove: ["0003"] }), {
      operation: "ModifyReplicationGroupShardConfiguration",
      input: {
        ReplicationGroupId: "rg",
        NodeGroupCount: 2,
        ApplyImmediately: true,
        NodeGroupsToRemove: ["0003"],
      },
    });
    assert.deepEqual(req({ type: "reshard", id: "rg", nodeGroupCount: 4 }).input, {
      ReplicationGroupId: "rg",
      NodeGroupCount: 4,
      ApplyImmediately: true,
    });
  });
});

describe("tags and delete", () => {
  const arn = "arn:aws:elasticache:us-east-1:000000000000:cluster:m";
  test("tags", () => {
    assert.deepEqual(req({ type: "addTags", arn, tags: { b: "2", a: "1" } }), {
      operation: "AddTagsToResource",
      input: {
        ResourceName: arn,
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "2" },
        ],
      },
    });
    assert.deepEqual(req({ type: "removeTags", arn, keys: ["z", "a"] }), {
      operation: "RemoveTagsFromResource",
      input: { ResourceName: arn, TagKeys: ["a", "z"] },
    });
    assert.deepEqual(req({ type: "readTags", arn }), {
      operation: "ListTagsForResource",
      input: { ResourceName: arn },
    });
  });

  test("delete, with a final snapshot when asked", () => {
    assert.deepEqual(req({ type: "delete", topology: "CacheCluster", id: "m" }), {
      operation: "DeleteCacheCluster",
      input: { CacheClusterId: "m" },
    });
    assert.deepEqual(
      req({ type: "delete", topology: "ReplicationGroup", id: "rg", finalSnapshotName: "rg-final" }),
      {
        operation: "DeleteReplicationGroup",
        input: { ReplicationGroupId: "rg", RetainPrimaryCluster: false, FinalSnapshotIdentifier: "rg-final" },
      },
    );
  });

  test("wait and none call nothing", () => {
    assert.equal(requestFor({ type: "wait", seconds: 5, reason: "creating" }), undefined);
    assert.equal(requestFor({ type: "none" }), undefined);
  });
});
