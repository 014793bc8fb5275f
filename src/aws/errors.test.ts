import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import * as elasticache from "@aws-sdk/client-elasticache";
import * as sts from "@aws-sdk/client-sts";
import { SecretRedactor } from "../secrets/redact.ts";
import { codeKey, kindOfCode, knownCodes } from "./error-codes.ts";
import { CloudError, classify, iamActionOf } from "./errors.ts";

/** An error as the SDK builds it for an AWS Query error response. */
function awsError(code: string, message: string, status = 400, fault: "client" | "server" = "client") {
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: fault,
    $metadata: { httpStatusCode: status, requestId: "req-1" },
  });
}

describe("classify", () => {
  const cases: Array<[string, string, string]> = [
    ["CacheClusterNotFound", "DescribeCacheClusters", "NotFound"],
    ["ReplicationGroupNotFoundFault", "DescribeReplicationGroups", "NotFound"],
    ["ReplicationGroupNotFoundFault", "IncreaseReplicaCount", "NotFound"],
    ["CacheClusterNotFound", "AddTagsToResource", "NotFound"],
    ["CacheSubnetGroupNotFoundFault", "CreateReplicationGroup", "Terminal"],
    ["CacheParameterGroupNotFound", "ModifyCacheCluster", "Terminal"],
    ["UserNotFound", "DescribeUsers", "NotFound"],
    ["UserGroupNotFound", "DescribeUserGroups", "NotFound"],
    ["UserNotFound", "CreateUserGroup", "Terminal"],
    ["UserGroupNotFoundFault", "ModifyReplicationGroup", "Terminal"],
    ["ServerlessCacheNotFoundFault", "DescribeServerlessCaches", "NotFound"],
    ["ServerlessCacheNotFoundFault", "ListTagsForResource", "NotFound"],
    ["UserGroupNotFoundFault", "CreateServerlessCache", "Terminal"],
    ["InvalidServerlessCacheStateFault", "ModifyServerlessCache", "InvalidState"],
    ["CacheClusterAlreadyExists", "CreateCacheCluster", "AlreadyExists"],
    ["ReplicationGroupAlreadyExists", "CreateReplicationGroup", "AlreadyExists"],
    ["SnapshotAlreadyExistsFault", "DeleteReplicationGroup", "Terminal"],
    ["InvalidCacheClusterState", "ModifyCacheCluster", "InvalidState"],
    ["InvalidReplicationGroupState", "DeleteReplicationGroup", "InvalidState"],
    ["Throttling", "DescribeCacheClusters", "Throttled"],
    ["ThrottlingException", "DescribeCacheClusters", "Throttled"],
    ["RequestLimitExceeded", "DescribeCacheClusters", "Throttled"],
    ["APICallRateForCustomerExceeded", "ModifyReplicationGroup", "Throttled"],
    ["ServiceUnavailable", "DescribeCacheClusters", "Transient"],
    ["InternalFailure", "DescribeCacheClusters", "Transient"],
    ["InvalidParameterValue", "CreateCacheCluster", "Terminal"],
    ["InvalidParameterCombination", "CreateReplicationGroup", "Terminal"],
    ["ClusterQuotaForCustomerExceeded", "CreateCacheCluster", "Terminal"],
    ["NodeQuotaForCustomerExceeded", "CreateReplicationGroup", "Terminal"],
    ["TagQuotaPerResourceExceeded", "AddTagsToResource", "Terminal"],
    ["AccessDenied", "IncreaseReplicaCount", "AccessDenied"],
    ["InvalidClientTokenId", "GetCallerIdentity", "InvalidCredentials"],
    ["SignatureDoesNotMatch", "GetCallerIdentity", "InvalidCredentials"],
    ["ExpiredToken", "DescribeCacheClusters", "InvalidCredentials"],
    ["ExpiredTokenException", "AssumeRole", "InvalidCredentials"],
    ["InvalidIdentityToken", "AssumeRoleWithWebIdentity", "InvalidCredentials"],
    ["MalformedPolicyDocument", "AssumeRole", "Terminal"],
  ];
  for (const [code, operation, kind] of cases) {
    test(`${code} from ${operation} is ${kind}`, () => {
      const e = classify(awsError(code, `message for ${code}`), operation);
      assert.equal(e.kind, kind);
      assert.equal(e.code, code);
      assert.equal(e.action, operation);
      assert.equal(e.requestId, "req-1");
      assert.match(e.message, new RegExp(`^${operation} failed: ${code}: message for ${code}; `));
    });
  }

  test("AccessDenied names the IAM action from AWS's message", () => {
    const e = classify(
      awsError(
        "AccessDenied",
        "User: arn:aws:iam::000000000000:user/ops is not authorized to perform: elasticache:ModifyReplicationGroupShardConfiguration on resource: arn:aws:elasticache:us-east-1:000000000000:replicationgroup:x",
        403,
      ),
      "ModifyReplicationGroupShardConfiguration",
    );
    assert.equal(e.kind, "AccessDenied");
    assert.equal(e.iamAction, "elasticache:ModifyReplicationGroupShardConfiguration");
    assert.match(e.message, /grant elasticache:ModifyReplicationGroupShardConfiguration/);
  });

  test("AccessDenied without a usable message derives the IAM action from the operation", () => {
    assert.equal(
      classify(awsError("AccessDenied", "denied", 403), "IncreaseReplicaCount").iamAction,
      "elasticache:IncreaseReplicaCount",
    );
    assert.equal(classify(awsError("AccessDenied", "denied", 403), "AssumeRole").iamAction, "sts:AssumeRole");
  });

  test("unknown codes fall back on the HTTP status", () => {
    assert.equal(classify(awsError("Weird", "x", 500, "server"), "DescribeCacheClusters").kind, "Transient");
    assert.equal(classify(awsError("Weird", "x", 429), "DescribeCacheClusters").kind, "Throttled");
    assert.equal(classify(awsError("Weird", "x", 403), "DescribeCacheClusters").kind, "AccessDenied");
    assert.equal(classify(awsError("Weird", "x", 400), "DescribeCacheClusters").kind, "Terminal");
  });

  test("socket errors are Unreachable, also when nested in a cause", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
      code: "ECONNREFUSED",
      address: "127.0.0.1",
      port: 1,
      $metadata: {},
    });
    const e = classify(refused, "GetCallerIdentity");
    assert.equal(e.kind, "Unreachable");
    assert.equal(e.code, "ECONNREFUSED");
    assert.match(e.message, /127\.0\.0\.1:1/);
    assert.equal(e.retryable, true);
    const nested = new Error("fetch failed", {
      cause: Object.assign(new Error("dns"), { code: "ENOTFOUND" }),
    });
    assert.equal(classify(nested, "DescribeCacheClusters").kind, "Unreachable");
    const timeout = Object.assign(new Error("socket timed out"), { name: "TimeoutError" });
    assert.equal(classify(timeout, "DescribeCacheClusters").kind, "Unreachable");
  });

  test("an SDK credentials-chain failure says how to give credentials", () => {
    const e = classify(
      Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
      "GetCallerIdentity",
    );
    assert.equal(e.kind, "InvalidCredentials");
    assert.match(e.message, /accessKeyIDRef/);
  });

  test("messages never carry a registered secret", () => {
    const redactor = new SecretRedactor();
    const token = "s3cr3t-auth-token-value-0123456789";
    redactor.add(token);
    const e = classify(
      awsError("InvalidParameterValue", `bad AuthToken ${token}`),
      "CreateReplicationGroup",
      redactor,
    );
    assert.ok(!e.message.includes(token));
    assert.match(e.message, /\[REDACTED\]/);
    assert.ok(!JSON.stringify(e).includes(token));
  });

  test("a CloudError passes through unchanged", () => {
    const e = new CloudError({ kind: "Throttled", code: "Throttling", action: "X", message: "m" });
    assert.equal(classify(e, "Y"), e);
  });

  test("iamActionOf", () => {
    assert.equal(iamActionOf("CreateCacheCluster"), "elasticache:CreateCacheCluster");
    assert.equal(iamActionOf("GetCallerIdentity"), "sts:GetCallerIdentity");
    assert.equal(iamActionOf("CreateServerlessCache"), "elasticache:CreateServerlessCache");
    assert.equal(iamActionOf("PutScalingPolicy"), "application-autoscaling:PutScalingPolicy");
    // IAM's name of the Resource Groups Tagging API is tag, not its endpoint's tagging.
    assert.equal(iamActionOf("GetResources"), "tag:GetResources");
  });
});

