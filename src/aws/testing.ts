// Test helpers of the AWS layer: a real local cloud in a temp dir (always stopped when the test
// ends), configured with the identities the tests need: the full-access test/test root, a user whose
// policy lacks replica and shard scaling, a role to assume with an ExternalId or a web identity, and
// the OIDC issuer whose key signs the web identity tokens.
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import tls from "node:tls";
import type { CallCounts } from "../localcloud/admin/call-counter.ts";
import { adminRequest } from "../localcloud/admin/client.ts";
import type { LocalCloudConfig } from "../localcloud/config.ts";
import { configSchema } from "../localcloud/config.ts";
import { type LocalCloud, startLocalCloud } from "../localcloud/index.ts";
import type { ProviderAuth } from "./credentials.ts";

export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/cache-operator`;
export const EXTERNAL_ID = "ext-id-2718";
export const OIDC_ISSUER = "https://oidc.cloud-tests.invalid/id/1";
export const SERVICE_ACCOUNT_SUBJECT = "system:serviceaccount:infra:operator";
export const LIMITED_KEYS = {
  accessKeyId: "AKIALIMITEDTEST0001",
  secretAccessKey: "limited-user-secret-key-0001",
};

/** What the limited user may do: everything of a cache's life but replica and shard scaling. */
export const LIMITED_ACTIONS = [
  "elasticache:Describe*",
  "elasticache:List*",
  "elasticache:CreateCacheCluster",
  "elasticache:CreateReplicationGroup",
  "elasticache:ModifyCacheCluster",
  "elasticache:ModifyReplicationGroup",
  "elasticache:DeleteCacheCluster",
  "elasticache:DeleteReplicationGroup",
  "elasticache:AddTagsToResource",
  "elasticache:RemoveTagsFromResource",
];

const allowAll = { Statement: [{ Effect: "Allow" as const, Action: "*", Resource: "*" }] };

function testConfig(publicKeyPem: string): LocalCloudConfig {
  const issuerHost = OIDC_ISSUER.replace(/^https:\/\//, "");
  return configSchema.parse({
    accounts: [
      {
        id: ACCOUNT,
        users: [
          { name: "root", accessKeys: [{ id: "test", secret: "test" }], policies: [allowAll] },
          {
            name: "limited",
            accessKeys: [{ id: LIMITED_KEYS.accessKeyId, secret: LIMITED_KEYS.secretAccessKey }],
            policies: [{ Statement: [{ Effect: "Allow", Action: LIMITED_ACTIONS, Resource: "*" }] }],
          },
        ],
        roles: [
          {
            name: "cache-operator",
            maxSessionDurationSeconds: 3600,
            trustPolicy: {
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                  Action: "sts:AssumeRole",
                  Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID } },
                },
                {
                  Effect: "Allow",
                  Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerHost}` },
                  Action: "sts:AssumeRoleWithWebIdentity",
                  Condition: { StringEquals: { [`${issuerHost}:sub`]: SERVICE_ACCOUNT_SUBJECT } },
                },
              ],
            },
            policies: [allowAll],
          },
        ],
      },
    ],
    oidcIssuers: [{ url: OIDC_ISSUER, audiences: ["sts.amazonaws.com"], publicKeyPem }],
  });
}

export interface TestCloud {
  url: string;
  /** The CA that signs the TLS certificates of nodes with in-transit encryption. */
  caFile: string;
  /** Root credentials (test/test) at the local cloud. */
  auth: ProviderAuth;
  /** Signs a web identity token of the test issuer for `subject`. */
  webIdentityToken(subject?: string): string;
  /** Sets the local cloud's fault injection (Throttling / ServiceUnavailable shares). */
  setFaults(faults: Record<string, unknown>): Promise<void>;
  /** Sets how long each state transition takes. */
  setPace(transitionDelayMs: number): Promise<void>;
  /** Counts of calls per action the local cloud has answered. */
  calls(): Promise<CallCounts>;
  resetCalls(): Promise<void>;
  /** Stops the local cloud and removes its folder (also done by `t.after` when a context was given). */
  stop(): Promise<void>;
}

function signJwt(key: KeyObject, claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${enc({ alg: "RS256", typ: "JWT" })}.${enc(claims)}`;
  return `${body}.${sign("RSA-SHA256", Buffer.from(body), key).toString("base64url")}`;
}

async function admin(cloud: LocalCloud, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await adminRequest(cloud.url, cloud.adminToken, method, path, body);
  if (!res.ok) throw new Error(`local cloud admin ${method} ${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * A local cloud for one test (file). Given a test context, it is stopped and its folder removed when
 * that test ends; otherwise the caller calls `stop()` (in an `after` hook of its suite).
 */
export async function startTestCloud(t?: Pick<TestContext, "after">): Promise<TestCloud> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cloud-test-"));
  const logs: string[] = [];
  const cloud = await startLocalCloud({
    port: 0,
    dataDir,
    config: testConfig(publicKey.export({ type: "spki", format: "pem" }).toString()),
    log: (line) => {
      if (logs.length < 2000) logs.push(line);
    },
  });
  const stop = async () => {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  t?.after(stop);
  return {
    stop,
    url: cloud.url,
    caFile: cloud.caFile,
    auth: { region: REGION, endpoint: cloud.url, accessKeyId: "test", secretAccessKey: "test" },
    webIdentityToken: (subject = SERVICE_ACCOUNT_SUBJECT) => {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(privateKey, {
        iss: OIDC_ISSUER,
        sub: subject,
        aud: "sts.amazonaws.com",
        iat: now,
        nbf: now - 5,
        exp: now + 3600,
      });
    },
    setFaults: async (faults) => {
      await admin(cloud, "POST", "faults", faults);
    },
    setPace: async (ms) => {
      await admin(cloud, "POST", "pace", { transitionDelayMs: ms });
    },
    calls: async () => (await admin(cloud, "GET", "calls")) as CallCounts,
    resetCalls: async () => {
      await admin(cloud, "DELETE", "calls");
    },
  };
}

/**
 * Sends raw protocol text to a cache node and resolves with what it answered once `done` accepts it
 * (memcached `version`, Redis inline `PING`). Bounded by a timeout; the socket is always closed.
 */
export function talk(
  endpoint: { address: string; port: number },
  text: string,
  done: (reply: string) => boolean,
  options: { caFile?: string; timeoutMs?: number } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    let reply = "";
    const socket =
      options.caFile !== undefined
        ? tls.connect({ port: endpoint.port, host: endpoint.address, ca: readFileSync(options.caFile) })
        : net.connect(endpoint.port, endpoint.address);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no full answer from ${endpoint.address}:${endpoint.port} within ${timeoutMs} ms: ${reply}`,
        ),
      );
    }, timeoutMs);
    socket.on(options.caFile !== undefined ? "secureConnect" : "connect", () => socket.write(text));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (done(reply)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(reply);
      }
    });
    socket.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Polls `read` until `ok` accepts its result; fails with the last result after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}
