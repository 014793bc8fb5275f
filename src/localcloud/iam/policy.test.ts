import assert from "node:assert/strict";
import { test } from "node:test";
import { accessDeniedMessage, evaluate, type PolicyDocument } from "./policy.ts";

const rgArn = "arn:aws:elasticache:us-east-1:000000000000:replicationgroup:orders";

test("allows matching actions with wildcards, case-insensitively", () => {
  const p: PolicyDocument = {
    Statement: { Effect: "Allow", Action: "ElastiCache:Describe*", Resource: "*" },
  };
  assert.equal(evaluate([p], { action: "elasticache:DescribeCacheClusters", resource: "*" }), "Allow");
  assert.equal(evaluate([p], { action: "elasticache:CreateCacheCluster", resource: "*" }), "ImplicitDeny");
});

test("resource ARNs match with wildcards and an explicit deny wins over any allow", () => {
  const allow: PolicyDocument = { Statement: [{ Effect: "Allow", Action: "elasticache:*", Resource: "*" }] };
  const deny: PolicyDocument = {
    Statement: [
      {
        Effect: "Deny",
        Action: ["elasticache:IncreaseReplicaCount"],
        Resource: "arn:aws:elasticache:*:*:replicationgroup:ord*",
      },
    ],
  };
  const req = { action: "elasticache:IncreaseReplicaCount", resource: rgArn };
  assert.equal(evaluate([allow, deny], req), "Deny");
  assert.equal(evaluate([allow, deny], { ...req, resource: rgArn.replace("orders", "carts") }), "Allow");
  assert.equal(
    accessDeniedMessage("arn:aws:iam::000000000000:user/dev", req.action, rgArn, "ImplicitDeny"),
    `User: arn:aws:iam::000000000000:user/dev is not authorized to perform: elasticache:IncreaseReplicaCount on resource: ${rgArn}`,
  );
});

test("NotAction and NotResource invert the match", () => {
  const p: PolicyDocument = {
    Statement: {
      Effect: "Allow",
      NotAction: "elasticache:Delete*",
      NotResource: "arn:aws:elasticache:*:*:cluster:prod-*",
    },
  };
  assert.equal(
    evaluate([p], {
      action: "elasticache:ModifyCacheCluster",
      resource: "arn:aws:elasticache:r:a:cluster:dev-1",
    }),
    "Allow",
  );
  assert.equal(
    evaluate([p], {
      action: "elasticache:DeleteCacheCluster",
      resource: "arn:aws:elasticache:r:a:cluster:dev-1",
    }),
    "ImplicitDeny",
  );
  assert.equal(
    evaluate([p], {
      action: "elasticache:ModifyCacheCluster",
      resource: "arn:aws:elasticache:r:a:cluster:prod-1",
    }),
    "ImplicitDeny",
  );
});

test("trust policy: principal and StringEquals conditions on sts:ExternalId and OIDC claims", () => {
  const trust: PolicyDocument = {
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::000000000000:root" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": "ext-1" } },
      },
      {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::000000000000:oidc-provider/oidc.example.com/id/X" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "oidc.example.com/id/X:sub": "system:serviceaccount:ops:operator",
            "oidc.example.com/id/X:aud": "sts.amazonaws.com",
          },
        },
      },
    ],
  };
  const root = { AWS: ["arn:aws:iam::000000000000:root"] };
  const assume = { action: "sts:AssumeRole", resource: "arn:aws:iam::000000000000:role/r", principals: root };
  assert.equal(evaluate([trust], { ...assume, context: { "sts:externalid": "ext-1" } }), "Allow");
  assert.equal(evaluate([trust], { ...assume, context: { "sts:externalid": "other" } }), "ImplicitDeny");
  assert.equal(evaluate([trust], assume), "ImplicitDeny");
  assert.equal(
    evaluate([trust], {
      ...assume,
      principals: { AWS: ["arn:aws:iam::111111111111:root"] },
      context: { "sts:ExternalId": "ext-1" },
    }),
    "ImplicitDeny",
  );

  const web = {
    action: "sts:AssumeRoleWithWebIdentity",
    resource: "arn:aws:iam::000000000000:role/r",
    principals: { Federated: ["arn:aws:iam::000000000000:oidc-provider/oidc.example.com/id/X"] },
  };
  const claims = { "oidc.example.com/id/X:aud": "sts.amazonaws.com" };
  assert.equal(
    evaluate([trust], {
      ...web,
      context: { ...claims, "oidc.example.com/id/X:sub": "system:serviceaccount:ops:operator" },
    }),
    "Allow",
  );
  assert.equal(
    evaluate([trust], {
      ...web,
      context: { ...claims, "oidc.example.com/id/X:sub": "system:serviceaccount:ops:other" },
    }),
    "ImplicitDeny",
  );
});

test("unknown condition operators fail closed", () => {
  const p: PolicyDocument = {
    Statement: { Effect: "Allow", Action: "*", Resource: "*", Condition: { NumericMagic: { x: "1" } } },
  };
  assert.equal(
    evaluate([p], { action: "elasticache:X", resource: "*", context: { x: "1" } }),
    "ImplicitDeny",
  );
});
