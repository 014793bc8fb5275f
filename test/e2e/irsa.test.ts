// IRSA end to end, as docs/irsa.md describes it, with the test control plane as the EKS cluster:
// the local cloud trusts the control plane's service-account issuer (its public key), the role has
// the documentation's trust policy (subject infra-operator-system:infra-operator-controller-manager,
// audience sts.amazonaws.com) and docs/iam-policy.json as its permissions, and the operator runs the
// way EKS's pod identity webhook sets it up (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE holding a token issued
// for its ServiceAccount with that audience). An AWSProvider with roleARN and no keys turns Ready
// as the role, and a cluster becomes Ready through it; other tokens are refused.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { DescribeCacheClustersCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { startLocalCloud } from "../../src/localcloud/index.ts";
import { sharedControlPlane } from "../support/controlplane.ts";
import {
  applyPackaging,
  forbiddenLines,
  kustomize,
  OPERATOR_NAMESPACE,
  OPERATOR_SERVICE_ACCOUNT,
  serviceAccountKubeconfig,
  serviceAccountToken,
  writeTokenFile,
} from "../support/install.ts";
import { kubectlOk } from "../support/kubectl.ts";
import { ACCOUNT, REGION, ROOT_KEYS } from "../support/localcloud.ts";
import { createTestNamespace } from "../support/namespace.ts";
import { type OperatorProcess, startOperatorProcess } from "../support/operator.ts";
import {
  applyObject,
  CLUSTERS,
  clusterObject,
  deleteCluster,
  getObj,
  PROVIDERS,
  waitClusterReady,
  waitGone,
} from "../support/operator-env.ts";
import { repoPath } from "../support/paths.ts";
import { waitFor } from "../support/wait.ts";

const ROLE_NAME = "infra-operator-elasticache-role";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const SUBJECT = `system:serviceaccount:${OPERATOR_NAMESPACE}:${OPERATOR_SERVICE_ACCOUNT}`;

/** The least-privilege permission policy docs/irsa.md tells users to attach to the role. */
function permissionPolicy(): unknown {
  return JSON.parse(readFileSync(repoPath("docs", "iam-policy.json"), "utf8"));
}

/** The documentation's trust policy, with the control plane's issuer as the OIDC provider. */
function trustPolicy(issuerHostPath: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerHostPath}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuerHostPath}:sub`]: SUBJECT,
            [`${issuerHostPath}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

