// Replica and shard scaling plus TestFailover on replication groups: IncreaseReplicaCount,
// DecreaseReplicaCount, ModifyReplicationGroupShardConfiguration, TestFailover.
import type { Handler, RequestContext } from "../context.ts";
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { CacheClusterRecord, NodeGroupRecord, ReplicationGroupRecord } from "../state/records.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { startNodes, stopNodes } from "./nodes.ts";
import { renderReplicationGroup } from "./render.ts";
import {
  attachReplicas,
  failover,
  getGroup,
  maxReplicas,
  maxShards,
  requireGroupAvailable,
  setMembersStatus,
} from "./replication-groups.ts";
import {
  engineNodeOf,
  memberId,
  newMemberCluster,
  nextMemberIndex,
  nodeGroupIdOf,
  shardLayout,
  slotRanges,
} from "./topology.ts";

/** Target replica count per node group, from NewReplicaCount or ReplicaConfiguration. */
function replicaTargets(
  rg: ReplicationGroupRecord,
  input: RequestContext["input"],
): Map<NodeGroupRecord, number> {
  const targets = new Map<NodeGroupRecord, number>();
  const config = input.ReplicaConfiguration as
    | { NodeGroupId?: string; NewReplicaCount?: number }[]
    | undefined;
  if (input.NewReplicaCount !== undefined && config !== undefined) {
    throw invalidCombination("Give either NewReplicaCount or ReplicaConfiguration, not both.");
  }
  if (input.NewReplicaCount !== undefined) {
    for (const g of rg.nodeGroups) targets.set(g, input.NewReplicaCount as number);
  } else if (config !== undefined) {
    for (const entry of config) {
      const g = rg.nodeGroups.find((x) => x.id === entry.NodeGroupId);
      if (g === undefined)
        throw fault(
          "NodeGroupNotFoundFault",
          `Node group ${String(entry.NodeGroupId)} not found in ${rg.id}.`,
        );
      targets.set(g, entry.NewReplicaCount ?? 0);
    }
  }
  return targets;
}

function beginModifying(cloud: Cloud, rg: ReplicationGroupRecord): void {
  rg.status = "modifying";
  cloud.save();
}

function finish(cloud: Cloud, rg: ReplicationGroupRecord, message: string) {
  return async () => {
    await cloud.pace();
    rg.status = "available";
    cloud.event("replication-group", rg.id, message);
  };
}

function restoreOnError(cloud: Cloud, rg: ReplicationGroupRecord, what: string) {
  return (message: string) => {
    rg.status = "available";
    cloud.event("replication-group", rg.id, `Failed to ${what}: ${message}`);
  };
}

function increase(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const rg = getGroup(cloud, ctx.input.ReplicationGroupId);
  requireGroupAvailable(rg);
  const targets = replicaTargets(rg, ctx.input);
  if (targets.size === 0) throw invalidParameter("Give NewReplicaCount or ReplicaConfiguration.");
  const now = ctx.now.toISOString();
  const added: { group: NodeGroupRecord; ids: string[] }[] = [];
  for (const [g, target] of targets) {
    const current = g.members.length - 1;
    if (target > maxReplicas) throw invalidParameter(`NewReplicaCount must be at most ${maxReplicas}.`);
    if (target <= current) {
      throw invalidParameter(
        `NewReplicaCount ${target} must be greater than the current replica count ${current} of node group ${g.id}.`,
      );
    }
    const first = nextMemberIndex(g);
    added.push({
      group: g,
      ids: Array.from({ length: target - current }, (_, i) => memberId(rg, g.id, first + i)),
    });
  }
  for (const { group, ids } of added) {
    for (const id of ids) {
      cloud.state.clusters[id] = newMemberCluster(rg, id, group.id, "replica", now);
      group.members.push(id);
    }
  }
  beginModifying(cloud, rg);
  cloud.background(
    `adding replicas to ${rg.id}`,
    async () => {
      for (const { group, ids } of added) {
        await Promise.all(
          ids.map((id) =>
            startNodes(cloud, cloud.state.clusters[id] as CacheClusterRecord, {
              clusterEnabled: rg.clusterMode,
            }),
          ),
        );
        await attachReplicas(cloud, rg, group, ids);
        for (const id of ids) (cloud.state.clusters[id] as CacheClusterRecord).status = "available";
      }
      await finish(cloud, rg, "Replica count increased")();
    },
    restoreOnError(cloud, rg, "increase the replica count"),
  );
  return { ReplicationGroup: renderReplicationGroup(rg, cloud.state) };
}

