// Which providers may use which identity and endpoint, before anything is read or sent.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AWSProviderSpec } from "../api/aws-provider.ts";
import { parseAllowedEndpoints } from "./endpoint-allowlist.ts";
import { type IdentityPolicy, parseNamespaceList, providerRefusal } from "./identity-policy.ts";

const policy: IdentityPolicy = {
  allowedEndpoints: parseAllowedEndpoints("http://127.0.0.1:4566"),
  operatorIdentityNamespaces: parseNamespaceList("default,platform", "--operator-identity-namespaces"),
};
const keys: AWSProviderSpec = {
  region: "us-east-1",
  accessKeyIDRef: { name: "aws-credentials", key: "access-key-id" },
  secretAccessKeyRef: { name: "aws-credentials", key: "secret-access-key" },
};
const role: AWSProviderSpec = { region: "us-east-1", roleARN: "arn:aws:iam::123456789012:role/r" };
const tenant = { kind: "AWSProvider", namespace: "team-a" } as const;

describe("identity policy", () => {
  test("a tenant's keys from its own Secrets are always allowed", () => {
    assert.equal(providerRefusal(keys, "p", tenant, policy), undefined);
    assert.equal(providerRefusal({ ...keys, roleARN: role.roleARN }, "p", tenant, policy), undefined);
  });

  test("the operator's identity (no keys, with or without roleARN) only in listed namespaces", () => {
    const refused = providerRefusal(role, "p", tenant, policy);
    assert.equal(refused?.reason, "OperatorIdentityNotAllowed");
    assert.match(refused?.message ?? "", /AWSProvider team-a\/p names no credentials of its own/);
    assert.match(refused?.message ?? "", /adds team-a to the operator's --operator-identity-namespaces/);
    assert.equal(
      providerRefusal({ region: "us-east-1" }, "p", tenant, policy)?.reason,
      "OperatorIdentityNotAllowed",
    );
    assert.equal(
      providerRefusal(role, "p", { kind: "AWSProvider", namespace: "default" }, policy),
      undefined,
    );
    const everyone = { ...policy, operatorIdentityNamespaces: new Set(["*"]) };
    assert.equal(providerRefusal(role, "p", tenant, everyone), undefined);
  });

  test("a ClusterAWSProvider may use the operator's identity; endpoints are checked for both kinds", () => {
    assert.equal(providerRefusal(role, "p", { kind: "ClusterAWSProvider" }, policy), undefined);
    const capture = { ...role, endpoint: "http://127.0.0.1:9" };
    assert.equal(
      providerRefusal(capture, "p", { kind: "ClusterAWSProvider" }, policy)?.reason,
      "EndpointNotAllowed",
    );
    assert.equal(
      providerRefusal({ ...keys, endpoint: "http://127.0.0.1:9" }, "p", tenant, policy)?.reason,
      "EndpointNotAllowed",
    );
    assert.equal(
      providerRefusal({ ...keys, endpoint: "http://127.0.0.1:4566" }, "p", tenant, policy),
      undefined,
    );
    assert.equal(providerRefusal({ ...keys, endpoint: "local" }, "p", tenant, policy), undefined);
  });

  test("namespace lists are validated", () => {
    assert.deepEqual([...parseNamespaceList(" a, b ,,*", "--x")], ["a", "b", "*"]);
    assert.throws(
      () => parseNamespaceList("Team_A", "--operator-identity-namespaces"),
      /--operator-identity-namespaces: "Team_A" is not a namespace name/,
    );
  });
});
