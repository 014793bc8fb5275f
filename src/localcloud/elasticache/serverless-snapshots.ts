// CreateServerlessCacheSnapshot, DescribeServerlessCacheSnapshots, CopyServerlessCacheSnapshot and
// DeleteServerlessCacheSnapshot. A snapshot is a real RDB file of the cache's primary under
// <data-dir>/snapshots/<name>/; CreateServerlessCache SnapshotArnsToRestore loads it into a new cache.
import { copyFileSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Handler, RequestContext } from "../context.ts";
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { ServerlessCacheRecord, ServerlessSnapshotRecord, Tag } from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { renderServerlessSnapshot } from "./render-serverless.ts";
import { getServerlessCache, pageOfResults } from "./serverless-lookup.ts";
import { checkTagLimit } from "./shared-rules.ts";
import { validSnapshotName } from "./snapshots.ts";

export function getServerlessSnapshot(cloud: Cloud, name: unknown): ServerlessSnapshotRecord {
  const s = cloud.state.serverlessSnapshots[String(name ?? "")];
  if (s === undefined)
    throw fault(
      "ServerlessCacheSnapshotNotFoundFault",
      `Serverless cache snapshot ${String(name)} not found.`,
    );
  return s;
}

export function requireSnapshotAvailable(s: ServerlessSnapshotRecord): void {
  if (s.status !== "available") {
    throw fault(
      "InvalidServerlessCacheSnapshotStateFault",
      `Serverless cache snapshot ${s.name} is not available (it is ${s.status}).`,
    );
  }
}

/** A new snapshot name: valid and not taken. */
export function freeSnapshotName(cloud: Cloud, value: unknown, parameter: string): string {
  const name = validSnapshotName(value, parameter);
  if (cloud.state.serverlessSnapshots[name])
    throw fault(
      "ServerlessCacheSnapshotAlreadyExistsFault",
      `Serverless cache snapshot ${name} already exists.`,
    );
  return name;
}

/**
 * Serverless and node-based snapshots are separate namespaces on AWS; `--` (which no snapshot name may
 * hold) keeps their folders apart, so deleting one never takes the other's files.
 */
function serverlessSnapshotDir(cloud: Cloud, name: string): string {
  return cloud.snapshotDir(`serverless--${name}`);
}

function snapshotArn(ctx: RequestContext, name: string): string {
  return elasticacheArn(
    ctx.region,
    ctx.principal?.accountId ?? "000000000000",
    "serverlesscachesnapshot",
    name,
  );
}

/** Records a snapshot of `cache` in state `creating`; `writeServerlessSnapshot` fills it in. */
export function newServerlessSnapshot(
  cloud: Cloud,
  cache: ServerlessCacheRecord,
  name: string,
  ctx: RequestContext,
): ServerlessSnapshotRecord {
  if (cache.engine === "memcached") {
    throw invalidCombination(
      "Snapshots of memcached serverless caches are not supported by the local cloud (memcached keeps no data on disk).",
    );
  }
  const snapshot: ServerlessSnapshotRecord = {
    name,
    arn: snapshotArn(ctx, name),
    ...(ctx.input.KmsKeyId ? { kmsKeyId: String(ctx.input.KmsKeyId) } : {}),
    snapshotType: "manual",
    status: "creating",
    createTime: ctx.now.toISOString(),
    cacheName: cache.name,
    engine: cache.engine,
    majorEngineVersion: cache.majorEngineVersion,
    file: join(serverlessSnapshotDir(cloud, name), "serverless.rdb"),
  };
  cloud.state.serverlessSnapshots[name] = snapshot;
  return snapshot;
}

/** Writes the RDB of the cache's primary (the endpoint's node, which has the latest writes). */
export async function writeServerlessSnapshot(
  cloud: Cloud,
  cache: ServerlessCacheRecord,
  snapshot: ServerlessSnapshotRecord,
): Promise<void> {
  const primary = cache.nodes[0];
  if (primary === undefined) throw new Error(`serverless cache ${cache.name} has no engine to snapshot`);
  await cloud.engines.snapshot(primary.engineNodeId, snapshot.file);
  snapshot.bytes = statSync(snapshot.file).size;
  snapshot.status = "available";
  cloud.event(
    "serverless-cache-snapshot",
    snapshot.name,
    `Snapshot ${snapshot.name} of ${cache.name} created`,
  );
}