function decrease(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const rg = getGroup(cloud, ctx.input.ReplicationGroupId);
  requireGroupAvailable(rg);
  const removals = new Map<NodeGroupRecord, string[]>();
  const named = (ctx.input.ReplicasToRemove as string[] | undefined)?.map((r) => r.toLowerCase());
  if (named !== undefined) {
    for (const id of named) {
      const g = rg.nodeGroups.find((x) => x.members.includes(id));
      if (g === undefined) throw invalidParameter(`Cache cluster ${id} is not a member of ${rg.id}.`);
      if (g.primary === id)
        throw invalidParameter(
          `Cache cluster ${id} is the primary of node group ${g.id}; remove replicas only.`,
        );
      removals.set(g, [...(removals.get(g) ?? []), id]);
    }
  } else {
    const targets = replicaTargets(rg, ctx.input);
    if (targets.size === 0)
      throw invalidParameter("Give NewReplicaCount, ReplicaConfiguration or ReplicasToRemove.");
    for (const [g, target] of targets) {
      const replicas = g.members.filter((m) => m !== g.primary);
      if (target < 0 || target >= replicas.length) {
        throw invalidParameter(
          `NewReplicaCount ${target} must be less than the current replica count ${replicas.length} of node group ${g.id}.`,
        );
      }
      removals.set(g, replicas.slice(target));
    }
  }
  for (const [g, ids] of removals) {
    // AWS's minimum: 0 replicas in cluster mode (failover then has no target), 1 without cluster mode
    // when failover or Multi-AZ is on.
    const needsReplica = rg.multiAz || (rg.automaticFailover && !rg.clusterMode);
    if (needsReplica && g.members.length - ids.length < 2) {
      throw invalidParameter(
        rg.multiAz
          ? "A replication group with Multi-AZ needs at least 1 replica per node group; disable Multi-AZ first."
          : "A replication group with automatic failover needs at least 1 replica; disable automatic failover first.",
      );
    }
  }
  beginModifying(cloud, rg);
  cloud.background(
    `removing replicas from ${rg.id}`,
    async () => {
      for (const [g, ids] of removals) {
        for (const id of ids) {
          const c = cloud.state.clusters[id] as CacheClusterRecord;
          c.status = "deleting";
          if (rg.clusterMode) await cloud.engines.forgetClusterNode(engineNodeOf(cloud.state.clusters, id));
          await stopNodes(cloud, c.nodes, true);
          delete cloud.state.clusters[id];
          delete cloud.state.tags[c.arn];
          g.members = g.members.filter((m) => m !== id);
        }
      }
      await finish(cloud, rg, "Replica count decreased")();
    },
    restoreOnError(cloud, rg, "decrease the replica count"),
  );
  return { ReplicationGroup: renderReplicationGroup(rg, cloud.state) };
}

