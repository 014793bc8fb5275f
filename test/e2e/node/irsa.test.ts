// IRSA on the real node, as a cluster without EKS's pod identity webhook runs it (docs/irsa.md):
// the chart's ServiceAccount annotated with the role, the kubelet projecting a token with audience
// sts.amazonaws.com into the Pod (extraVolumes), AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE
// (extraEnv). The local cloud trusts the control plane's issuer; the provider becomes Ready as the
// assumed role and a cache is created through the role's credentials. The token lives the shortest
// time the API allows (600 s), so the kubelet rotates the file during the test (at 80% of its life):
// the provider stays Ready throughout, and once the first token has expired a new provider still
// assumes the role, so the operator reads the rotated file, not a copy taken at start.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { ACCOUNT, awsCacheCluster, REGION } from "../../support/localcloud.ts";
import { nodeTestsSkipReason, runToolOk, startNode, type TestNode } from "../../support/node.ts";
import {
  type CloudOnNode,
  chartValues,
  helmInstall,
  NAMESPACE,
  prepareNamespace,
  startCloudOnNode,
  waitOperatorReady,
} from "../../support/node-operator.ts";
import {
  applyObject,
  clusterObject,
  getObj,
  PROVIDERS,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { repoPath } from "../../support/paths.ts";
import { sleep, waitFor } from "../../support/wait.ts";

const skip = nodeTestsSkipReason();
const ROLE_NAME = "infra-operator-elasticache-role";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const SERVICE_ACCOUNT = "infra-operator-controller-manager";
const TOKEN_DIR = "/var/run/secrets/eks.amazonaws.com/serviceaccount";
const TENANT = "irsa";
/** The shortest lifetime the API server accepts for a projected token. */
const TOKEN_SECONDS = 600;

interface TokenClaims {
  aud: string[];
  sub: string;
  exp: number;
  iat: number;
  iss: string;
  "kubernetes.io"?: { pod?: { name: string } };
}

/** The claims of the token file in the Pod (the token itself is never printed). */
async function podTokenClaims(node: TestNode, pod: string): Promise<TokenClaims> {
  const token = await runToolOk(node.kubectl, [
    "exec",
    "-n",
    NAMESPACE,
    pod,
    "--",
    "node",
    "-e",
    `process.stdout.write(require("fs").readFileSync("${TOKEN_DIR}/token", "utf8"))`,
  ]);
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as TokenClaims;
}

describe("IRSA on the real node: a kubelet-projected token assumes the role", { skip }, () => {
  let node: TestNode;
  let cloud: CloudOnNode;
  before(async () => {
    node = await startNode();
    const issuer = node.controlPlane.env.CONTROLPLANE_SA_ISSUER as string;
    const issuerHostPath = issuer.replace(/^https:\/\//, "").replace(/\/$/, "");
    const subject = `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`;
    cloud = await startCloudOnNode(node, {
      configure: (config) => {
        const account = config.accounts[0] as (typeof config.accounts)[number];
        account.roles = [
          {
            name: ROLE_NAME,
            trustPolicy: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerHostPath}` },
                  Action: "sts:AssumeRoleWithWebIdentity",
                  Condition: {
                    StringEquals: {
                      [`${issuerHostPath}:sub`]: subject,
                      [`${issuerHostPath}:aud`]: "sts.amazonaws.com",
                    },
                  },
                },
              ],
            },
            policies: [JSON.parse(readFileSync(repoPath("docs", "iam-policy.json"), "utf8"))],
          },
        ] as unknown as typeof account.roles;
        config.oidcIssuers = [
          {
            url: issuer,
            audiences: ["sts.amazonaws.com"],
            publicKeyFile: node.controlPlane.env.CONTROLPLANE_SA_PUBLIC_KEY as string,
          },
        ] as unknown as typeof config.oidcIssuers;
        return config;
      },
    });
    await prepareNamespace(node, cloud);
    await runToolOk(node.kubectl, ["create", "namespace", TENANT]);
    const values = chartValues(node, cloud);
    values.serviceAccount = { annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN } };
    values.operatorIdentityNamespaces = [TENANT];
    values.extraEnv = [
      ...(values.extraEnv as unknown[]),
      { name: "AWS_ROLE_ARN", value: ROLE_ARN },
      { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: `${TOKEN_DIR}/token` },
    ];
    values.extraVolumes = [
      ...(values.extraVolumes as unknown[]),
      {
        name: "aws-iam-token",
        projected: {
          sources: [
            {
              serviceAccountToken: {
                audience: "sts.amazonaws.com",
                expirationSeconds: TOKEN_SECONDS,
                path: "token",
              },
            },
          ],
        },
      },
    ];
    values.extraVolumeMounts = [
      ...(values.extraVolumeMounts as unknown[]),
      { name: "aws-iam-token", mountPath: TOKEN_DIR, readOnly: true },
    ];
    await helmInstall(node, "infra-operator", values);
  });
  after(async () => {
    await cloud?.stop();
    await node?.stop();
  });

  test("the kubelet projected a token for the ServiceAccount with audience sts.amazonaws.com", async () => {
    const [pod] = await waitOperatorReady(node);
    assert.ok(pod);
    const claims = await podTokenClaims(node, pod.name);
    assert.deepEqual(claims.aud, ["sts.amazonaws.com"]);
    assert.equal(claims.sub, `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`);
    assert.equal(claims.iss, node.controlPlane.env.CONTROLPLANE_SA_ISSUER);
    assert.equal(claims["kubernetes.io"]?.pod?.name, pod.name, "bound to the Pod: the kubelet asked for it");
    assert.equal(claims.exp - claims.iat, TOKEN_SECONDS);
  });

  test("an AWSProvider with roleARN and no keys becomes Ready as the assumed role", async () => {
    await applyObject(TENANT, {
      apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
      kind: "AWSProvider",
      metadata: { name: "production-aws" },
      spec: { region: REGION, endpoint: cloud.url, roleARN: ROLE_ARN },
    });
    const provider = await waitFor(
      "AWSProvider production-aws Ready",
      () => getObj(TENANT, PROVIDERS, "production-aws"),
      (p) => p.status?.ready === true,
      90_000,
    );
    assert.equal(
      provider.status?.callerIdentity,
      `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/infra-operator`,
    );
    const calls = await cloud.cloud.calls();
    assert.ok((calls.byAction["sts:AssumeRoleWithWebIdentity"] ?? 0) >= 1, JSON.stringify(calls.byAction));
  });

  test("a cache is created through the role's credentials", async () => {
    await applyObject(
      TENANT,
      clusterObject("irsa-cache", {
        providerRef: { name: "production-aws" },
        clusterID: "irsa-node-mc",
        engine: "memcached",
        engineVersion: "1.6.17",
        nodeType: "cache.t3.micro",
        numCacheNodes: 1,
      }),
    );
    await waitClusterReady(TENANT, "irsa-cache", 180_000);
    assert.equal((await awsCacheCluster(cloud.cloud.aws, "irsa-node-mc"))?.CacheClusterStatus, "available");
  });

  test("the kubelet rotates the token file; the provider stays Ready, and a new one assumes the role after the first token expired", {
    timeout: 15 * 60_000,
  }, async () => {
    const [pod] = await waitOperatorReady(node);
    assert.ok(pod);
    const first = await podTokenClaims(node, pod.name);
    let samples = 0;
    const unready: unknown[] = [];
    // The kubelet refreshes a projected token past 80% of its life (480 s), at its next volume sync.
    const rotated = await waitFor(
      "the kubelet rotates the projected token",
      async () => {
        const provider = await getObj(TENANT, PROVIDERS, "production-aws");
        if (provider.status?.ready !== true) unready.push(provider.status);
        samples++;
        return podTokenClaims(node, pod.name);
      },
      (claims) => claims.iat > first.iat,
      (TOKEN_SECONDS + 120) * 1000,
      5_000,
    );
    assert.deepEqual(unready, [], `the provider was unready at some of ${samples} samples`);
    assert.ok(samples > 10, `provider sampled ${samples} times`);
    assert.equal(rotated.exp - rotated.iat, TOKEN_SECONDS);
    process.stderr.write(
      `token rotated ${rotated.iat - first.iat} s after it was issued; provider Ready at all ${samples} samples\n`,
    );
    // Past the first token's exp, an assume with it would be refused ("Token expired").
    const waitMs = first.exp * 1000 + 5_000 - Date.now();
    if (waitMs > 0) await sleep(waitMs);
    await applyObject(TENANT, {
      apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
      kind: "AWSProvider",
      metadata: { name: "after-rotation" },
      spec: { region: REGION, endpoint: cloud.url, roleARN: ROLE_ARN },
    });
    const provider = await waitFor(
      "AWSProvider after-rotation Ready",
      () => getObj(TENANT, PROVIDERS, "after-rotation"),
      (p) => p.status?.ready === true,
      90_000,
    );
    assert.equal(
      provider.status?.callerIdentity,
      `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/infra-operator`,
    );
    assert.equal((await getObj(TENANT, PROVIDERS, "production-aws")).status?.ready, true);
  });
});
