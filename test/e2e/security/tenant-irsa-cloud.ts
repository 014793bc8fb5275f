// A local cloud that trusts the test control plane's ServiceAccount issuer, with one IAM role per
// tenant whose trust policy names exactly one ServiceAccount (docs/irsa.md's per-tenant policy).
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { configSchema } from "../../../src/localcloud/config.ts";
import { startLocalCloud } from "../../../src/localcloud/index.ts";
import { sharedControlPlane } from "../../support/controlplane.ts";
import { ACCOUNT, ROOT_KEYS } from "../../support/localcloud.ts";
import { repoPath } from "../../support/paths.ts";

export interface TenantRole {
  name: string;
  /** The one ServiceAccount (namespace/name) the role trusts. */
  serviceAccount: { namespace: string; name: string };
}

export interface IrsaCloud {
  url: string;
  roleArn(name: string): string;
  stop(): Promise<void>;
}

export async function startIrsaCloud(roles: TenantRole[]): Promise<IrsaCloud> {
  const { env } = await sharedControlPlane();
  const issuer = env.CONTROLPLANE_SA_ISSUER;
  const publicKeyFile = env.CONTROLPLANE_SA_PUBLIC_KEY;
  if (!issuer || !publicKeyFile) throw new Error("controlplane.env names no service-account issuer");
  const hostPath = issuer.replace(/^https:\/\//, "").replace(/\/$/, "");
  const permissions = JSON.parse(readFileSync(repoPath("docs", "iam-policy.json"), "utf8")) as unknown;
  const config = configSchema.parse({
    accounts: [
      {
        id: ACCOUNT,
        users: [
          {
            name: "root",
            accessKeys: [{ id: ROOT_KEYS.accessKeyId, secret: ROOT_KEYS.secretAccessKey }],
            policies: [{ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }],
          },
        ],
        roles: roles.map((r) => ({
          name: r.name,
          trustPolicy: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${hostPath}` },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                  StringEquals: {
                    [`${hostPath}:sub`]: `system:serviceaccount:${r.serviceAccount.namespace}:${r.serviceAccount.name}`,
                    [`${hostPath}:aud`]: "sts.amazonaws.com",
                  },
                },
              },
            ],
          },
          policies: [permissions],
        })),
      },
    ],
    oidcIssuers: [{ url: issuer, audiences: ["sts.amazonaws.com"], publicKeyFile }],
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), "e2e-tenant-irsa-"));
  const cloud = await startLocalCloud({ port: 0, dataDir: dir, config, log: () => {} });
  return {
    url: cloud.url,
    roleArn: (name) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
    stop: async () => {
      await cloud.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
