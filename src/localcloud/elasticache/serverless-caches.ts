// CreateServerlessCache, DescribeServerlessCaches, ModifyServerlessCache and DeleteServerlessCache.
// Each cache is backed by real engines behind a TLS endpoint (and a reader endpoint for Redis and
// Valkey); its user group's users are the engines' ACL users; usage limits and snapshot settings are
// recorded and returned (DataStorage.Maximum is also the engines' memory limit).
import type { Handler, RequestContext } from "../context.ts";
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { CacheUsageLimitsRecord, ServerlessCacheRecord, Tag } from "../state/records.ts";
import { elasticacheArn, parseElasticacheArn } from "./arn.ts";
import { resolveEngineVersion } from "./catalog.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { pushServerlessAclUsers } from "./rbac-sync.ts";
import { renderServerlessCache } from "./render-serverless.ts";
import {
  applyMemoryLimit,
  newServerlessNodes,
  startServerlessNodes,
  stopServerlessNodes,
} from "./serverless-engines.ts";
import { getServerlessCache, pageOfResults } from "./serverless-lookup.ts";
import {
  freeSnapshotName,
  getServerlessSnapshot,
  newServerlessSnapshot,
  requireSnapshotAvailable,
  writeServerlessSnapshot,
} from "./serverless-snapshots.ts";
import { checkTagLimit, rejectUnsupported } from "./shared-rules.ts";
import { availableSnapshot } from "./snapshot-work.ts";
import { getUserGroup, requireUserGroupActive } from "./user-groups.ts";
import { validIdentifier } from "./validation.ts";

type Engine = ServerlessCacheRecord["engine"];

/** The major versions AWS offers for serverless caches, newest last. */
const majorVersions: Record<Engine, string[]> = { redis: ["7"], valkey: ["7", "8"], memcached: ["1.6"] };

function versionOf(engine: Engine, major: unknown): { major: string; full: string } {
  const offered = majorVersions[engine];
  const wanted = major === undefined ? (offered[offered.length - 1] as string) : String(major);
  const entry = offered.includes(wanted) ? resolveEngineVersion(engine, wanted) : undefined;
  if (entry === undefined)
    throw invalidParameter(
      `MajorEngineVersion ${wanted} is not offered for serverless ${engine}: use ${offered.join(" or ")}.`,
    );
  // AWS reports major.minor for Redis and Valkey ("7.1"), the full version for memcached.
  const full = engine === "memcached" ? entry.version : entry.version.split(".").slice(0, 2).join(".");
  return { major: wanted, full };
}

function validEngine(value: unknown): Engine {
  const engine = String(value ?? "").toLowerCase();
  if (engine !== "redis" && engine !== "valkey" && engine !== "memcached")
    throw invalidParameter(`Engine '${String(value ?? "")}' is invalid: use redis, valkey or memcached.`);
  return engine;
}

/** CacheUsageLimits as AWS bounds them: 1-5000 GB of data, 1,000-15,000,000 ECPUs per second. */
function validUsageLimits(value: unknown): CacheUsageLimitsRecord | undefined {
  if (value === undefined) return undefined;
  const limits = value as CacheUsageLimitsRecord;
  const range = (
    what: string,
    v: { Minimum?: number; Maximum?: number } | undefined,
    lo: number,
    hi: number,
  ) => {
    for (const [k, n] of [
      ["Minimum", v?.Minimum],
      ["Maximum", v?.Maximum],
    ] as const) {
      if (n !== undefined && (n < lo || n > hi))
        throw invalidParameter(`${what}.${k} must be between ${lo} and ${hi}.`);
    }
    if (v?.Minimum !== undefined && v.Maximum !== undefined && v.Minimum > v.Maximum)
      throw invalidParameter(`${what}.Minimum must not exceed ${what}.Maximum.`);
  };
  if (limits.DataStorage) {
    if (limits.DataStorage.Unit !== "GB")
      throw invalidParameter("CacheUsageLimits.DataStorage.Unit must be GB.");
    range("CacheUsageLimits.DataStorage", limits.DataStorage, 1, 5000);
  }
  range("CacheUsageLimits.ECPUPerSecond", limits.ECPUPerSecond, 1000, 15_000_000);
  return limits;
}

/** A user group the cache may use: active, and of an engine the cache's engine accepts. */
function usableUserGroup(cloud: Cloud, engine: Engine, id: unknown): string {
  if (engine === "memcached")
    throw invalidCombination(
      "Memcached serverless caches do not take a user group (RBAC is Redis/Valkey only).",
    );
  const group = getUserGroup(cloud, id);
  requireUserGroupActive(group);
  if (engine === "redis" && group.engine !== "redis")
    throw invalidParameter(
      `User group ${group.id} has engine ${group.engine}; a Redis cache takes redis user groups.`,
    );
  return group.id;
}

