// CreateSnapshot, DescribeSnapshots, DeleteSnapshot and CopySnapshot. Snapshots are real RDB files
// under <data-dir>/snapshots/<name>/; restore happens through SnapshotName on create.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Handler, RequestContext } from "../context.ts";
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { SnapshotRecord, Tag } from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import { getCluster } from "./cache-clusters.ts";
import type { Cloud } from "./cloud.ts";
import { fault, notFound } from "./faults.ts";
import { paginate } from "./pagination.ts";
import { renderSnapshot } from "./render.ts";
import { getGroup } from "./replication-groups.ts";
import { checkTagLimit } from "./shared-rules.ts";
import {
  keepSnapshotTags,
  newSnapshotRecord,
  type SnapshotSource,
  snapshotEvent,
  writeSnapshotFiles,
} from "./snapshot-work.ts";

export function validSnapshotName(value: unknown, parameter: string): string {
  const name = String(value ?? "");
  if (
    name.length < 1 ||
    name.length > 255 ||
    !/^[A-Za-z][A-Za-z0-9-]*$/.test(name) ||
    name.endsWith("-") ||
    name.includes("--")
  ) {
    throw invalidParameter(
      `${parameter} '${name}' is invalid: use letters, digits and single hyphens, starting with a letter.`,
    );
  }
  return name;
}

function getSnapshot(cloud: Cloud, name: unknown): SnapshotRecord {
  const s = cloud.state.snapshots[String(name)];
  if (s === undefined) throw notFound.snapshot(String(name));
  return s;
}

