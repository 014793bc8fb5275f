// Credentials and identity against the real local cloud: static keys, AssumeRole with ExternalId,
// AssumeRoleWithWebIdentity from a token file, and the failures a provider reports.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { DescribeCacheClustersCommand } from "@aws-sdk/client-elasticache";
import { callAws } from "./call.ts";
import { AwsClients, ClientCache, clientKey } from "./clients.ts";
import { CloudError } from "./errors.ts";
import { ACCOUNT, EXTERNAL_ID, ROLE_ARN, startTestCloud, type TestCloud } from "./testing.ts";

describe("provider credentials at the local cloud", () => {
  let cloud: TestCloud;
  let tmp: string;
  const opened: AwsClients[] = [];
  const clients = (...args: ConstructorParameters<typeof AwsClients>) => {
    const c = new AwsClients(args[0], { maxAttempts: 1, ...args[1] });
    opened.push(c);
    return c;
  };
  before(async () => {
    cloud = await startTestCloud();
    tmp = await mkdtemp(path.join(os.tmpdir(), "cloud-creds-"));
  });
  after(async () => {
    for (const c of opened) c.destroy();
    await cloud?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  test("static keys: GetCallerIdentity names the account root", async () => {
    const c = clients(cloud.auth);
    assert.equal(c.method, "static");
    assert.deepEqual(await c.verifyIdentity(), {
      account: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      userId: (await c.verifyIdentity()).userId,
    });
  });

  test("a wrong secret key is InvalidCredentials and the key is not in the message", async () => {
    const secret = "not-the-right-secret-key-123456";
    const c = clients({ ...cloud.auth, secretAccessKey: secret });
    const err = await c.verifyIdentity().then(
      () => assert.fail("expected a failure"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CloudError);
    assert.equal(err.kind, "InvalidCredentials");
    assert.equal(err.action, "GetCallerIdentity");
    assert.ok(!err.message.includes(secret));
  });

  test("an unknown access key is InvalidCredentials", async () => {
    const c = clients({ ...cloud.auth, accessKeyId: "AKIANOSUCHKEY0000001" });
    await assert.rejects(
      c.verifyIdentity(),
      (e: unknown) => e instanceof CloudError && e.kind === "InvalidCredentials",
    );
  });

  test("AssumeRole with the right ExternalId yields the role's identity", async () => {
    const calls: string[] = [];
    const c = clients(
      { ...cloud.auth, roleARN: ROLE_ARN, externalID: EXTERNAL_ID, roleSessionName: "cloud-test" },
      { onCall: (op, outcome) => calls.push(`${op}:${outcome}`) },
    );
    assert.equal(c.method, "assumeRole");
    const id = await c.verifyIdentity();
    assert.equal(id.account, ACCOUNT);
    assert.equal(id.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/cache-operator/cloud-test`);
    await c.verifyIdentity();
    assert.deepEqual(
      calls,
      ["AssumeRole:ok", "GetCallerIdentity:ok", "GetCallerIdentity:ok"],
      "assumed once",
    );
  });

  test("a re-check within provenWithinMs of a successful call asks STS nothing; a failed call proves nothing", async () => {
    const calls: string[] = [];
    let now = 1_000_000;
    const c = clients(cloud.auth, {
      onCall: (op, outcome) => calls.push(`${op}:${outcome}`),
      now: () => now,
    });
    const first = await c.verifyIdentity({ provenWithinMs: 60_000 });
    assert.deepEqual(calls, ["GetCallerIdentity:ok"], "nothing known yet: asked");
    now += 59_000;
    assert.deepEqual(await c.verifyIdentity({ provenWithinMs: 60_000 }), first);
    assert.equal(calls.length, 1, "proven 59 s ago by its own answer: not asked");
    await callAws("DescribeCacheClusters", c.onCall, (abortSignal) =>
      c.elasticache.send(new DescribeCacheClustersCommand({}), { abortSignal }),
    );
    now += 59_000;
    await c.verifyIdentity({ provenWithinMs: 60_000 });
    assert.deepEqual(calls, ["GetCallerIdentity:ok", "DescribeCacheClusters:ok"], "proven by the cache call");
    now += 61_000;
    await c.verifyIdentity({ provenWithinMs: 60_000 });
    assert.equal(calls.at(-1), "GetCallerIdentity:ok", "no proof within the period: asked again");
    await assert.rejects(
      callAws("DescribeCacheClusters", c.onCall, (abortSignal) =>
        c.elasticache.send(new DescribeCacheClustersCommand({ CacheClusterId: "no-such-cache" }), {
          abortSignal,
        }),
      ),
    );
    now += 61_000;
    await c.verifyIdentity({ provenWithinMs: 60_000 });
    assert.equal(calls.at(-1), "GetCallerIdentity:ok", "a failed call proves nothing: asked");
    assert.equal(calls.filter((x) => x.startsWith("GetCallerIdentity")).length, 3);
    await c.verifyIdentity();
    assert.equal(
      calls.filter((x) => x.startsWith("GetCallerIdentity")).length,
      4,
      "without the option: always asked",
    );
  });

  test("AssumeRole with a wrong ExternalId is AccessDenied naming sts:AssumeRole", async () => {
    const c = clients({ ...cloud.auth, roleARN: ROLE_ARN, externalID: "wrong-external-id" });
    const err = await c.verifyIdentity().then(
      () => assert.fail("expected AccessDenied"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CloudError);
    assert.equal(err.kind, "AccessDenied");
    assert.equal(err.action, "AssumeRole");
    assert.equal(err.iamAction, "sts:AssumeRole");
  });

  test("keys + roleARN sign AssumeRole even when the Pod has a web identity token (the operator's own)", async () => {
    const c = clients(
      { ...cloud.auth, roleARN: ROLE_ARN, externalID: EXTERNAL_ID, roleSessionName: "keys-not-irsa" },
      { env: { AWS_WEB_IDENTITY_TOKEN_FILE: path.join(tmp, "never-read") } },
    );
    assert.equal(c.method, "assumeRole");
    const id = await c.verifyIdentity();
    assert.equal(id.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/cache-operator/keys-not-irsa`);
  });

  test("AssumeRoleWithWebIdentity reads the token file named by AWS_WEB_IDENTITY_TOKEN_FILE", async () => {
    const tokenFile = path.join(tmp, "token");
    await writeFile(tokenFile, cloud.webIdentityToken());
    const c = clients(
      { region: cloud.auth.region, endpoint: cloud.url, roleARN: ROLE_ARN, roleSessionName: "irsa-test" },
      { env: { AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile } },
    );
    assert.equal(c.method, "webIdentity");
    const id = await c.verifyIdentity();
    assert.equal(id.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/cache-operator/irsa-test`);
  });

  test("a web identity token for another subject is refused; a missing token file says which file", async () => {
    const tokenFile = path.join(tmp, "other-token");
    await writeFile(tokenFile, cloud.webIdentityToken("system:serviceaccount:other:app"));
    const denied = clients(
      { region: cloud.auth.region, endpoint: cloud.url, roleARN: ROLE_ARN },
      { env: { AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile } },
    );
    await assert.rejects(
      denied.verifyIdentity(),
      (e: unknown) => e instanceof CloudError && e.kind === "AccessDenied",
    );
    const missing = clients(
      { region: cloud.auth.region, endpoint: cloud.url, roleARN: ROLE_ARN },
      { env: { AWS_WEB_IDENTITY_TOKEN_FILE: path.join(tmp, "absent") } },
    );
    await assert.rejects(
      missing.verifyIdentity(),
      (e: unknown) => e instanceof CloudError && e.kind === "InvalidCredentials" && /absent/.test(e.message),
    );
  });

  test("without keys, the SDK's default chain signs GetCallerIdentity and AssumeRole", async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = "test";
    process.env.AWS_SECRET_ACCESS_KEY = "test";
    try {
      const plain = clients({ region: cloud.auth.region, endpoint: cloud.url }, { env: {} });
      assert.equal(plain.method, "defaultChain");
      assert.equal((await plain.verifyIdentity()).arn, `arn:aws:iam::${ACCOUNT}:root`);
      const role = clients(
        { region: cloud.auth.region, endpoint: cloud.url, roleARN: ROLE_ARN, externalID: EXTERNAL_ID },
        { env: {} },
      );
      assert.equal(role.method, "assumeRole");
      assert.match((await role.verifyIdentity()).arn, /assumed-role\/cache-operator\/infra-operator$/);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  test("an endpoint that is not a URL is refused before any call", () => {
    assert.throws(
      () => new AwsClients({ ...cloud.auth, endpoint: "local" }),
      (e: unknown) => e instanceof CloudError && e.kind === "Terminal" && /endpoint/.test(e.message),
    );
  });

  test("an endpoint where nothing listens is Unreachable", async () => {
    const c = clients({ ...cloud.auth, endpoint: "http://127.0.0.1:9" });
    await assert.rejects(
      c.verifyIdentity(),
      (e: unknown) => e instanceof CloudError && e.kind === "Unreachable",
    );
  });

  test("a session token with static keys that STS never issued is refused", async () => {
    const c = clients({ ...cloud.auth, sessionToken: "FQoGZXIvYXdzEBogus-session-token-value" });
    const err = await c.verifyIdentity().then(
      () => undefined,
      (e: unknown) => e,
    );
    // The root key needs no session token; the local cloud may accept or refuse it, but never leak it.
    if (err !== undefined) {
      assert.ok(err instanceof CloudError);
      assert.ok(!err.message.includes("FQoGZXIvYXdzEBogus-session-token-value"));
    }
  });
});

describe("client cache", () => {
  const auth = {
    region: "us-east-1",
    endpoint: "http://127.0.0.1:9",
    accessKeyId: "a",
    secretAccessKey: "secret-1",
  };

  test("same provider state, same clients; a new generation or Secret value, new clients", () => {
    const cache = new ClientCache({ maxAttempts: 1 });
    try {
      const a = cache.get({ uid: "u1", generation: 1 }, auth);
      assert.equal(cache.get({ uid: "u1", generation: 1 }, { ...auth }), a);
      const b = cache.get({ uid: "u1", generation: 2 }, auth);
      assert.notEqual(b, a);
      const c = cache.get({ uid: "u1", generation: 2 }, { ...auth, secretAccessKey: "secret-2" });
      assert.notEqual(c, b);
      cache.get({ uid: "u2", generation: 1 }, auth);
      assert.equal(cache.size, 2);
      cache.forget("u2");
      assert.equal(cache.size, 1);
    } finally {
      cache.clear();
    }
  });

  test("the key holds no secret value", () => {
    const key = clientKey({ uid: "u1", generation: 3 }, auth);
    assert.ok(!key.includes("secret-1"));
    assert.match(key, /^u1\/3\/[0-9a-f]{32}$/);
  });
});
