// ElastiCache's ServerlessCache and ServerlessCacheSnapshot output shapes from the local cloud's
// records, with endpoints that point at the real engine processes.
import type { ServerlessCacheRecord, ServerlessSnapshotRecord } from "../state/records.ts";
import { nodeEndpoint } from "./render.ts";

type Out = Record<string, unknown>;

export function renderServerlessCache(c: ServerlessCacheRecord): Out {
  const endpoint = nodeEndpoint(c.nodes[0]);
  const reader = nodeEndpoint(c.nodes[1]);
  const redisLike = c.engine !== "memcached";
  return {
    ServerlessCacheName: c.name,
    Description: c.description,
    CreateTime: c.createTime,
    Status: c.status,
    Engine: c.engine,
    MajorEngineVersion: c.majorEngineVersion,
    FullEngineVersion: c.fullEngineVersion,
    ...(c.usageLimits ? { CacheUsageLimits: c.usageLimits } : {}),
    ...(c.kmsKeyId ? { KmsKeyId: c.kmsKeyId } : {}),
    SecurityGroupIds: c.securityGroupIds,
    ...(endpoint ? { Endpoint: endpoint } : {}),
    ...(reader ? { ReaderEndpoint: reader } : {}),
    ARN: c.arn,
    ...(c.userGroupId ? { UserGroupId: c.userGroupId } : {}),
    SubnetIds: c.subnetIds,
    ...(redisLike
      ? { SnapshotRetentionLimit: c.snapshotRetentionLimit ?? 0, DailySnapshotTime: c.dailySnapshotTime }
      : {}),
    NetworkType: "ipv4",
  };
}

export function renderServerlessSnapshot(s: ServerlessSnapshotRecord): Out {
  return {
    ServerlessCacheSnapshotName: s.name,
    ARN: s.arn,
    ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
    SnapshotType: s.snapshotType,
    Status: s.status,
    CreateTime: s.createTime,
    ...(s.bytes !== undefined ? { BytesUsedForCache: String(s.bytes) } : {}),
    ServerlessCacheConfiguration: {
      ServerlessCacheName: s.cacheName,
      Engine: s.engine,
      MajorEngineVersion: s.majorEngineVersion,
    },
  };
}
