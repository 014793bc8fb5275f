// Service updates (a catalog kept as data in service-updates.json) and their update actions: every
// replication group and every cache cluster outside one has an action per update of its engine,
// not-applied until BatchApplyUpdateAction, which rolls over the nodes one at a time (a cache
// cluster's nodes are really restarted; see docs/local-cloud.md) through waiting-to-start,
// in-progress and complete. BatchStopUpdateAction stops it between nodes (stopping, then stopped).
import type { Handler, RequestContext } from "../context.ts";
import { invalidParameter } from "../protocol/errors.ts";
import type { CacheClusterRecord, UpdateActionRecord } from "../state/records.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { startNode } from "./nodes.ts";
import { paginate } from "./pagination.ts";
import catalog from "./service-updates.json" with { type: "json" };

type ServiceUpdate = (typeof catalog.serviceUpdates)[number];

/** AWS's limit of resources per Batch*UpdateAction call, for each of the two id lists. */
const maxIdsPerCall = 20;

interface Target {
  kind: "replicationgroup" | "cluster";
  id: string;
  engine: string;
  createTime: string;
  /** The member clusters (a cache cluster: itself) with their node groups. */
  clusters: { cluster: CacheClusterRecord; nodeGroupId?: string }[];
}

function enginesOf(u: ServiceUpdate): string[] {
  return u.Engine.split(",").map((e) => e.trim());
}

function statusOf(u: ServiceUpdate, now: Date): "available" | "expired" {
  return Date.parse(u.ServiceUpdateEndDate) < now.getTime() ? "expired" : "available";
}

function findUpdate(name: unknown): ServiceUpdate {
  const u = catalog.serviceUpdates.find((x) => x.ServiceUpdateName === name);
  if (u === undefined) throw fault("ServiceUpdateNotFoundFault", `Service update ${String(name)} not found.`);
  return u;
}

function groupTarget(cloud: Cloud, id: string): Target | undefined {
  const rg = cloud.state.replicationGroups[id];
  if (rg === undefined) return undefined;
  return {
    kind: "replicationgroup",
    id: rg.id,
    engine: rg.engine,
    createTime: rg.createTime,
    clusters: rg.nodeGroups.flatMap((g) =>
      g.members.flatMap((m) => {
        const c = cloud.state.clusters[m];
        return c ? [{ cluster: c, nodeGroupId: g.id }] : [];
      }),
    ),
  };
}

function clusterTarget(cloud: Cloud, id: string): Target | undefined {
  const c = cloud.state.clusters[id];
  if (c === undefined || c.replicationGroupId) return undefined;
  return {
    kind: "cluster",
    id: c.id,
    engine: c.engine,
    createTime: c.createTime,
    clusters: [{ cluster: c }],
  };
}

function allTargets(cloud: Cloud): Target[] {
  return [
    ...Object.keys(cloud.state.replicationGroups)
      .sort()
      .flatMap((id) => groupTarget(cloud, id) ?? []),
    ...Object.keys(cloud.state.clusters)
      .sort()
      .flatMap((id) => clusterTarget(cloud, id) ?? []),
  ];
}

const keyOf = (u: ServiceUpdate, t: Target) => `${u.ServiceUpdateName}|${t.kind}:${t.id}`;
const nodeKeys = (t: Target) =>
  t.clusters.flatMap(({ cluster }) => cluster.nodes.map((n) => `${cluster.id}/${n.cacheNodeId}`));

/** The action as stored, or the not-applied action every applicable resource starts with. */
function actionOf(cloud: Cloud, u: ServiceUpdate, t: Target): UpdateActionRecord {
  return (
    cloud.state.updateActions[keyOf(u, t)] ?? {
      serviceUpdateName: u.ServiceUpdateName,
      ...(t.kind === "replicationgroup" ? { replicationGroupId: t.id } : { cacheClusterId: t.id }),
      status: "not-applied",
      statusModifiedDate: availableDate(u, t),
      nodes: {},
    }
  );
}

function availableDate(u: ServiceUpdate, t: Target): string {
  return Date.parse(t.createTime) > Date.parse(u.ServiceUpdateReleaseDate)
    ? t.createTime
    : u.ServiceUpdateReleaseDate;
}

function nodeStatus(a: UpdateActionRecord, key: string) {
  return a.nodes[key] ?? { status: "not-applied", modifiedDate: a.statusModifiedDate };
}

