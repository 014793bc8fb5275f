// Test support: starts the real local cloud (free port, temp data dir, real engines) and gives
// AWS SDK v3 clients pointed at it. Every test that calls startTestCloud must call stop().
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import {
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import { STSClient } from "@aws-sdk/client-sts";
import type { LocalCloudConfig } from "../config.ts";
import { type LocalCloud, startLocalCloud } from "../index.ts";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface TestCloud {
  cloud: LocalCloud;
  dataDir: string;
  url: string;
  log: string[];
  elasticache(credentials?: Credentials, region?: string): ElastiCacheClient;
  sts(credentials?: Credentials): STSClient;
  autoScaling(credentials?: Credentials, region?: string): ApplicationAutoScalingClient;
  /** Stops the local cloud (and its engines); the data dir stays unless `removeData`. */
  stop(removeData?: boolean): Promise<void>;
  restart(): Promise<void>;
  admin(path: string, init?: RequestInit): Promise<unknown>;
}

export const testCredentials: Credentials = { accessKeyId: "test", secretAccessKey: "test" };

export async function startTestCloud(
  options: { config?: LocalCloudConfig; dataDir?: string; engines?: "real" | "simulated" } = {},
): Promise<TestCloud> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "localcloud-test-"));
  const log: string[] = [];
  const start = () =>
    startLocalCloud({
      port: 0,
      dataDir,
      log: (line) => {
        log.push(line);
      },
      ...(options.config ? { config: options.config } : {}),
      ...(options.engines ? { engines: options.engines } : {}),
    });
  let cloud = await start();
  const clientConfig = (credentials?: Credentials, region = "us-east-1") => ({
    endpoint: cloud.url,
    region,
    credentials: credentials ?? testCredentials,
    maxAttempts: 1,
  });
  const t: TestCloud = {
    get cloud() {
      return cloud;
    },
    dataDir,
    get url() {
      return cloud.url;
    },
    log,
    elasticache: (credentials, region) => new ElastiCacheClient(clientConfig(credentials, region)),
    sts: (credentials) => new STSClient(clientConfig(credentials)),
    autoScaling: (credentials, region) => new ApplicationAutoScalingClient(clientConfig(credentials, region)),
    async stop(removeData = true) {
      await cloud.stop();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await cloud.stop();
      cloud = await start();
    },
    async admin(path, init) {
      const res = await fetch(`${cloud.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${cloud.adminToken}`,
          "content-type": "application/json",
          ...(init?.headers as Record<string, string> | undefined),
        },
      });
      return res.json();
    },
  };
  return t;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
}

/** Waits until replication group `id` is available (fails at once on create-failed). */
export function waitGroupAvailable(ec: ElastiCacheClient, id: string): Promise<ReplicationGroup> {
  return waitFor(
    `${id} available`,
    async () => {
      const r = await ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }));
      const g = r.ReplicationGroups?.[0];
      if (g?.Status === "create-failed") throw new Error(`${id} failed to create`);
      return g?.Status === "available" ? g : undefined;
    },
    120_000,
  );
}

/** Runs the real redis-cli; the password goes through REDISCLI_AUTH so it is not in argv. */
export function redisCli(args: string[], password?: string): string {
  const r = spawnSync("redis-cli", args, {
    encoding: "utf8",
    timeout: 15_000,
    env: { ...process.env, ...(password ? { REDISCLI_AUTH: password } : {}) },
  });
  if (r.error) throw new Error(`redis-cli could not run: ${r.error.message}; install redis-tools`);
  return `${r.stdout}${r.stderr}`.trim();
}

/** Every file under `dir` except RDB files, as text: to check that no secret was written in clear. */
export function textUnder(dir: string): string {
  let text = "";
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) text += textUnder(path);
    else if (!entry.endsWith(".rdb")) text += readFileSync(path, "utf8");
  }
  return text;
}

/** Error code of a rejected SDK call (the AWS error code, e.g. CacheClusterNotFound). */
export async function errorOf(
  call: Promise<unknown>,
): Promise<{ code: string; name: string; message: string; status: number }> {
  try {
    await call;
  } catch (e) {
    const err = e as {
      Code?: string;
      name: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
    };
    return {
      code: err.Code ?? err.name,
      name: err.name,
      message: err.message,
      status: err.$metadata?.httpStatusCode ?? 0,
    };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
