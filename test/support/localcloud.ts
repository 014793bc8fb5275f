// The real local cloud for one e2e test file: started in this process on a free port with a temp
// data dir (engines are real redis-server / memcached processes), stopped and removed in `after`.
// Also the AWS side of the checks: an SDK client at the local cloud, so tests look at what AWS
// holds, not only at what the operator reports.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  type CacheCluster,
  CreateCacheSubnetGroupCommand,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  DescribeSnapshotsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  type ReplicationGroup,
  type Snapshot,
} from "@aws-sdk/client-elasticache";
import type { CallCounts } from "../../src/localcloud/admin/call-counter.ts";
import { adminRequest } from "../../src/localcloud/admin/client.ts";
import { configSchema, type FaultConfig, type LocalCloudConfig } from "../../src/localcloud/config.ts";
import { startLocalCloud } from "../../src/localcloud/index.ts";

export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";
/** The full-access root keys of every test cloud (the LocalStack convention of examples/aws-credentials.yaml). */
export const ROOT_KEYS = { accessKeyId: "test", secretAccessKey: "test" };

export interface TestUser {
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** IAM policy documents of the user. */
  policies: unknown[];
}

export interface LocalCloudForTests {
  url: string;
  caFile: string;
  /** SDK client with the root keys: the tests' view of AWS. */
  aws: ElastiCacheClient;
  /** Every request line the local cloud logged (with a time stamp), for latency figures. */
  requestLog: { at: number; line: string }[];
  calls(): Promise<CallCounts>;
  resetCalls(): Promise<void>;
  setPace(transitionDelayMs: number): Promise<void>;
  /** Fault injection (throttling, 503s, latency), as POST /_localcloud/faults; {} turns it off. */
  setFaults(faults: Partial<FaultConfig>): Promise<void>;
  /** Stops the local cloud (engines included), waits `downMs`, starts it again on the same port and data. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The local cloud's config: the root test/test user with all rights, plus `users`. */
/** Local cloud settings a test may change (node memory and metric period for auto scaling, simulated engines). */
export type CloudSettings = Partial<
  Pick<LocalCloudConfig, "nodeMemoryDivisor" | "metricPeriodMs" | "engines">
>;

export function cloudConfig(
  users: TestUser[] = [],
  transitionDelayMs = 0,
  settings: CloudSettings = {},
): LocalCloudConfig {
  const allowAll = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  return configSchema.parse({
    accounts: [
      {
        id: ACCOUNT,
        users: [
          {
            name: "root",
            accessKeys: [{ id: ROOT_KEYS.accessKeyId, secret: ROOT_KEYS.secretAccessKey }],
            policies: [allowAll],
          },
          ...users.map((u) => ({
            name: u.name,
            accessKeys: [{ id: u.accessKeyId, secret: u.secretAccessKey }],
            policies: u.policies,
          })),
        ],
      },
    ],
    transitionDelayMs,
    ...settings,
  });
}

export async function startCloudForTests(
  options: {
    users?: TestUser[];
    transitionDelayMs?: number;
    keepLog?: number;
    settings?: CloudSettings;
    /** Address the API and the engines listen on (default 127.0.0.1), e.g. a test node's veth. */
    host?: string;
    /** Changes to the config before start (roles, OIDC issuers, ...). */
    configure?: (config: LocalCloudConfig) => LocalCloudConfig;
  } = {},
): Promise<LocalCloudForTests> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "e2e-cloud-"));
  const requestLog: { at: number; line: string }[] = [];
  const keep = options.keepLog ?? 20_000;
  const base = cloudConfig(options.users, options.transitionDelayMs, options.settings);
  const config = options.configure ? configSchema.parse(options.configure(base)) : base;
  const start = (port: number) =>
    startLocalCloud({
      ...(options.host ? { host: options.host } : {}),
      port,
      dataDir,
      config,
      log: (line) => {
        if (requestLog.length < keep) requestLog.push({ at: Date.now(), line });
      },
    });
  let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
  try {
    cloud = await start(0);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const aws = new ElastiCacheClient({
    region: REGION,
    endpoint: cloud.url,
    credentials: ROOT_KEYS,
    maxAttempts: 2,
  });
  const admin = async (method: string, what: string, body?: unknown): Promise<unknown> => {
    const res = await adminRequest(cloud.url, cloud.adminToken, method, what, body);
    if (!res.ok)
      throw new Error(
        `local cloud admin ${method} ${what} answered ${res.status}: ${JSON.stringify(res.body)}`,
      );
    return res.body;
  };
  let stopping: Promise<void> | undefined;
  return {
    url: cloud.url,
    caFile: cloud.caFile,
    aws,
    requestLog,
    calls: async () => (await admin("GET", "calls")) as CallCounts,
    resetCalls: async () => {
      await admin("DELETE", "calls");
    },
    setPace: async (ms) => {
      await admin("POST", "pace", { transitionDelayMs: ms });
    },
    setFaults: async (faults) => {
      await admin("POST", "faults", faults);
    },
    restart: async (downMs = 0) => {
      const port = Number(new URL(cloud.url).port);
      await cloud.stop();
      await new Promise((r) => setTimeout(r, downMs));
      cloud = await start(port);
    },
    stop: () => {
      stopping ??= (async () => {
        aws.destroy();
        await cloud.stop();
        await rm(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string }).name ?? "";
  return /NotFound/.test(name);
}

/** The cache cluster as AWS describes it (with its nodes), or undefined when there is none. */
export async function awsCacheCluster(aws: ElastiCacheClient, id: string): Promise<CacheCluster | undefined> {
  try {
    const out = await aws.send(
      new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }),
    );
    return out.CacheClusters?.[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The replication group as AWS describes it, or undefined when there is none. */
export async function awsReplicationGroup(
  aws: ElastiCacheClient,
  id: string,
): Promise<ReplicationGroup | undefined> {
  try {
    const out = await aws.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }));
    return out.ReplicationGroups?.[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Tags of a resource (by ARN) as a plain record. */
export async function awsTags(aws: ElastiCacheClient, arn: string): Promise<Record<string, string>> {
  const out = await aws.send(new ListTagsForResourceCommand({ ResourceName: arn }));
  return Object.fromEntries((out.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

export async function awsSnapshots(aws: ElastiCacheClient): Promise<Snapshot[]> {
  const out = await aws.send(new DescribeSnapshotsCommand({}));
  return out.Snapshots ?? [];
}

export async function createSubnetGroup(aws: ElastiCacheClient, name: string): Promise<void> {
  await aws.send(
    new CreateCacheSubnetGroupCommand({
      CacheSubnetGroupName: name,
      CacheSubnetGroupDescription: `e2e subnet group ${name}`,
      SubnetIds: ["subnet-0e2e0000000000001", "subnet-0e2e0000000000002"],
    }),
  );
}

export function clusterArn(id: string): string {
  return `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:${id}`;
}

export function replicationGroupArn(id: string): string {
  return `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:${id}`;
}