function create(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const name = validSnapshotName(input.SnapshotName, "SnapshotName");
  if ((input.CacheClusterId === undefined) === (input.ReplicationGroupId === undefined)) {
    throw invalidCombination("Give exactly one of CacheClusterId or ReplicationGroupId.");
  }
  if (cloud.state.snapshots[name])
    throw fault("SnapshotAlreadyExistsFault", `Snapshot ${name} already exists.`);
  const tags = input.Tags as Tag[] | undefined;
  checkTagLimit(tags ?? []);
  let source: SnapshotSource;
  let setStatus: (status: string) => void;
  if (input.ReplicationGroupId !== undefined) {
    const rg = getGroup(cloud, input.ReplicationGroupId);
    if (rg.status !== "available") {
      throw fault(
        "InvalidReplicationGroupStateFault",
        `Replication group ${rg.id} is not in available state (it is ${rg.status}).`,
      );
    }
    source = { rg };
    setStatus = (s) => {
      rg.status = s;
    };
  } else {
    const cluster = getCluster(cloud, input.CacheClusterId);
    if (cluster.engine === "memcached")
      throw fault("SnapshotFeatureNotSupportedFault", "Memcached clusters do not support snapshots.");
    if (cluster.status !== "available") {
      throw fault(
        "InvalidCacheClusterStateFault",
        `Cache cluster ${cluster.id} is not in available state (it is ${cluster.status}).`,
      );
    }
    if (
      cluster.replicationGroupId &&
      cloud.state.replicationGroups[cluster.replicationGroupId]?.clusterMode
    ) {
      throw invalidCombination("Snapshot a cluster-mode replication group with ReplicationGroupId.");
    }
    source = { cluster };
    setStatus = (s) => {
      cluster.status = s;
    };
  }
  const snapshot = newSnapshotRecord(cloud, name, source, ctx, "manual");
  cloud.state.snapshots[name] = snapshot;
  keepSnapshotTags(cloud, snapshot, tags);
  setStatus("snapshotting");
  cloud.save();
  cloud.background(
    `creating snapshot ${name}`,
    async () => {
      await writeSnapshotFiles(cloud, snapshot, source);
      await cloud.pace();
      snapshot.status = "available";
      setStatus("available");
      snapshotEvent(cloud, source, `Snapshot ${name} created`);
    },
    (message) => {
      snapshot.status = "failed";
      setStatus("available");
      snapshotEvent(cloud, source, `Snapshot ${name} failed: ${message}`);
    },
  );
  return { Snapshot: renderSnapshot(snapshot) };
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  let all = Object.values(cloud.state.snapshots).sort((a, b) => a.name.localeCompare(b.name));
  if (input.SnapshotName !== undefined) all = [getSnapshot(cloud, input.SnapshotName)];
  if (input.CacheClusterId !== undefined) {
    // AWS names a cluster that does not exist (any more) rather than answering an empty list.
    const id = getCluster(cloud, input.CacheClusterId).id;
    all = all.filter((s) => s.cacheClusterId === id || s.files.some((f) => f.cacheClusterId === id));
  }
  if (input.ReplicationGroupId !== undefined) {
    const id = String(input.ReplicationGroupId).toLowerCase();
    all = all.filter((s) => s.replicationGroupId === id);
  }
  if (input.SnapshotSource !== undefined) {
    const source = String(input.SnapshotSource);
    if (!["system", "user", "manual", "automated"].includes(source)) {
      throw invalidParameter("SnapshotSource must be system or user.");
    }
    const wanted = source === "system" || source === "automated" ? "automated" : "manual";
    all = all.filter((s) => s.source === wanted);
  }
  const page = paginate(all, input, 20, 50);
  const showNodeGroupConfig = input.ShowNodeGroupConfig === true;
  return {
    Snapshots: page.items.map((s) => renderSnapshot(s, showNodeGroupConfig)),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const snapshot = getSnapshot(cloud, ctx.input.SnapshotName);
  if (snapshot.status !== "available" && snapshot.status !== "failed") {
    throw fault(
      "InvalidSnapshotStateFault",
      `Snapshot ${snapshot.name} is not available (it is ${snapshot.status}).`,
    );
  }
  snapshot.status = "deleting";
  const rendered = renderSnapshot(snapshot);
  rmSync(cloud.snapshotDir(snapshot.name), { recursive: true, force: true });
  delete cloud.state.snapshots[snapshot.name];
  delete cloud.state.tags[snapshot.arn];
  cloud.save();
  return { Snapshot: rendered };
}

function copy(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const source = getSnapshot(cloud, ctx.input.SourceSnapshotName);
  const target = validSnapshotName(ctx.input.TargetSnapshotName, "TargetSnapshotName");
  if (ctx.input.TargetBucket !== undefined) {
    throw invalidParameter(
      "TargetBucket (export to S3) is not supported by the local cloud; copy within the local cloud instead.",
    );
  }
  if (source.status !== "available") {
    throw fault(
      "InvalidSnapshotStateFault",
      `Snapshot ${source.name} is not available (it is ${source.status}).`,
    );
  }
  if (cloud.state.snapshots[target])
    throw fault("SnapshotAlreadyExistsFault", `Snapshot ${target} already exists.`);
  const tags = ctx.input.Tags as Tag[] | undefined;
  checkTagLimit(tags ?? []);
  const dir = cloud.snapshotDir(target);
  mkdirSync(dir, { recursive: true });
  const files = source.files.map((f) => {
    const file = join(dir, `${f.nodeGroupId}.rdb`);
    copyFileSync(f.file, file);
    return { ...f, file };
  });
  const accountId = ctx.principal?.accountId ?? "000000000000";
  const copied: SnapshotRecord = {
    ...source,
    name: target,
    arn: elasticacheArn(ctx.region, accountId, "snapshot", target),
    source: "manual",
    createTime: ctx.now.toISOString(),
    files,
  };
  cloud.state.snapshots[target] = copied;
  keepSnapshotTags(cloud, copied, tags);
  cloud.save();
  return { Snapshot: renderSnapshot(copied) };
}

export function snapshotHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    CreateSnapshot: async (ctx) => create(cloud, ctx),
    DescribeSnapshots: async (ctx) => describe(cloud, ctx),
    DeleteSnapshot: async (ctx) => remove(cloud, ctx),
    CopySnapshot: async (ctx) => copy(cloud, ctx),
  };
}