function reshard(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const rg = getGroup(cloud, input.ReplicationGroupId);
  if (!rg.clusterMode) {
    throw invalidParameter(
      `Replication group ${rg.id} has cluster mode disabled; shards can only be changed in cluster mode.`,
    );
  }
  requireGroupAvailable(rg);
  if (input.ApplyImmediately !== true)
    throw invalidParameter("ApplyImmediately must be true for online resharding.");
  const count = input.NodeGroupCount as number;
  if (count < 1 || count > maxShards) {
    throw fault(
      "NodeGroupsPerReplicationGroupQuotaExceededFault",
      `NodeGroupCount must be between 1 and ${maxShards}.`,
    );
  }
  const current = rg.nodeGroups.length;
  if (count === current) throw invalidParameter(`The replication group already has ${count} node group(s).`);
  const now = ctx.now.toISOString();
  let keep: NodeGroupRecord[];
  let removed: NodeGroupRecord[] = [];
  if (count > current) {
    const replicas = (rg.nodeGroups[0]?.members.length ?? 1) - 1;
    const highest = Math.max(...rg.nodeGroups.map((g) => Number(g.id)));
    for (let i = 1; i <= count - current; i++) {
      const id = nodeGroupIdOf(highest + i);
      const members = Array.from({ length: replicas + 1 }, (_, k) => memberId(rg, id, k + 1));
      for (const m of members)
        cloud.state.clusters[m] = newMemberCluster(rg, m, id, m === members[0] ? "primary" : "replica", now);
      rg.nodeGroups.push({ id, members, primary: members[0] as string });
    }
    keep = rg.nodeGroups;
  } else {
    const toRemove = (input.NodeGroupsToRemove as string[] | undefined) ?? [];
    const toRetain = (input.NodeGroupsToRetain as string[] | undefined) ?? [];
    if (toRemove.length === 0 && toRetain.length === 0) {
      throw invalidParameter(
        "Reducing the node group count requires NodeGroupsToRemove or NodeGroupsToRetain.",
      );
    }
    for (const id of [...toRemove, ...toRetain]) {
      if (!rg.nodeGroups.some((g) => g.id === id))
        throw fault("NodeGroupNotFoundFault", `Node group ${id} not found in ${rg.id}.`);
    }
    keep =
      toRetain.length > 0
        ? rg.nodeGroups.filter((g) => toRetain.includes(g.id))
        : rg.nodeGroups.filter((g) => !toRemove.includes(g.id));
    if (keep.length !== count) {
      throw invalidParameter(
        `NodeGroupCount ${count} does not match the ${keep.length} node group(s) that would remain.`,
      );
    }
    removed = rg.nodeGroups.filter((g) => !keep.includes(g));
  }
  const added = rg.nodeGroups.filter((g) => g.slots === undefined);
  beginModifying(cloud, rg);
  cloud.background(
    `resharding ${rg.id} to ${count} node groups`,
    async () => {
      await Promise.all(
        added.flatMap((g) =>
          g.members.map((m) =>
            startNodes(cloud, cloud.state.clusters[m] as CacheClusterRecord, { clusterEnabled: true }),
          ),
        ),
      );
      await cloud.engines.reshard(shardLayout(cloud.state.clusters, keep));
      for (const g of removed) {
        for (const m of g.members) {
          const c = cloud.state.clusters[m] as CacheClusterRecord;
          await cloud.engines.forgetClusterNode(engineNodeOf(cloud.state.clusters, m));
          await stopNodes(cloud, c.nodes, true);
          delete cloud.state.clusters[m];
          delete cloud.state.tags[c.arn];
        }
      }
      rg.nodeGroups = keep;
      const ranges = slotRanges(keep.length);
      keep.forEach((g, i) => {
        g.slots = ranges[i] as string;
      });
      setMembersStatus(cloud, rg, "available");
      await finish(cloud, rg, `Resharded to ${count} node group(s)`)();
    },
    restoreOnError(cloud, rg, "change the shard configuration"),
  );
  return { ReplicationGroup: renderReplicationGroup(rg, cloud.state) };
}

function testFailover(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const rg = getGroup(cloud, ctx.input.ReplicationGroupId);
  requireGroupAvailable(rg);
  const group = rg.nodeGroups.find((g) => g.id === String(ctx.input.NodeGroupId));
  if (group === undefined)
    throw fault(
      "NodeGroupNotFoundFault",
      `Node group ${String(ctx.input.NodeGroupId)} not found in ${rg.id}.`,
    );
  if (!rg.automaticFailover) {
    throw fault(
      "TestFailoverNotAvailableFault",
      `TestFailover needs automatic failover enabled on ${rg.id}.`,
    );
  }
  const target = group.members.find((m) => m !== group.primary);
  if (target === undefined)
    throw fault("TestFailoverNotAvailableFault", `Node group ${group.id} has no replica to fail over to.`);
  beginModifying(cloud, rg);
  cloud.event("replication-group", rg.id, `Test Failover API called for node group ${group.id}`);
  cloud.background(
    `test failover of ${rg.id}/${group.id}`,
    async () => {
      await failover(cloud, rg, group, target);
      await finish(cloud, rg, `Test failover of node group ${group.id} completed`)();
    },
    restoreOnError(cloud, rg, "fail over"),
  );
  return { ReplicationGroup: renderReplicationGroup(rg, cloud.state) };
}

export function scalingHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    IncreaseReplicaCount: async (ctx) => increase(cloud, ctx),
    DecreaseReplicaCount: async (ctx) => decrease(cloud, ctx),
    ModifyReplicationGroupShardConfiguration: async (ctx) => reshard(cloud, ctx),
    TestFailover: async (ctx) => testFailover(cloud, ctx),
  };
}
