// Integration: signature refusals, IAM-style policies, STS (AssumeRole with ExternalId,
// AssumeRoleWithWebIdentity with an RS256 token), temporary credentials surviving a restart,
// fault injection and call counts — all through the AWS SDK v3 against the real local cloud.
import assert from "node:assert/strict";
import { createSign, generateKeyPairSync } from "node:crypto";
import { after, before, test } from "node:test";
import {
  CreateCacheClusterCommand,
  DescribeCacheClustersCommand,
  IncreaseReplicaCountCommand,
} from "@aws-sdk/client-elasticache";
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
} from "@aws-sdk/client-sts";
import { parseConfig } from "./config.ts";
import { type Credentials, errorOf, startTestCloud, type TestCloud } from "./testing/harness.ts";

const issuer = "https://oidc.local.test/id/ABC";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const acct = "000000000000";

const config = parseConfig(
  {
    accounts: [
      {
        id: acct,
        users: [
          {
            name: "root",
            accessKeys: [{ id: "test", secret: "test" }],
            policies: [{ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }],
          },
          {
            name: "dev",
            accessKeys: [{ id: "AKIADEV0000000000001", secret: "dev-secret" }],
            policies: [
              {
                Statement: [
                  { Effect: "Allow", Action: ["elasticache:*", "sts:AssumeRole"], Resource: "*" },
                  {
                    Effect: "Deny",
                    Action: "elasticache:IncreaseReplicaCount",
                    Resource: "arn:aws:elasticache:*:*:replicationgroup:orders*",
                  },
                ],
              },
            ],
          },
          {
            name: "eu-only",
            accessKeys: [{ id: "AKIAEUONLY0000000001", secret: "eu-secret" }],
            policies: [
              {
                Statement: {
                  Effect: "Allow",
                  Action: "elasticache:*",
                  Resource: "*",
                  Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
                },
              },
            ],
          },
          {
            name: "reader",
            accessKeys: [{ id: "AKIAREADER0000000001", secret: "reader-secret" }],
            policies: [{ Statement: { Effect: "Allow", Action: "elasticache:Describe*", Resource: "*" } }],
          },
        ],
        roles: [
          {
            name: "operator",
            trustPolicy: {
              Statement: {
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${acct}:root` },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": "ext-123" } },
              },
            },
            policies: [{ Statement: { Effect: "Allow", Action: "elasticache:Describe*", Resource: "*" } }],
          },
          {
            name: "irsa",
            trustPolicy: {
              Statement: {
                Effect: "Allow",
                Principal: { Federated: `arn:aws:iam::${acct}:oidc-provider/oidc.local.test/id/ABC` },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                  StringEquals: {
                    "oidc.local.test/id/ABC:sub": "system:serviceaccount:infra:operator",
                    "oidc.local.test/id/ABC:aud": "sts.amazonaws.com",
                  },
                },
              },
            },
            policies: [{ Statement: { Effect: "Allow", Action: "elasticache:*", Resource: "*" } }],
          },
        ],
      },
    ],
    oidcIssuers: [
      { url: issuer, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() },
    ],
  },
  "test",
);

function jwt(claims: Record<string, unknown>, key = privateKey): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}`;
  const signature = createSign("RSA-SHA256").update(body).sign(key).toString("base64url");
  return `${body}.${signature}`;
}

const now = () => Math.floor(Date.now() / 1000);
const goodClaims = () => ({
  iss: issuer,
  sub: "system:serviceaccount:infra:operator",
  aud: "sts.amazonaws.com",
  exp: now() + 600,
  iat: now(),
});

let t: TestCloud;
before(async () => {
  t = await startTestCloud({ config });
});
after(async () => {
  await t?.stop();
});

const dev: Credentials = { accessKeyId: "AKIADEV0000000000001", secretAccessKey: "dev-secret" };
const reader: Credentials = { accessKeyId: "AKIAREADER0000000001", secretAccessKey: "reader-secret" };

test("bad signatures, unknown keys, unsigned calls and unknown actions are refused with AWS codes", async () => {
  const wrongSecret = await errorOf(
    t.elasticache({ ...dev, secretAccessKey: "nope" }).send(new DescribeCacheClustersCommand({})),
  );
  assert.deepEqual([wrongSecret.code, wrongSecret.status], ["SignatureDoesNotMatch", 403]);
  const unknown = await errorOf(
    t
      .sts({ accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" })
      .send(new GetCallerIdentityCommand({})),
  );
  assert.deepEqual([unknown.code, unknown.status], ["InvalidClientTokenId", 403]);
  const unsigned = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=DescribeCacheClusters&Version=2015-02-02",
  });
  assert.equal(unsigned.status, 403);
  assert.match(await unsigned.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  assert.ok(t.log.some((l) => l.includes("MissingAuthenticationToken")));
  assert.ok(
    t.log.some((l) =>
      /^elasticache DescribeCacheClusters caller=AKIADEV0000000000001 -> 403 SignatureDoesNotMatch \d/.test(
        l,
      ),
    ),
    "the log names the claimed key id and the outcome",
  );
  assert.ok(
    !t.log.some((l) => l.includes("dev-secret") || l.includes("reader-secret")),
    "secrets never reach the log",
  );
});

test("policies allow and deny per action and resource, naming the action in AccessDenied", async () => {
  const ok = await t.elasticache(reader).send(new DescribeCacheClustersCommand({}));
  assert.deepEqual(ok.CacheClusters, []);
  const denied = await errorOf(
    t.elasticache(reader).send(
      new CreateCacheClusterCommand({
        CacheClusterId: "x",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
      }),
    ),
  );
  assert.deepEqual([denied.code, denied.status], ["AccessDenied", 403]);
  assert.equal(
    denied.message,
    `User: arn:aws:iam::${acct}:user/reader is not authorized to perform: elasticache:CreateCacheCluster on resource: arn:aws:elasticache:us-east-1:${acct}:cluster:x`,
  );
  const explicit = await errorOf(
    t.elasticache(dev).send(
      new IncreaseReplicaCountCommand({
        ReplicationGroupId: "orders-1",
        NewReplicaCount: 2,
        ApplyImmediately: true,
      }),
    ),
  );
  assert.equal(explicit.code, "AccessDenied");
  assert.match(
    explicit.message,
    /elasticache:IncreaseReplicaCount on resource: arn:aws:elasticache:us-east-1:000000000000:replicationgroup:orders-1/,
  );
  const allowed = await errorOf(
    t.elasticache(dev).send(
      new IncreaseReplicaCountCommand({
        ReplicationGroupId: "carts",
        NewReplicaCount: 2,
        ApplyImmediately: true,
      }),
    ),
  );
  assert.equal(
    allowed.code,
    "ReplicationGroupNotFoundFault",
    "allowed by policy, then refused by the service",
  );
});

test("AssumeRole checks the trust policy and sts:ExternalId and issues working temporary credentials", async () => {
  const roleArn = `arn:aws:iam::${acct}:role/operator`;
  const wrongExternal = await errorOf(
    t.sts(dev).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ExternalId: "other" })),
  );
  assert.equal(wrongExternal.code, "AccessDenied");
  const readerCannot = await errorOf(
    t
      .sts(reader)
      .send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ExternalId: "ext-123" })),
  );
  assert.equal(readerCannot.code, "AccessDenied", "the caller's own policy must allow sts:AssumeRole");
  const noRole = await errorOf(
    t
      .sts(dev)
      .send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${acct}:role/ghost`, RoleSessionName: "s1" })),
  );
  assert.equal(noRole.code, "AccessDenied");

  const assumed = await t
    .sts(dev)
    .send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "bench", ExternalId: "ext-123" }));
  const c = assumed.Credentials;
  assert.match(c?.AccessKeyId ?? "", /^ASIA[A-Z2-7]{16}$/);
  assert.ok(c?.SecretAccessKey && c.SessionToken && c.Expiration && c.Expiration.getTime() > Date.now());
  assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${acct}:assumed-role/operator/bench`);
  const temp: Credentials = {
    accessKeyId: c.AccessKeyId as string,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  };
  const who = await t.sts(temp).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:sts::${acct}:assumed-role/operator/bench`);
  await t.elasticache(temp).send(new DescribeCacheClustersCommand({}));
  const roleDenied = await errorOf(
    t.elasticache(temp).send(
      new CreateCacheClusterCommand({
        CacheClusterId: "y",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
      }),
    ),
  );
  assert.match(
    roleDenied.message,
    /assumed-role\/operator\/bench is not authorized to perform: elasticache:CreateCacheCluster/,
  );
  const noToken = await errorOf(
    t
      .sts({ accessKeyId: temp.accessKeyId, secretAccessKey: temp.secretAccessKey })
      .send(new GetCallerIdentityCommand({})),
  );
  assert.equal(noToken.code, "InvalidClientTokenId");

  await t.restart();
  const again = await t.sts(temp).send(new GetCallerIdentityCommand({}));
  assert.equal(again.Arn, who.Arn, "issued credentials survive a restart");
});

test("AssumeRoleWithWebIdentity verifies the RS256 token, its audience, expiry and the trust policy's sub", async () => {
  const roleArn = `arn:aws:iam::${acct}:role/irsa`;
  const call = (token: string) =>
    t.sts().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: "pod",
        WebIdentityToken: token,
      }),
    );
  const ok = await call(jwt(goodClaims()));
  assert.equal(ok.SubjectFromWebIdentityToken, "system:serviceaccount:infra:operator");
  assert.equal(ok.AssumedRoleUser?.Arn, `arn:aws:sts::${acct}:assumed-role/irsa/pod`);
  const temp: Credentials = {
    accessKeyId: ok.Credentials?.AccessKeyId as string,
    secretAccessKey: ok.Credentials?.SecretAccessKey as string,
    sessionToken: ok.Credentials?.SessionToken as string,
  };
  assert.equal(
    (await t.sts(temp).send(new GetCallerIdentityCommand({}))).Arn,
    `arn:aws:sts::${acct}:assumed-role/irsa/pod`,
  );

  const otherSub = await errorOf(call(jwt({ ...goodClaims(), sub: "system:serviceaccount:infra:intruder" })));
  assert.equal(otherSub.code, "AccessDenied");
  const wrongAud = await errorOf(call(jwt({ ...goodClaims(), aud: "someone-else" })));
  assert.equal(wrongAud.code, "InvalidIdentityToken");
  const expired = await errorOf(call(jwt({ ...goodClaims(), exp: now() - 10 })));
  assert.equal(expired.code, "ExpiredTokenException");
  const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const forged = await errorOf(call(jwt(goodClaims(), otherKey)));
  assert.equal(forged.code, "InvalidIdentityToken");
  const unknownIssuer = await errorOf(call(jwt({ ...goodClaims(), iss: "https://elsewhere.test" })));
  assert.equal(unknownIssuer.code, "InvalidIdentityToken");
});

test("fault injection answers Throttling / ServiceUnavailable and calls are counted per action and key", async () => {
  await t.admin("/_localcloud/calls", { method: "DELETE" });
  await t.admin("/_localcloud/faults", {
    method: "POST",
    body: JSON.stringify({ throttleRate: 1, actions: ["DescribeCacheClusters"] }),
  });
  const throttled = await errorOf(t.elasticache().send(new DescribeCacheClustersCommand({})));
  assert.deepEqual([throttled.code, throttled.status], ["Throttling", 400]);
  await t.sts().send(new GetCallerIdentityCommand({}));
  await t.admin("/_localcloud/faults", { method: "POST", body: JSON.stringify({ unavailableRate: 1 }) });
  const unavailable = await errorOf(t.sts().send(new GetCallerIdentityCommand({})));
  assert.deepEqual([unavailable.code, unavailable.status], ["ServiceUnavailable", 503]);
  await t.admin("/_localcloud/faults", { method: "POST", body: JSON.stringify({}) });
  await t.elasticache(reader).send(new DescribeCacheClustersCommand({}));
  const calls = (await t.admin("/_localcloud/calls")) as {
    total: number;
    byAction: Record<string, number>;
    byAccessKey: Record<string, number>;
    byErrorCode: Record<string, number>;
  };
  assert.equal(calls.total, 4);
  assert.deepEqual(calls.byAction, { "elasticache:DescribeCacheClusters": 2, "sts:GetCallerIdentity": 2 });
  assert.deepEqual(calls.byAccessKey, { test: 3, AKIAREADER0000000001: 1 });
  assert.deepEqual(calls.byErrorCode, { Throttling: 1, ServiceUnavailable: 1 });
  const bad = (await t.admin("/_localcloud/faults", {
    method: "POST",
    body: JSON.stringify({ throttleRate: 3 }),
  })) as { error: string };
  assert.match(bad.error, /throttleRate/);
  const health = (await t.admin("/_localcloud/health")) as { status: string };
  assert.equal(health.status, "ok");
});
