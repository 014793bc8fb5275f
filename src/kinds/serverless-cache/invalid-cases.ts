// ElastiCacheServerlessCache manifests the API server must refuse, with the field and message
// (rows of the invalid-input table, src/api/invalid-cases.ts).
import { type InvalidRow, manifestOf } from "../../api/invalid-row.ts";

export const serverlessCacheManifest = (name: string, spec: Record<string, unknown>) =>
  manifestOf("ElastiCacheServerlessCache", name, {
    providerRef: { name: "localstack" },
    serverlessCacheName: name,
    engine: "redis",
    ...spec,
  });

const cache = serverlessCacheManifest;

// [case name, manifest, field, message]
export const serverlessCacheInvalidRows: InvalidRow[] = [
  [
    "serverless cache name in upper case",
    cache("sc1", { serverlessCacheName: "Sessions" }),
    "spec.serverlessCacheName",
    "serverlessCacheName must be lower-case letters, digits and hyphens",
  ],
  [
    "serverless cache engine not offered",
    cache("sc2", { engine: "mysql" }),
    "spec.engine",
    "Unsupported value",
  ],
  [
    "serverless cache data storage minimum above maximum",
    cache("sc3", { cacheUsageLimits: { dataStorage: { minimum: 10, maximum: 5 } } }),
    "spec.cacheUsageLimits.dataStorage.minimum",
    "cacheUsageLimits.dataStorage.minimum must not exceed cacheUsageLimits.dataStorage.maximum",
  ],
  [
    "serverless cache ECPU minimum above maximum",
    cache("sc4", { cacheUsageLimits: { ecpuPerSecond: { minimum: 9000, maximum: 5000 } } }),
    "spec.cacheUsageLimits.ecpuPerSecond.minimum",
    "cacheUsageLimits.ecpuPerSecond.minimum must not exceed cacheUsageLimits.ecpuPerSecond.maximum",
  ],
  [
    "serverless cache data storage above AWS's bound",
    cache("sc5", { cacheUsageLimits: { dataStorage: { maximum: 9000 } } }),
    "spec.cacheUsageLimits.dataStorage.maximum",
    "5000",
  ],
  [
    "serverless memcached with a user group",
    cache("sc6", { engine: "memcached", userGroupID: "app-users" }),
    "spec.userGroupID",
    "userGroupID is for redis and valkey",
  ],
  [
    "serverless memcached with snapshot settings",
    cache("sc7", { engine: "memcached", snapshotRetentionLimit: 3 }),
    "spec.snapshotRetentionLimit",
    "a memcached serverless cache takes no snapshots",
  ],
  [
    "serverless cache snapshot time not HH:MM",
    cache("sc8", { dailySnapshotTime: "4am" }),
    "spec.dailySnapshotTime",
    'dailySnapshotTime must be a UTC time "HH:MM"',
  ],
  [
    "serverless cache security group not an ID",
    cache("sc9", { securityGroupIDs: ["default"] }),
    "spec.securityGroupIDs[0]",
    "securityGroupIDs entries must be AWS IDs",
  ],
  [
    "serverless cache major version not a version",
    cache("sc10", { majorEngineVersion: "latest" }),
    "spec.majorEngineVersion",
    "majorEngineVersion must be a major version",
  ],
];
