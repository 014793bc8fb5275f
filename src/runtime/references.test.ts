// The reference graph (pure, over in-memory lookups): what a Delete is held by.
import assert from "node:assert/strict";
import { test } from "node:test";
import { clusterReferences } from "../kinds/cluster-references.ts";
import { userKind } from "../kinds/user/index.ts";
import { userGroupKind } from "../kinds/user-group/index.ts";
import type { KubeObject } from "../kube/rest.ts";
import { kindSource, type ObjectLookup, ReferenceGraph } from "./references.ts";

function lookup(objects: KubeObject[]): ObjectLookup {
  return {
    get: (key) => objects.find((o) => `${o.metadata?.namespace}/${o.metadata?.name}` === key),
    list: () => objects,
  };
}

const obj = (name: string, spec: Record<string, unknown>, deleting = false): KubeObject =>
  ({
    metadata: { namespace: "ns", name, ...(deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}) },
    spec: { providerRef: { name: "p" }, ...spec },
  }) as KubeObject;

const user = obj("app", {
  userID: "app",
  userName: "app",
  engine: "redis",
  accessString: "on ~app:* +get",
  authenticationMode: "no-password",
});

function graph(groupDeleting: boolean, clusterDeleting: boolean): ReferenceGraph {
  const group = obj(
    "app-users",
    { userGroupID: "app-users", engine: "redis", userIDs: ["default"], userRefs: [{ name: "app" }] },
    groupDeleting,
  );
  const cluster = obj("rbac", { clusterID: "rbac", userGroupIDs: ["app-users"] }, clusterDeleting);
  return new ReferenceGraph([
    kindSource(userKind, lookup([user])),
    kindSource(userGroupKind, lookup([group])),
    { kind: "ElastiCacheCluster", informer: lookup([cluster]), references: clusterReferences },
  ]);
}

test("a user named by a group is held, and still while the group is being deleted", () => {
  assert.deepEqual(graph(false, false).usersOf("ElastiCacheUser", "ns", "app", "app"), [
    "ElastiCacheUserGroup app-users",
  ]);
  // The group's deletion may itself be held by its cluster: its users must stay in AWS till then.
  assert.deepEqual(graph(true, false).usersOf("ElastiCacheUser", "ns", "app", "app"), [
    "ElastiCacheUserGroup app-users (being deleted)",
  ]);
});

test("a group used by a cluster is held until the cluster object is gone", () => {
  assert.deepEqual(graph(false, true).usersOf("ElastiCacheUserGroup", "ns", "app-users", "app-users"), [
    "ElastiCacheCluster rbac (being deleted)",
  ]);
  assert.deepEqual(graph(false, false).usersOf("ElastiCacheUserGroup", "ns", "other", "other"), []);
});