/** The RDB a new cache starts from (SnapshotArnsToRestore): a serverless or a node-based snapshot. */
function restoreFile(cloud: Cloud, engine: Engine, value: unknown): string | undefined {
  const arns = (value as string[] | undefined) ?? [];
  if (arns.length === 0) return undefined;
  if (engine === "memcached")
    throw invalidCombination("Memcached serverless caches cannot be restored from a snapshot.");
  if (arns.length > 1)
    throw invalidParameter(
      "The local cloud restores one snapshot per serverless cache; give a single SnapshotArnsToRestore.",
    );
  const arn = String(arns[0]);
  const parsed = parseElasticacheArn(arn);
  if (parsed?.kind === "serverlesscachesnapshot") {
    const snapshot = getServerlessSnapshot(cloud, parsed.name);
    if (snapshot.arn !== arn)
      throw fault("ServerlessCacheSnapshotNotFoundFault", `Snapshot ${arn} not found.`);
    requireSnapshotAvailable(snapshot);
    return snapshot.file;
  }
  if (parsed?.kind === "snapshot") {
    const snapshot = availableSnapshot(cloud, parsed.name);
    if (snapshot.files.length !== 1)
      throw invalidParameter(
        `Snapshot ${snapshot.name} has ${snapshot.files.length} shards; the local cloud restores single-shard snapshots.`,
      );
    return snapshot.files[0]?.file;
  }
  throw invalidParameter(
    `SnapshotArnsToRestore: ${arn} is not the ARN of a snapshot or serverless cache snapshot.`,
  );
}