function nodeFields(s: ReturnType<typeof nodeStatus>): Record<string, unknown> {
  return {
    NodeUpdateStatus: s.status,
    ...(s.initiatedDate
      ? { NodeUpdateInitiatedBy: "customer", NodeUpdateInitiatedDate: s.initiatedDate }
      : {}),
    ...(s.startDate ? { NodeUpdateStartDate: s.startDate } : {}),
    ...(s.endDate ? { NodeUpdateEndDate: s.endDate } : {}),
    NodeUpdateStatusModifiedDate: s.modifiedDate,
  };
}

function renderAction(
  cloud: Cloud,
  u: ServiceUpdate,
  t: Target,
  showNodes: boolean,
  now: Date,
): Record<string, unknown> {
  const a = actionOf(cloud, u, t);
  const keys = nodeKeys(t);
  const done = keys.filter((k) => nodeStatus(a, k).status === "complete").length;
  const slaMet =
    a.status !== "complete"
      ? "n/a"
      : a.statusModifiedDate <= u.ServiceUpdateRecommendedApplyByDate
        ? "yes"
        : "no";
  const nodeLevel = !showNodes
    ? {}
    : t.kind === "replicationgroup"
      ? {
          NodeGroupUpdateStatus: [...new Set(t.clusters.map((c) => c.nodeGroupId))].map((groupId) => ({
            NodeGroupId: groupId,
            NodeGroupMemberUpdateStatus: t.clusters
              .filter((c) => c.nodeGroupId === groupId)
              .flatMap(({ cluster }) =>
                cluster.nodes.map((n) => ({
                  CacheClusterId: cluster.id,
                  CacheNodeId: n.cacheNodeId,
                  ...nodeFields(nodeStatus(a, `${cluster.id}/${n.cacheNodeId}`)),
                })),
              ),
          })),
        }
      : {
          CacheNodeUpdateStatus: (t.clusters[0]?.cluster.nodes ?? []).map((n) => ({
            CacheNodeId: n.cacheNodeId,
            ...nodeFields(nodeStatus(a, `${t.id}/${n.cacheNodeId}`)),
          })),
        };
  return {
    ...(t.kind === "replicationgroup" ? { ReplicationGroupId: t.id } : { CacheClusterId: t.id }),
    ServiceUpdateName: u.ServiceUpdateName,
    ServiceUpdateReleaseDate: u.ServiceUpdateReleaseDate,
    ServiceUpdateSeverity: u.ServiceUpdateSeverity,
    ServiceUpdateStatus: statusOf(u, now),
    ServiceUpdateRecommendedApplyByDate: u.ServiceUpdateRecommendedApplyByDate,
    ServiceUpdateType: u.ServiceUpdateType,
    UpdateActionAvailableDate: availableDate(u, t),
    UpdateActionStatus: a.status,
    NodesUpdated: `${done}/${keys.length}`,
    UpdateActionStatusModifiedDate: a.statusModifiedDate,
    SlaMet: slaMet,
    ...nodeLevel,
    EstimatedUpdateTime: u.EstimatedUpdateTime,
    Engine: t.engine,
  };
}

