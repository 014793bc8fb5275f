// Red team, as a namespace tenant who may create AWSProviders and Secrets in its own namespace:
// it names its own endpoint (a loopback capture server) or a role, hoping the operator sends it
// the operator's web-identity token, the operator's keys or another Secret's value. The operator
// runs with an operator identity (keys in its environment and a web-identity token file, as IRSA
// gives it), an allowlist naming only the local cloud, and operator identity for `default` only.
// Every attempt ends Ready=False with the documented reason, and the capture server receives
// nothing at all. A tenant's keys from its own Secret still work.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { installCrds } from "../../support/crds.ts";
import { writeTokenFile } from "../../support/install.ts";
import { type LocalCloudForTests, ROOT_KEYS, startCloudForTests } from "../../support/localcloud.ts";
import { createTestNamespace } from "../../support/namespace.ts";
import { type OperatorProcess, startOperatorProcess } from "../../support/operator.ts";
import { API, applyObject, createSecret, eventsFor } from "../../support/operator-env.ts";
import { type CaptureServer, startCaptureServer } from "./capture-server.ts";
import { providerVerdict } from "./provider-verdicts.ts";

const ROLE_ARN = "arn:aws:iam::000000000000:role/infra-operator-elasticache-role";
/** What the operator's IRSA token file holds: a marker that must never leave the operator. */
const OPERATOR_TOKEN = `operator-web-identity-${randomBytes(12).toString("hex")}`;
const DB_PASSWORD = `db-password-${randomBytes(12).toString("hex")}`;

describe("a tenant cannot borrow the operator's identity or send credentials to its own endpoint", () => {
  let namespace = "";
  let cloud: LocalCloudForTests | undefined;
  let capture: CaptureServer | undefined;
  let operator: OperatorProcess | undefined;

  before(async () => {
    await installCrds();
    namespace = await createTestNamespace("tenant");
    cloud = await startCloudForTests();
    capture = await startCaptureServer();
    await createSecret(namespace, "db-credentials", { password: DB_PASSWORD });
    await createSecret(namespace, "aws-credentials", {
      "access-key-id": ROOT_KEYS.accessKeyId,
      "secret-access-key": ROOT_KEYS.secretAccessKey,
    });
    operator = await startOperatorProcess({
      namespace,
      allowedEndpoints: [cloud.url],
      operatorIdentityNamespaces: ["default"],
      // The operator's own identity: keys for the default chain and an IRSA token file.
      env: {
        AWS_ACCESS_KEY_ID: ROOT_KEYS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ROOT_KEYS.secretAccessKey,
        AWS_ROLE_ARN: ROLE_ARN,
        AWS_WEB_IDENTITY_TOKEN_FILE: await writeTokenFile(OPERATOR_TOKEN),
      },
    });
  });

  after(async () => {
    await operator?.stop();
    await capture?.stop();
    await cloud?.stop();
  });

  const provider = (name: string, spec: Record<string, unknown>) =>
    applyObject(namespace, {
      apiVersion: API,
      kind: "AWSProvider",
      metadata: { name },
      spec: { region: "us-east-1", ...spec },
    });

  test("a Secret's value named as access key, sent to the tenant's endpoint: EndpointNotAllowed", async () => {
    assert.ok(capture);
    await provider("steal-password", {
      endpoint: capture.url,
      accessKeyIDRef: { name: "db-credentials", key: "password" },
      secretAccessKeyRef: { name: "db-credentials", key: "password" },
      sessionTokenRef: { name: "db-credentials", key: "password" },
    });
    const ready = await providerVerdict(namespace, "steal-password");
    assert.equal(ready.status, "False");
    assert.equal(ready.reason, "EndpointNotAllowed");
    assert.match(
      ready.message ?? "",
      new RegExp(`spec\\.endpoint ${capture.url} is not an allowed endpoint`),
    );
    assert.match(ready.message ?? "", /--allowed-endpoints/);
    const events = await eventsFor(namespace, "steal-password");
    assert.ok(events.some((e) => e.type === "Warning" && e.reason === "EndpointNotAllowed"));
  });

  test("a role without keys at the tenant's endpoint (the operator's IRSA token): EndpointNotAllowed", async () => {
    assert.ok(capture);
    await provider("steal-token", { endpoint: capture.url, roleARN: ROLE_ARN });
    const ready = await providerVerdict(namespace, "steal-token");
    assert.equal(ready.reason, "EndpointNotAllowed");
  });

  test("a role without keys at an allowed endpoint, from a namespace not listed: OperatorIdentityNotAllowed", async () => {
    assert.ok(cloud);
    await provider("borrow-role", { endpoint: cloud.url, roleARN: ROLE_ARN });
    const ready = await providerVerdict(namespace, "borrow-role");
    assert.equal(ready.status, "False");
    assert.equal(ready.reason, "OperatorIdentityNotAllowed");
    assert.match(
      ready.message ?? "",
      new RegExp(`adds ${namespace} to the operator's --operator-identity-namespaces`),
    );
    const events = await eventsFor(namespace, "borrow-role");
    assert.ok(events.some((e) => e.type === "Warning" && e.reason === "OperatorIdentityNotAllowed"));
  });

  test("no keys and no role (the default chain) from a namespace not listed: OperatorIdentityNotAllowed", async () => {
    assert.ok(cloud);
    await provider("borrow-chain", { endpoint: cloud.url });
    assert.equal((await providerVerdict(namespace, "borrow-chain")).reason, "OperatorIdentityNotAllowed");
  });

  test("plain http to a host that is not loopback: InsecureEndpoint", async () => {
    await provider("cleartext", {
      endpoint: "http://192.0.2.10:4566",
      accessKeyIDRef: { name: "aws-credentials", key: "access-key-id" },
      secretAccessKeyRef: { name: "aws-credentials", key: "secret-access-key" },
    });
    assert.equal((await providerVerdict(namespace, "cleartext")).reason, "InsecureEndpoint");
  });

  test("the tenant's own keys at an allowed endpoint still work", async () => {
    assert.ok(cloud);
    await provider("own-keys", {
      endpoint: cloud.url,
      accessKeyIDRef: { name: "aws-credentials", key: "access-key-id" },
      secretAccessKeyRef: { name: "aws-credentials", key: "secret-access-key" },
    });
    const ready = await providerVerdict(namespace, "own-keys");
    assert.equal(ready.status, "True", ready.message);
  });

  test("nothing reached the capture server, no STS call used the operator's identity, no token in the log", async () => {
    assert.ok(capture && cloud && operator);
    assert.equal(capture.connections(), 0, "no connection to the tenant's endpoint");
    assert.equal(capture.received(), "");
    const calls = await cloud.calls();
    assert.equal(calls.byAction["sts:AssumeRoleWithWebIdentity"] ?? 0, 0, JSON.stringify(calls.byAction));
    assert.equal(calls.byAction["sts:AssumeRole"] ?? 0, 0, JSON.stringify(calls.byAction));
    const log = operator.log();
    assert.ok(!log.includes(OPERATOR_TOKEN), "the operator's token is not in its log");
    assert.ok(!log.includes(DB_PASSWORD), "the Secret's value is not in the log");
  });
});