describe("IRSA: the operator's ServiceAccount token assumes the role in the local cloud", () => {
  let dir = "";
  let cloud: Awaited<ReturnType<typeof startLocalCloud>> | undefined;
  let operator: OperatorProcess | undefined;
  let namespace = "";
  let sts: STSClient | undefined;
  let operatorToken = "";
  const saved = { roleArn: process.env.AWS_ROLE_ARN, tokenFile: process.env.AWS_WEB_IDENTITY_TOKEN_FILE };

  before(async () => {
    const { env } = await sharedControlPlane();
    const issuer = env.CONTROLPLANE_SA_ISSUER;
    const publicKeyFile = env.CONTROLPLANE_SA_PUBLIC_KEY;
    assert.ok(
      issuer && publicKeyFile,
      "controlplane.env names the service-account issuer and its public key",
    );
    const issuerHostPath = issuer.replace(/^https:\/\//, "").replace(/\/$/, "");

    await applyPackaging(await kustomize(repoPath("config", "default")));
    namespace = await createTestNamespace("irsa");

    // The local cloud's config file, as docs/local-cloud.md documents it.
    dir = await mkdtemp(path.join(os.tmpdir(), "e2e-irsa-"));
    const configFile = path.join(dir, "cloud.json");
    const allowAll = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    writeFileSync(
      configFile,
      JSON.stringify({
        accounts: [
          {
            id: ACCOUNT,
            users: [
              {
                name: "root",
                accessKeys: [{ id: ROOT_KEYS.accessKeyId, secret: ROOT_KEYS.secretAccessKey }],
                policies: [allowAll],
              },
            ],
            roles: [
              {
                name: ROLE_NAME,
                trustPolicy: trustPolicy(issuerHostPath),
                policies: [permissionPolicy()],
              },
            ],
          },
        ],
        oidcIssuers: [{ url: issuer, audiences: ["sts.amazonaws.com"], publicKeyFile }],
      }),
    );
    cloud = await startLocalCloud({
      port: 0,
      dataDir: path.join(dir, "data"),
      config: configFile,
      log: () => {},
    });
    sts = new STSClient({ region: REGION, endpoint: cloud.url, credentials: ROOT_KEYS, maxAttempts: 1 });

    // What EKS's pod identity webhook gives the operator's pod, for a ServiceAccount annotated
    // eks.amazonaws.com/role-arn: the role ARN and a projected token with audience sts.amazonaws.com.
    operatorToken = await serviceAccountToken({ audience: "sts.amazonaws.com" });
    const tokenFile = await writeTokenFile(operatorToken);
    process.env.AWS_ROLE_ARN = ROLE_ARN;
    process.env.AWS_WEB_IDENTITY_TOKEN_FILE = tokenFile;
    try {
      operator = await startOperatorProcess({
        namespace,
        allowedEndpoints: [cloud.url],
        extraArgs: ["--kubeconfig", await serviceAccountKubeconfig(), "--leader-elect=false"],
      });
    } finally {
      // Only the operator process gets them: this process keeps signing with the root keys.
      restore("AWS_ROLE_ARN", saved.roleArn);
      restore("AWS_WEB_IDENTITY_TOKEN_FILE", saved.tokenFile);
    }
  });

  after(async () => {
    await operator?.stop();
    sts?.destroy();
    await cloud?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("an AWSProvider with roleARN and no keys becomes Ready as the role", async () => {
    assert.ok(cloud);
    await applyObject(namespace, {
      apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
      kind: "AWSProvider",
      metadata: { name: "production-aws" },
      spec: {
        region: REGION,
        endpoint: cloud.url,
        roleARN: ROLE_ARN,
        defaultTags: { "managed-by": "infra-operator" },
      },
    });
    const provider = await waitFor(
      "AWSProvider production-aws Ready",
      () => getObj(namespace, PROVIDERS, "production-aws"),
      (p) => p.status?.ready === true,
      60_000,
    );
    assert.equal(provider.status?.accountID, ACCOUNT);
    assert.equal(
      provider.status?.callerIdentity,
      `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/infra-operator`,
    );
  });

  test("a cluster becomes Ready through the role's credentials", async () => {
    assert.ok(cloud);
    const clusterID = `irsa-mc-${randomBytes(3).toString("hex")}`;
    await applyObject(
      namespace,
      clusterObject("irsa-cache", {
        providerRef: { name: "production-aws" },
        clusterID,
        engine: "memcached",
        engineVersion: "1.6.17",
        nodeType: "cache.t3.micro",
        numCacheNodes: 1,
      }),
    );
    await waitClusterReady(namespace, "irsa-cache");
    const aws = new ElastiCacheClient({ region: REGION, endpoint: cloud.url, credentials: ROOT_KEYS });
    try {
      const out = await aws.send(new DescribeCacheClustersCommand({ CacheClusterId: clusterID }));
      assert.equal(out.CacheClusters?.[0]?.CacheClusterStatus, "available");
    } finally {
      aws.destroy();
    }
    await deleteCluster(namespace, "irsa-cache");
    await waitGone(namespace, "irsa-cache");
    const log = operator?.log() ?? "";
    assert.deepEqual(forbiddenLines(log), []);
    assert.ok(!log.includes(operatorToken), "the web identity token never appears in the operator's log");
  });

  test("a token for another ServiceAccount is refused by the trust policy", async () => {
    assert.ok(sts);
    await kubectlOk(["create", "serviceaccount", "not-the-operator", "-n", namespace]);
    const token = await serviceAccountToken({
      namespace,
      serviceAccount: "not-the-operator",
      audience: "sts.amazonaws.com",
      duration: "10m",
    });
    await assert.rejects(
      sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: ROLE_ARN,
          RoleSessionName: "intruder",
          WebIdentityToken: token,
        }),
      ),
      (err: Error) => err.name === "AccessDenied" && /not-the-operator/.test(err.message),
    );
  });

  test("an operator running with another ServiceAccount's token gets no credentials", async () => {
    assert.ok(cloud);
    const other = await createTestNamespace("irsa-other");
    await kubectlOk(["create", "serviceaccount", "impostor", "-n", other]);
    const token = await serviceAccountToken({
      namespace: other,
      serviceAccount: "impostor",
      audience: "sts.amazonaws.com",
      duration: "10m",
    });
    process.env.AWS_ROLE_ARN = ROLE_ARN;
    process.env.AWS_WEB_IDENTITY_TOKEN_FILE = await writeTokenFile(token);
    let impostor: OperatorProcess | undefined;
    try {
      impostor = await startOperatorProcess({
        namespace: other,
        allowedEndpoints: [cloud.url],
        extraArgs: ["--leader-elect=false"],
      });
    } finally {
      restore("AWS_ROLE_ARN", saved.roleArn);
      restore("AWS_WEB_IDENTITY_TOKEN_FILE", saved.tokenFile);
    }
    try {
      await applyObject(other, {
        apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
        kind: "AWSProvider",
        metadata: { name: "production-aws" },
        spec: { region: REGION, endpoint: cloud.url, roleARN: ROLE_ARN },
      });
      const provider = await waitFor(
        "AWSProvider production-aws refused",
        () => getObj(other, PROVIDERS, "production-aws"),
        (p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "False") === true,
        60_000,
      );
      const ready = provider.status?.conditions?.find((c) => c.type === "Ready");
      assert.equal(provider.status?.ready, false);
      assert.equal(ready?.reason, "AccessDenied");
      assert.match(ready?.message ?? "", /AssumeRoleWithWebIdentity/);
      assert.match(ready?.message ?? "", new RegExp(`system:serviceaccount:${other}:impostor`));
      assert.ok(!impostor.log().includes(token), "the token never appears in the log");
    } finally {
      await impostor.stop();
    }
  });

  test("the operator's own token with the API server's audience is refused", async () => {
    assert.ok(sts);
    const token = await serviceAccountToken({ duration: "10m" });
    await assert.rejects(
      sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: ROLE_ARN,
          RoleSessionName: "wrong-aud",
          WebIdentityToken: token,
        }),
      ),
      (err: Error) => /^InvalidIdentityToken/.test(err.name) && /audience/.test(err.message),
    );
  });

  test("the operator's token with audience sts.amazonaws.com is accepted as the documented subject", async () => {
    assert.ok(sts);
    const token = await serviceAccountToken({ audience: "sts.amazonaws.com", duration: "10m" });
    const out = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: "check",
        WebIdentityToken: token,
      }),
    );
    assert.equal(out.SubjectFromWebIdentityToken, SUBJECT);
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/check`);
  });

  test("a cluster object is never left behind", async () => {
    const out = await kubectlOk(["get", CLUSTERS, "-n", namespace, "-o", "name"]);
    assert.equal(out.trim(), "");
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
