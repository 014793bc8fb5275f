import assert from "node:assert/strict";
import { test } from "node:test";
import { AwsError } from "./errors.ts";
import { serviceModel } from "./model.ts";
import { parseQueryInput } from "./query-input.ts";

const ec = serviceModel("elasticache");

test("parses list element names, nested tags, integers and booleans from the model", () => {
  const params = new URLSearchParams({
    Action: "CreateReplicationGroup",
    ReplicationGroupId: "rg1",
    ReplicationGroupDescription: "d",
    NumNodeGroups: "3",
    TransitEncryptionEnabled: "true",
    "SecurityGroupIds.SecurityGroupId.1": "sg-1",
    "SecurityGroupIds.SecurityGroupId.2": "sg-2",
    "Tags.Tag.1.Key": "team",
    "Tags.Tag.1.Value": "core",
    "NodeGroupConfiguration.NodeGroupConfiguration.1.ReplicaCount": "2",
  });
  const input = parseQueryInput(ec, ec.operations.CreateReplicationGroup?.input, params);
  assert.deepEqual(input.SecurityGroupIds, ["sg-1", "sg-2"]);
  assert.deepEqual(input.Tags, [{ Key: "team", Value: "core" }]);
  assert.equal(input.NumNodeGroups, 3);
  assert.equal(input.TransitEncryptionEnabled, true);
  assert.deepEqual(input.NodeGroupConfiguration, [{ ReplicaCount: 2 }]);
  assert.equal(input.Action, undefined);
});

test("refuses a missing required member with MissingParameter", () => {
  const params = new URLSearchParams({ Action: "CreateCacheCluster" });
  assert.throws(
    () => parseQueryInput(ec, ec.operations.CreateCacheCluster?.input, params),
    (e: unknown) =>
      e instanceof AwsError && e.code === "MissingParameter" && /CacheClusterId/.test(e.message),
  );
});

test("refuses malformed integers, booleans and enum values with InvalidParameterValue", () => {
  const op = ec.operations.CreateCacheCluster?.input;
  for (const [k, v] of [
    ["NumCacheNodes", "two"],
    ["AutoMinorVersionUpgrade", "yes"],
    ["AZMode", "everywhere"],
  ] as const) {
    const params = new URLSearchParams({ CacheClusterId: "c1", [k]: v });
    assert.throws(
      () => parseQueryInput(ec, op, params),
      (e: unknown) => e instanceof AwsError && e.code === "InvalidParameterValue" && e.message.includes(k),
    );
  }
});

test("an empty list field is an empty list", () => {
  const params = new URLSearchParams({ ResourceName: "arn", TagKeys: "" });
  const input = parseQueryInput(ec, ec.operations.RemoveTagsFromResource?.input, params);
  assert.deepEqual(input.TagKeys, []);
});

test("maps use Name.entry.N.key / .value", () => {
  const sts = serviceModel("sts");
  const mapShape = Object.entries(sts.shapes).find(([, s]) => s.type === "map")?.[0];
  assert.ok(mapShape, "the STS model has a map shape");
  const owner = Object.entries(sts.shapes).find(
    ([, s]) => s.type === "structure" && Object.values(s.members).some((m) => m.shape === mapShape),
  );
  assert.ok(owner);
  const [ownerName, ownerShape] = owner;
  const member = Object.entries((ownerShape as { members: Record<string, { shape: string }> }).members).find(
    ([, m]) => m.shape === mapShape,
  )?.[0] as string;
  const params = new URLSearchParams({ [`${member}.entry.1.key`]: "a", [`${member}.entry.1.value`]: "1" });
  const parsed = parseQueryInput(sts, ownerName, params);
  assert.deepEqual(parsed[member], { a: "1" });
});