function create(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const name = freeSnapshotName(cloud, input.ServerlessCacheSnapshotName, "ServerlessCacheSnapshotName");
  const cache = getServerlessCache(cloud, input.ServerlessCacheName);
  if (cache.status !== "available") {
    throw fault(
      "InvalidServerlessCacheStateFault",
      `Serverless cache ${cache.name} is not available (it is ${cache.status}).`,
    );
  }
  const tags = (input.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  const snapshot = newServerlessSnapshot(cloud, cache, name, ctx);
  if (tags.length > 0) cloud.state.tags[snapshot.arn] = tags;
  cloud.save();
  const rendered = renderServerlessSnapshot(snapshot);
  cloud.background(
    `creating serverless cache snapshot ${name}`,
    async () => {
      await writeServerlessSnapshot(cloud, cache, snapshot);
      await cloud.pace();
    },
    (message) => {
      snapshot.status = "failed";
      cloud.event("serverless-cache-snapshot", name, `Snapshot ${name} failed: ${message}`);
    },
  );
  return { ServerlessCacheSnapshot: rendered };
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  let all = Object.values(cloud.state.serverlessSnapshots).sort((a, b) => a.name.localeCompare(b.name));
  if (input.ServerlessCacheSnapshotName !== undefined)
    all = [getServerlessSnapshot(cloud, input.ServerlessCacheSnapshotName)];
  if (input.ServerlessCacheName !== undefined) {
    const cacheName = String(input.ServerlessCacheName).toLowerCase();
    all = all.filter((s) => s.cacheName === cacheName);
    // Snapshots outlive their cache; a name that matches neither is an error, as on AWS.
    if (all.length === 0) getServerlessCache(cloud, cacheName);
  }
  if (input.SnapshotType !== undefined) {
    const type = String(input.SnapshotType);
    if (type !== "manual" && type !== "automatic")
      throw invalidParameter("SnapshotType must be manual or automatic.");
    all = all.filter((s) => s.snapshotType === type);
  }
  const page = pageOfResults(all, input, 50);
  return {
    ServerlessCacheSnapshots: page.items.map(renderServerlessSnapshot),
    ...(page.next ? { NextToken: page.next } : {}),
  };
}

function copy(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const source = getServerlessSnapshot(cloud, input.SourceServerlessCacheSnapshotName);
  requireSnapshotAvailable(source);
  const name = freeSnapshotName(
    cloud,
    input.TargetServerlessCacheSnapshotName,
    "TargetServerlessCacheSnapshotName",
  );
  const tags = (input.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  mkdirSync(serverlessSnapshotDir(cloud, name), { recursive: true });
  const file = join(serverlessSnapshotDir(cloud, name), "serverless.rdb");
  copyFileSync(source.file, file);
  const copied: ServerlessSnapshotRecord = {
    ...source,
    name,
    arn: snapshotArn(ctx, name),
    ...(input.KmsKeyId ? { kmsKeyId: String(input.KmsKeyId) } : {}),
    snapshotType: "manual",
    createTime: ctx.now.toISOString(),
    file,
  };
  cloud.state.serverlessSnapshots[name] = copied;
  if (tags.length > 0) cloud.state.tags[copied.arn] = tags;
  cloud.save();
  return { ServerlessCacheSnapshot: renderServerlessSnapshot(copied) };
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const snapshot = getServerlessSnapshot(cloud, ctx.input.ServerlessCacheSnapshotName);
  if (snapshot.status !== "available" && snapshot.status !== "failed") {
    throw fault(
      "InvalidServerlessCacheSnapshotStateFault",
      `Serverless cache snapshot ${snapshot.name} is not available (it is ${snapshot.status}).`,
    );
  }
  snapshot.status = "deleting";
  const rendered = renderServerlessSnapshot(snapshot);
  rmSync(serverlessSnapshotDir(cloud, snapshot.name), { recursive: true, force: true });
  delete cloud.state.serverlessSnapshots[snapshot.name];
  delete cloud.state.tags[snapshot.arn];
  cloud.save();
  return { ServerlessCacheSnapshot: rendered };
}

export function serverlessSnapshotHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    CreateServerlessCacheSnapshot: async (ctx) => create(cloud, ctx),
    DescribeServerlessCacheSnapshots: async (ctx) => describe(cloud, ctx),
    CopyServerlessCacheSnapshot: async (ctx) => copy(cloud, ctx),
    DeleteServerlessCacheSnapshot: async (ctx) => remove(cloud, ctx),
  };
}
