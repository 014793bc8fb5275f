// The user group planner: members by ID and by reference, add/remove in one modify, engine.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PlanInput } from "../../runtime/kind.ts";
import { type ObservedUserGroup, planUserGroup, userGroupReferences, wantedMembers } from "./plan.ts";
import type { UserGroupSpec } from "./schema.ts";

const spec = (extra: Partial<UserGroupSpec> = {}): UserGroupSpec => ({
  providerRef: { name: "p" },
  deletionPolicy: "Delete",
  userGroupID: "app-users",
  engine: "redis",
  userIDs: ["default"],
  userRefs: [{ name: "app" }],
  ...extra,
});

const observed = (extra: Partial<ObservedUserGroup> = {}): ObservedUserGroup => ({
  arn: "arn:aws:elasticache:us-east-1:000000000000:usergroup:app-users",
  tags: {},
  status: "active",
  engine: "redis",
  userIDs: ["app-user", "default"],
  pendingAdd: [],
  pendingRemove: [],
  replicationGroups: [],
  serverlessCaches: [],
  ...extra,
});

const input = (over: Partial<PlanInput<UserGroupSpec, ObservedUserGroup>> = {}) => ({
  spec: spec(),
  observed: observed(),
  owner: { namespace: "ns", name: "app-users", uid: "uid-1" },
  tags: {},
  secrets: [],
  resolved: ["app-user"],
  status: {},
  ...over,
});

test("references: user IDs (not AWS's default user) by AWS name, userRefs by object", () => {
  assert.deepEqual(userGroupReferences(spec({ userIDs: ["default", "ops"] })), [
    { kind: "ElastiCacheUser", name: "ops", awsName: "ops", field: "spec.userIDs[1]" },
    { kind: "ElastiCacheUser", name: "app", field: "spec.userRefs[0]" },
  ]);
  assert.deepEqual(wantedMembers(spec({ userIDs: ["default", "ops"] }), ["ops", "app-user"]), [
    "app-user",
    "default",
    "ops",
  ]);
});

test("create with the resolved members; ready when AWS has them", () => {
  assert.deepEqual(planUserGroup(input({ observed: undefined })), {
    type: "act",
    action: { type: "create", userIDs: ["app-user", "default"] },
    reason: "Creating",
    message: "creating user group app-users with app-user, default",
  });
  assert.equal(planUserGroup(input()).type, "ready");
});

test("members added and removed in one modify; waits while AWS modifies", () => {
  const d = planUserGroup(input({ resolved: ["ops"], spec: spec({ userRefs: [{ name: "ops" }] }) }));
  assert.equal(d.type, "act");
  assert.deepEqual((d as { action: unknown }).action, { type: "modify", add: ["ops"], remove: ["app-user"] });
  assert.equal(planUserGroup(input({ observed: observed({ status: "modifying" }) })).type, "wait");
});

test("engine change", () => {
  const d = planUserGroup(input({ spec: spec({ engine: "valkey" }) }));
  assert.deepEqual((d as { action: unknown }).action, {
    type: "modify",
    add: [],
    remove: [],
    engine: "valkey",
  });
});