describe("error code table", () => {
  test("no code belongs to two kinds", () => {
    const seen = new Map<string, string>();
    for (const code of knownCodes()) {
      const kind = kindOfCode(code) as string;
      const prev = seen.get(codeKey(code));
      if (prev !== undefined) assert.equal(prev, kind, `${code} is listed as ${prev} and ${kind}`);
      seen.set(codeKey(code), kind);
    }
  });

  test("every fault of the ElastiCache and STS SDK clients has a kind", () => {
    const missing: string[] = [];
    for (const [mod, base] of [
      [elasticache, elasticache.ElastiCacheServiceException],
      [sts, sts.STSServiceException],
    ] as const) {
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value !== "function" || value === base || !(value.prototype instanceof base)) continue;
        if (kindOfCode(name) === undefined) missing.push(name);
      }
    }
    assert.deepEqual(missing, []);
  });

  test("every wire code of the service models has a kind", () => {
    const model = JSON.parse(
      readFileSync(new URL("../localcloud/protocol/model.generated.json", import.meta.url), "utf8"),
    ) as Record<string, unknown>;
    const services = [model.elasticache, model.sts] as Array<{ errors: Record<string, { code: string }> }>;
    assert.equal(services.length, 2);
    const missing: string[] = [];
    for (const service of services) {
      for (const [shape, { code }] of Object.entries(service.errors)) {
        if (kindOfCode(code) === undefined) missing.push(code);
        if (kindOfCode(shape) === undefined) missing.push(shape);
      }
    }
    assert.deepEqual(missing, []);
  });
});