function describeServiceUpdates(ctx: RequestContext): Record<string, unknown> {
  const statuses = ctx.input.ServiceUpdateStatus as string[] | undefined;
  const found = catalog.serviceUpdates
    .filter(
      (u) => ctx.input.ServiceUpdateName === undefined || u.ServiceUpdateName === ctx.input.ServiceUpdateName,
    )
    .filter((u) => !statuses?.length || statuses.includes(statusOf(u, ctx.now)));
  const page = paginate(found, ctx.input);
  return {
    ServiceUpdates: page.items.map((u) => ({ ...u, ServiceUpdateStatus: statusOf(u, ctx.now) })),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

function describeUpdateActions(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const i = ctx.input;
  const groups = i.ReplicationGroupIds as string[] | undefined;
  const clusters = i.CacheClusterIds as string[] | undefined;
  const serviceStatuses = i.ServiceUpdateStatus as string[] | undefined;
  const actionStatuses = i.UpdateActionStatus as string[] | undefined;
  const range = i.ServiceUpdateTimeRange as { StartTime?: Date; EndTime?: Date } | undefined;
  const inRange = (u: ServiceUpdate) => {
    const t = Date.parse(u.ServiceUpdateReleaseDate);
    return (
      (!range?.StartTime || t >= range.StartTime.getTime()) &&
      (!range?.EndTime || t <= range.EndTime.getTime())
    );
  };
  const wantedTarget = (t: Target) =>
    (groups === undefined && clusters === undefined) ||
    (t.kind === "replicationgroup"
      ? groups?.map((g) => g.toLowerCase()).includes(t.id)
      : clusters?.map((c) => c.toLowerCase()).includes(t.id)) === true;
  const actions = catalog.serviceUpdates
    .filter((u) => i.ServiceUpdateName === undefined || u.ServiceUpdateName === i.ServiceUpdateName)
    .filter((u) => !serviceStatuses?.length || serviceStatuses.includes(statusOf(u, ctx.now)))
    .filter(inRange)
    .flatMap((u) =>
      allTargets(cloud)
        .filter((t) => enginesOf(u).includes(t.engine) && wantedTarget(t))
        .filter((t) => i.Engine === undefined || t.engine === i.Engine)
        .filter((t) => !actionStatuses?.length || actionStatuses.includes(actionOf(cloud, u, t).status))
        .map((t) => ({ u, t })),
    );
  const page = paginate(actions, i);
  return {
    UpdateActions: page.items.map(({ u, t }) =>
      renderAction(cloud, u, t, i.ShowNodeLevelUpdateStatus === true, ctx.now),
    ),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

interface BatchTargets {
  found: Target[];
  unprocessed: Record<string, unknown>[];
}

/** Resolves the ids of a Batch*UpdateAction call; ids that cannot take the update go to Unprocessed. */
function batchTargets(cloud: Cloud, ctx: RequestContext, u: ServiceUpdate): BatchTargets {
  const groups = (ctx.input.ReplicationGroupIds as string[] | undefined) ?? [];
  const clusters = (ctx.input.CacheClusterIds as string[] | undefined) ?? [];
  if (groups.length + clusters.length === 0)
    throw invalidParameter("Give ReplicationGroupIds or CacheClusterIds (up to 20 of each).");
  if (groups.length > maxIdsPerCall || clusters.length > maxIdsPerCall)
    throw invalidParameter(
      `At most ${maxIdsPerCall} ReplicationGroupIds and ${maxIdsPerCall} CacheClusterIds per call.`,
    );
  const out: BatchTargets = { found: [], unprocessed: [] };
  const refuse = (idField: string, id: string, errorType: string, message: string) =>
    out.unprocessed.push({
      [idField]: id,
      ServiceUpdateName: u.ServiceUpdateName,
      ErrorType: errorType,
      ErrorMessage: message,
    });
  for (const [idField, ids, resolve, missing] of [
    ["ReplicationGroupId", groups, groupTarget, "ReplicationGroupNotFoundFault"],
    ["CacheClusterId", clusters, clusterTarget, "CacheClusterNotFoundFault"],
  ] as const) {
    for (const raw of ids) {
      const id = raw.toLowerCase();
      const t = resolve(cloud, id);
      const member = idField === "CacheClusterId" ? cloud.state.clusters[id]?.replicationGroupId : undefined;
      if (member)
        refuse(
          idField,
          raw,
          "InvalidParameterValue",
          `Cache cluster ${id} belongs to replication group ${member}; apply the update to the group.`,
        );
      else if (t === undefined)
        refuse(
          idField,
          raw,
          missing,
          `${idField === "CacheClusterId" ? "Cache cluster" : "Replication group"} ${raw} not found.`,
        );
      else if (!enginesOf(u).includes(t.engine))
        refuse(
          idField,
          raw,
          "InvalidParameterValue",
          `Service update ${u.ServiceUpdateName} does not apply to the ${t.engine} engine.`,
        );
      else if (statusOf(u, ctx.now) === "expired")
        refuse(idField, raw, "InvalidParameterValue", `Service update ${u.ServiceUpdateName} has expired.`);
      else out.found.push(t);
    }
  }
  return out;
}

function processed(t: Target, u: ServiceUpdate, status: string): Record<string, unknown> {
  return {
    ...(t.kind === "replicationgroup" ? { ReplicationGroupId: t.id } : { CacheClusterId: t.id }),
    ServiceUpdateName: u.ServiceUpdateName,
    UpdateActionStatus: status,
  };
}

/** Rolls the update over the target's nodes, one at a time, until done or stopped. */
async function rollOut(cloud: Cloud, t: Target, a: UpdateActionRecord): Promise<void> {
  const stamp = (s: { status: string; modifiedDate: string }, status: string) => {
    s.status = status;
    s.modifiedDate = new Date().toISOString();
  };
  if (a.status !== "stopping") {
    a.status = "in-progress";
    a.statusModifiedDate = new Date().toISOString();
  }
  for (const { cluster } of t.clusters) {
    for (const node of cluster.nodes) {
      const s = a.nodes[`${cluster.id}/${node.cacheNodeId}`];
      if (s === undefined || s.status === "complete") continue;
      if (a.status === "stopping") {
        stamp(s, "stopped");
        continue;
      }
      stamp(s, "in-progress");
      s.startDate = s.modifiedDate;
      // A cache cluster's node restarts, as the update would on AWS; group members are marked
      // updated without a restart (restarting a primary would need a failover).
      if (t.kind === "cluster" && cluster.status === "available" && node.port !== undefined) {
        node.status = "rebooting";
        await cloud.engines.stopNode(node.engineNodeId, false);
        await startNode(cloud, cluster, node);
      }
      await cloud.pace();
      stamp(s, "complete");
      s.endDate = s.modifiedDate;
      cloud.save();
    }
  }
  a.status = a.status === "stopping" ? "stopped" : "complete";
  a.statusModifiedDate = new Date().toISOString();
  cloud.event(
    t.kind === "cluster" ? "cache-cluster" : "replication-group",
    t.id,
    `Service update ${a.serviceUpdateName} ${a.status === "complete" ? "applied" : "stopped"}`,
  );
}

function batchApply(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const u = findUpdate(ctx.input.ServiceUpdateName);
  const { found, unprocessed } = batchTargets(cloud, ctx, u);
  const done: Record<string, unknown>[] = [];
  for (const t of found) {
    const a = actionOf(cloud, u, t);
    if (["waiting-to-start", "in-progress", "stopping", "complete"].includes(a.status)) {
      done.push(processed(t, u, a.status));
      continue;
    }
    const now = ctx.now.toISOString();
    a.status = "waiting-to-start";
    a.statusModifiedDate = now;
    for (const k of nodeKeys(t)) {
      if (a.nodes[k]?.status !== "complete")
        a.nodes[k] = { status: "waiting-to-start", modifiedDate: now, initiatedDate: now };
    }
    cloud.state.updateActions[keyOf(u, t)] = a;
    done.push(processed(t, u, a.status));
    cloud.background(
      `applying service update ${u.ServiceUpdateName} to ${t.id}`,
      () => rollOut(cloud, t, a),
      () => {
        a.status = "stopped";
        a.statusModifiedDate = new Date().toISOString();
      },
    );
  }
  cloud.save();
  return { ProcessedUpdateActions: done, UnprocessedUpdateActions: unprocessed };
}

function batchStop(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const u = findUpdate(ctx.input.ServiceUpdateName);
  const { found, unprocessed } = batchTargets(cloud, ctx, u);
  const done: Record<string, unknown>[] = [];
  for (const t of found) {
    const a = actionOf(cloud, u, t);
    if (a.status === "complete") {
      unprocessed.push({
        ...(t.kind === "replicationgroup" ? { ReplicationGroupId: t.id } : { CacheClusterId: t.id }),
        ServiceUpdateName: u.ServiceUpdateName,
        ErrorType: "InvalidParameterValue",
        ErrorMessage: `Service update ${u.ServiceUpdateName} is already complete on ${t.id}.`,
      });
      continue;
    }
    const now = ctx.now.toISOString();
    // A running roll-out finishes the node it is on, then stops; one not started stops at once.
    a.status = a.status === "waiting-to-start" || a.status === "in-progress" ? "stopping" : "stopped";
    a.statusModifiedDate = now;
    cloud.state.updateActions[keyOf(u, t)] = a;
    done.push(processed(t, u, a.status));
  }
  cloud.save();
  return { ProcessedUpdateActions: done, UnprocessedUpdateActions: unprocessed };
}

export function serviceUpdateHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    DescribeServiceUpdates: async (ctx) => describeServiceUpdates(ctx),
    DescribeUpdateActions: async (ctx) => describeUpdateActions(cloud, ctx),
    BatchApplyUpdateAction: async (ctx) => batchApply(cloud, ctx),
    BatchStopUpdateAction: async (ctx) => batchStop(cloud, ctx),
  };
}