function create(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const name = validIdentifier(input.ServerlessCacheName, "ServerlessCacheName", 40);
  if (cloud.state.serverlessCaches[name])
    throw fault("ServerlessCacheAlreadyExistsFault", `Serverless cache ${name} already exists.`);
  rejectUnsupported(input, ["Integrations"]);
  const engine = validEngine(input.Engine);
  const version = versionOf(engine, input.MajorEngineVersion);
  const usageLimits = validUsageLimits(input.CacheUsageLimits);
  const userGroupId =
    input.UserGroupId !== undefined ? usableUserGroup(cloud, engine, input.UserGroupId) : undefined;
  const restore = restoreFile(cloud, engine, input.SnapshotArnsToRestore);
  if (
    engine === "memcached" &&
    (input.SnapshotRetentionLimit !== undefined || input.DailySnapshotTime !== undefined)
  )
    throw invalidCombination(
      "Memcached serverless caches take no SnapshotRetentionLimit or DailySnapshotTime.",
    );
  const tags = (input.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  const now = ctx.now.toISOString();
  const accountId = ctx.principal?.accountId ?? "000000000000";
  const cache: ServerlessCacheRecord = {
    name,
    arn: elasticacheArn(ctx.region, accountId, "serverlesscache", name),
    region: ctx.region,
    accountId,
    description: String(input.Description ?? ""),
    status: "creating",
    engine,
    majorEngineVersion: version.major,
    fullEngineVersion: version.full,
    createTime: now,
    ...(usageLimits ? { usageLimits } : {}),
    ...(input.KmsKeyId ? { kmsKeyId: String(input.KmsKeyId) } : {}),
    securityGroupIds: (input.SecurityGroupIds as string[] | undefined) ?? [],
    subnetIds: (input.SubnetIds as string[] | undefined) ?? [],
    ...(userGroupId ? { userGroupId } : {}),
    ...(engine !== "memcached"
      ? {
          snapshotRetentionLimit: (input.SnapshotRetentionLimit as number | undefined) ?? 0,
          dailySnapshotTime: String(input.DailySnapshotTime ?? "04:00"),
        }
      : {}),
    nodes: newServerlessNodes({ name, engine }, now),
  };
  cloud.state.serverlessCaches[name] = cache;
  if (tags.length > 0) cloud.state.tags[cache.arn] = tags;
  cloud.save();
  const rendered = renderServerlessCache(cache);
  cloud.background(
    `creating serverless cache ${name}`,
    async () => {
      await startServerlessNodes(cloud, cache, {
        created: true,
        ...(restore ? { restoreRdbFile: restore } : {}),
      });
      await cloud.pace();
      cache.status = "available";
      cloud.event(
        "serverless-cache",
        name,
        restore ? "Serverless cache restored from snapshot" : "Serverless cache created",
      );
    },
    (message) => {
      cache.status = "create-failed";
      cloud.event("serverless-cache", name, `Failed to create serverless cache: ${message}`);
    },
  );
  return { ServerlessCache: rendered };
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const all =
    input.ServerlessCacheName !== undefined
      ? [getServerlessCache(cloud, input.ServerlessCacheName)]
      : Object.values(cloud.state.serverlessCaches).sort((a, b) => a.name.localeCompare(b.name));
  const page = pageOfResults(all, input, 100);
  return {
    ServerlessCaches: page.items.map(renderServerlessCache),
    ...(page.next ? { NextToken: page.next } : {}),
  };
}

function requireAvailable(cache: ServerlessCacheRecord): void {
  if (cache.status !== "available") {
    throw fault(
      "InvalidServerlessCacheStateFault",
      `Serverless cache ${cache.name} is not available (it is ${cache.status}).`,
    );
  }
}

function modify(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const cache = getServerlessCache(cloud, input.ServerlessCacheName);
  requireAvailable(cache);
  const updates: (() => void)[] = [];
  if (input.RemoveUserGroup === true && input.UserGroupId !== undefined)
    throw invalidCombination("Give UserGroupId or RemoveUserGroup=true, not both.");
  let engine = cache.engine;
  if (input.Engine !== undefined) {
    engine = validEngine(input.Engine);
    if (engine !== cache.engine && !(cache.engine === "redis" && engine === "valkey"))
      throw invalidParameter(
        `A ${cache.engine} serverless cache cannot change to ${engine} (only redis to valkey).`,
      );
  }
  if (input.Engine !== undefined || input.MajorEngineVersion !== undefined) {
    const version = versionOf(
      engine,
      input.MajorEngineVersion ?? (engine === cache.engine ? cache.majorEngineVersion : undefined),
    );
    if (engine === cache.engine && Number(version.major) < Number(cache.majorEngineVersion))
      throw invalidParameter(
        `MajorEngineVersion cannot go down from ${cache.majorEngineVersion} to ${version.major}.`,
      );
    updates.push(() => {
      cache.engine = engine;
      cache.majorEngineVersion = version.major;
      cache.fullEngineVersion = version.full;
    });
  }
  let aclChange = false;
  let limitsChange = false;
  if (input.UserGroupId !== undefined) {
    const id = usableUserGroup(cloud, engine, input.UserGroupId);
    aclChange = id !== cache.userGroupId;
    updates.push(() => (cache.userGroupId = id));
  }
  if (input.RemoveUserGroup === true && cache.userGroupId !== undefined) {
    aclChange = true;
    updates.push(() => delete cache.userGroupId);
  }
  if (input.CacheUsageLimits !== undefined) {
    const limits = validUsageLimits(input.CacheUsageLimits);
    limitsChange = true;
    updates.push(() => (cache.usageLimits = limits));
  }
  if (input.Description !== undefined) updates.push(() => (cache.description = String(input.Description)));
  if (input.SecurityGroupIds !== undefined)
    updates.push(() => (cache.securityGroupIds = input.SecurityGroupIds as string[]));
  if (input.SnapshotRetentionLimit !== undefined || input.DailySnapshotTime !== undefined) {
    if (cache.engine === "memcached")
      throw invalidCombination(
        "Memcached serverless caches take no SnapshotRetentionLimit or DailySnapshotTime.",
      );
    if (input.SnapshotRetentionLimit !== undefined)
      updates.push(() => (cache.snapshotRetentionLimit = input.SnapshotRetentionLimit as number));
    if (input.DailySnapshotTime !== undefined)
      updates.push(() => (cache.dailySnapshotTime = String(input.DailySnapshotTime)));
  }
  if (updates.length === 0) return { ServerlessCache: renderServerlessCache(cache) };
  for (const u of updates) u();
  cache.status = "modifying";
  cloud.save();
  const rendered = renderServerlessCache(cache);
  cloud.background(
    `modifying serverless cache ${cache.name}`,
    async () => {
      if (aclChange) await pushServerlessAclUsers(cloud, cache);
      if (limitsChange) await applyMemoryLimit(cloud, cache);
      await cloud.pace();
      cache.status = "available";
      cloud.event("serverless-cache", cache.name, "Serverless cache modified");
    },
    (message) => {
      cache.status = "available";
      cloud.event("serverless-cache", cache.name, `Failed to modify serverless cache: ${message}`);
    },
  );
  return { ServerlessCache: rendered };
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const cache = getServerlessCache(cloud, ctx.input.ServerlessCacheName);
  if (cache.status !== "available" && cache.status !== "create-failed") requireAvailable(cache);
  const finalName =
    ctx.input.FinalSnapshotName !== undefined
      ? freeSnapshotName(cloud, ctx.input.FinalSnapshotName, "FinalSnapshotName")
      : undefined;
  const finalSnapshot =
    finalName !== undefined ? newServerlessSnapshot(cloud, cache, finalName, ctx) : undefined;
  cache.status = "deleting";
  cloud.save();
  const rendered = renderServerlessCache(cache);
  cloud.background(
    `deleting serverless cache ${cache.name}`,
    async () => {
      if (finalSnapshot) await writeServerlessSnapshot(cloud, cache, finalSnapshot);
      await stopServerlessNodes(cloud, cache, true);
      await cloud.pace();
      delete cloud.state.serverlessCaches[cache.name];
      delete cloud.state.tags[cache.arn];
      cloud.event("serverless-cache", cache.name, "Serverless cache deleted");
    },
    (message) => {
      if (finalSnapshot && finalSnapshot.status === "creating") finalSnapshot.status = "failed";
      cache.status = "available";
      cloud.event("serverless-cache", cache.name, `Failed to delete serverless cache: ${message}`);
    },
  );
  return { ServerlessCache: rendered };
}

export function serverlessCacheHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    CreateServerlessCache: async (ctx) => create(cloud, ctx),
    DescribeServerlessCaches: async (ctx) => describe(cloud, ctx),
    ModifyServerlessCache: async (ctx) => modify(cloud, ctx),
    DeleteServerlessCache: async (ctx) => remove(cloud, ctx),
  };
}
