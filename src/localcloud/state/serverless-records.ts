// What the local cloud remembers of ElastiCache Serverless: caches (each backed by real engine
// processes: a primary behind the endpoint and, for Redis/Valkey, a replica behind the reader
// endpoint) and their snapshots (one RDB file each).
import type { CacheNodeRecord } from "./records.ts";

export interface CacheUsageLimitsRecord {
  DataStorage?: { Maximum?: number; Minimum?: number; Unit: string };
  ECPUPerSecond?: { Maximum?: number; Minimum?: number };
}

export interface ServerlessCacheRecord {
  /** Lower-cased ServerlessCacheName. */
  name: string;
  arn: string;
  region: string;
  accountId: string;
  description: string;
  status: string;
  engine: "redis" | "valkey" | "memcached";
  majorEngineVersion: string;
  fullEngineVersion: string;
  createTime: string;
  usageLimits?: CacheUsageLimitsRecord;
  kmsKeyId?: string;
  securityGroupIds: string[];
  subnetIds: string[];
  userGroupId?: string;
  /** Redis/Valkey only (AWS omits them for memcached). */
  snapshotRetentionLimit?: number;
  dailySnapshotTime?: string;
  /** [0] serves the endpoint (primary); [1] the reader endpoint (a replica of [0]). */
  nodes: CacheNodeRecord[];
}

export interface ServerlessSnapshotRecord {
  name: string;
  arn: string;
  kmsKeyId?: string;
  snapshotType: "manual" | "automatic";
  status: string;
  createTime: string;
  /** The cache it was taken from (which may since have been deleted). */
  cacheName: string;
  engine: "redis" | "valkey";
  majorEngineVersion: string;
  /** The RDB file under the data dir, and its size in bytes once written. */
  file: string;
  bytes?: number;
}
