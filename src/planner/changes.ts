// Changes to an available cache, in a fixed order, one AWS call at a time: auth token rotation,
// engine upgrade, node type, other settings (one modify call), memcached nodes, replicas, shards.
// Only fields the user set are compared; creation-only settings that differ are refused.
import type { ElastiCacheClusterSpec } from "../api/elasticache-cluster.ts";
import { effectiveNodeType } from "./desired.ts";
import type { ModifyParams, ObservedCache } from "./model.ts";
import type { PlanInput, PlanResult } from "./plan-types.ts";
import { compareVersions, versionSatisfies } from "./versions.ts";

/** Every check, in the order the planner applies them (describeChanges lists all of their findings). */
export const CHANGE_CHECKS: ReadonlyArray<
  (input: PlanInput, observed: ObservedCache) => PlanResult | undefined
> = [
  creationOnlyRefusal,
  tokenRotation,
  engineUpgrade,
  nodeTypeChange,
  settingsChange,
  memcachedNodes,
  replicaCount,
  shardCount,
];

/** The next change step: the first check that finds a difference. */
export function changesFor(input: PlanInput, observed: ObservedCache): PlanResult | undefined {
  for (const check of CHANGE_CHECKS) {
    const result = check(input, observed);
    if (result) return result;
  }
  return undefined;
}

const step = (
  input: PlanInput,
  action: PlanResult["action"],
  message: string,
  memory = input.memory,
): PlanResult => ({
  action,
  reason: "Modifying",
  message,
  terminal: false,
  ready: false,
  memory,
});

const refuse = (input: PlanInput, reason: string, message: string): PlanResult => ({
  action: { type: "none" },
  reason,
  message,
  terminal: true,
  ready: false,
  memory: input.memory,
});

const modify = (observed: ObservedCache, fields: Omit<ModifyParams, "topology" | "id">): ModifyParams => ({
  topology: observed.topology,
  id: observed.id,
  ...fields,
});

function creationOnlyRefusal(input: PlanInput, observed: ObservedCache): PlanResult | undefined {
  const { spec } = input;
  const differs: string[] = [];
  if (
    spec.transitEncryptionEnabled !== undefined &&
    spec.transitEncryptionEnabled !== observed.transitEncryption
  ) {
    differs.push(`transitEncryptionEnabled (AWS: ${observed.transitEncryption})`);
  }
  if (
    spec.atRestEncryptionEnabled !== undefined &&
    spec.atRestEncryptionEnabled !== observed.atRestEncryption
  ) {
    differs.push(`atRestEncryptionEnabled (AWS: ${observed.atRestEncryption})`);
  }
  if (
    spec.subnetGroupName !== undefined &&
    observed.subnetGroupName !== undefined &&
    spec.subnetGroupName !== observed.subnetGroupName
  ) {
    differs.push(`subnetGroupName (AWS: ${observed.subnetGroupName})`);
  }
  if (spec.kmsKeyId !== undefined && observed.kmsKeyId !== undefined && spec.kmsKeyId !== observed.kmsKeyId) {
    differs.push("kmsKeyId");
  }
  if (differs.length === 0) return undefined;
  return refuse(
    input,
    "ImmutableFieldChanged",
    `${differs.join(", ")} can only be set when the cache is created: revert the change, or create a new ElastiCacheCluster with another clusterID`,
  );
}

function tokenRotation(input: PlanInput, observed: ObservedCache): PlanResult | undefined {
  const wanted = input.authTokenHash;
  if (
    input.spec.authTokenRef === undefined ||
    wanted === undefined ||
    observed.topology !== "ReplicationGroup"
  ) {
    return undefined;
  }
  const { memory } = input;
  if (memory.authTokenHash === wanted && observed.authTokenEnabled) return undefined;
  if (memory.pendingAuthTokenHash === wanted && memory.authTokenRotatedAt !== undefined) {
    const due = new Date(memory.authTokenRotatedAt).getTime() + input.rotationGraceSeconds * 1000;
    if (input.now.getTime() < due) {
      const seconds = Math.max(1, Math.ceil((due - input.now.getTime()) / 1000));
      return {
        action: { type: "wait", seconds, reason: "TokenRotating" },
        reason: "TokenRotating",
        message: `new auth token active next to the old one; the old one is removed in ${seconds}s (clients should switch to the new token from the connection Secret)`,
        terminal: false,
        ready: false,
        memory,
      };
    }
    return step(
      input,
      { type: "modify", params: modify(observed, { authTokenUpdateStrategy: "SET" }), fields: ["authToken"] },
      "auth token rotation: removing the old token (SET)",
      { ...memory, authTokenHash: wanted, pendingAuthTokenHash: undefined, authTokenRotatedAt: undefined },
    );
  }
  return step(
    input,
    {
      type: "modify",
      params: modify(observed, { authTokenUpdateStrategy: "ROTATE" }),
      fields: ["authToken"],
    },
    "auth token rotation: adding the new token next to the old one (ROTATE)",
    { ...memory, pendingAuthTokenHash: wanted, authTokenRotatedAt: input.now.toISOString() },
  );
}

function engineUpgrade(input: PlanInput, observed: ObservedCache): PlanResult | undefined {
  const wanted = input.spec.engineVersion;
  if (versionSatisfies(wanted, observed.engineVersion)) return undefined;
  if (compareVersions(wanted, observed.engineVersion) < 0) {
    return refuse(
      input,
      "EngineDowngradeNotSupported",
      `engineVersion ${wanted} is older than the running ${observed.engineVersion}; AWS cannot downgrade: set engineVersion back to ${observed.engineVersion} (or a newer one)`,
    );
  }
  return step(
    input,
    { type: "modify", params: modify(observed, { engineVersion: wanted }), fields: ["engineVersion"] },
    `upgrading the engine from ${observed.engineVersion} to ${wanted}`,
  );
}

function nodeTypeChange(input: PlanInput, observed: ObservedCache): PlanResult | undefined {
  const wanted = effectiveNodeType(input.spec);
  if (wanted === "" || wanted === observed.nodeType) return undefined;
  return step(
    input,
    { type: "modify", params: modify(observed, { cacheNodeType: wanted }), fields: ["cacheNodeType"] },
    `changing the node type from ${observed.nodeType} to ${wanted}`,
  );
}

/** Settings AWS changes in place, grouped into one modify call. */
function settingsChange(input: PlanInput, observed: ObservedCache): PlanResult | undefined {
  const { spec } = input;
  const fields: Omit<ModifyParams, "topology" | "id"> = {};
  const names: string[] = [];
  const set = <K extends keyof ModifyParams>(name: string, key: K, value: ModifyParams[K]) => {
    (fields as Record<string, unknown>)[key] = value;
    names.push(name);
  };
  const group = observed.topology === "ReplicationGroup";
  if (group) {
    if (
      spec.replicationGroupDescription !== undefined &&
      spec.replicationGroupDescription !== observed.description
    ) {
      set("replicationGroupDescription", "replicationGroupDescription", spec.replicationGroupDescription);
    }
    const failover = observed.automaticFailover === "enabled" || observed.automaticFailover === "enabling";
    if (spec.automaticFailoverEnabled !== undefined && spec.automaticFailoverEnabled !== failover) {
      set("automaticFailoverEnabled", "automaticFailoverEnabled", spec.automaticFailoverEnabled);
    }
    if (spec.multiAZEnabled !== undefined && spec.multiAZEnabled !== (observed.multiAZ ?? false)) {
      set("multiAZEnabled", "multiAZEnabled", spec.multiAZEnabled);
    }
    const userGroups = userGroupChange(spec, observed);
    if (userGroups !== undefined) {
      Object.assign(fields, userGroups);
      names.push("userGroupIDs");
    }
  }
  if (spec.securityGroupIds !== undefined && !sameSet(spec.securityGroupIds, observed.securityGroupIds)) {
    set("securityGroupIds", "securityGroupIds", spec.securityGroupIds);
  }
  if (spec.parameterGroupName !== undefined && spec.parameterGroupName !== observed.parameterGroupName) {
    set("parameterGroupName", "cacheParameterGroupName", spec.parameterGroupName);
  }
  if (spec.engine !== "memcached") {
    if (
      spec.snapshotRetentionLimit !== undefined &&
      spec.snapshotRetentionLimit !== observed.snapshotRetentionLimit
    ) {
      set("snapshotRetentionLimit", "snapshotRetentionLimit", spec.snapshotRetentionLimit);
    }
    if (spec.snapshotWindow !== undefined && spec.snapshotWindow !== observed.snapshotWindow) {
      set("snapshotWindow", "snapshotWindow", spec.snapshotWindow);
    }
  }
  if (
    spec.preferredMaintenanceWindow !== undefined &&
    spec.preferredMaintenanceWindow !== observed.maintenanceWindow?.toLowerCase()
  ) {
    set("preferredMaintenanceWindow", "preferredMaintenanceWindow", spec.preferredMaintenanceWindow);
  }
  if (
    spec.enableAutoMinorVersionUpgrade !== undefined &&
    observed.autoMinorVersionUpgrade !== undefined &&
    spec.enableAutoMinorVersionUpgrade !== observed.autoMinorVersionUpgrade
  ) {
    set("enableAutoMinorVersionUpgrade", "autoMinorVersionUpgrade", spec.enableAutoMinorVersionUpgrade);
  }
  if (names.length === 0) return undefined;
  return step(
    input,
    { type: "modify", params: modify(observed, fields), fields: names },
    `applying ${names.join(", ")}`,
  );
}

/** The user groups to attach and detach (one ModifyReplicationGroup); only when the spec names them. */
function userGroupChange(
  spec: ElastiCacheClusterSpec,
  observed: ObservedCache,
): Pick<ModifyParams, "userGroupIdsToAdd" | "userGroupIdsToRemove"> | undefined {
  if (spec.userGroupIDs === undefined) return undefined;
  const wanted = spec.userGroupIDs.map((id) => id.toLowerCase());
  const current = observed.userGroupIds ?? [];
  const add = wanted.filter((id) => !current.includes(id));
  const remove = current.filter((id) => !wanted.includes(id));
  if (add.length === 0 && remove.length === 0) return undefined;
  return {
    ...(add.length > 0 ? { userGroupIdsToAdd: add } : {}),
    ...(remove.length > 0 ? { userGroupIdsToRemove: remove } : {}),
  };
}

function memcachedNodes(input: PlanInput, observed: ObservedCache): PlanResult | undefined {
  const wanted = input.spec.numCacheNodes;
  if (observed.topology !== "CacheCluster" || wanted === undefined || observed.numCacheNodes === undefined) {
    return undefined;
  }
  if (wanted === observed.numCacheNodes) return undefined;
  if (input.spec.engine !== "memcached") {
    return undefined; // Redis cache clusters have one node; the CRD refuses more.
  }
  const fields: Omit<ModifyParams, "topology" | "id"> = { numCacheNodes: wanted };
  if (wanted < observed.numCacheNodes) {
    // AWS needs the node IDs to remove on scale-in: the newest ones go first.
    const ids = observed.nodeEndpoints.map((n) => n.nodeID).sort();
    fields.cacheNodeIdsToRemove = ids.slice(wanted);
  }
  return step(
    input,
    { type: "modify", params: modify(observed, fields), fields: ["numCacheNodes"] },
    `scaling memcached from ${observed.numCacheNodes} to ${wanted} nodes`,
  );
}

// While Application Auto Scaling owns a dimension (spec.autoScaling), the spec's count was only the
// initial one: what auto scaling set is never reverted (the Deployment-versus-HPA problem).
function replicaCount(input: PlanInput, observed: ObservedCache): PlanResult | undefined {
  if (input.spec.autoScaling?.replicas !== undefined) return undefined;
  const wanted = input.spec.replicasPerNodeGroup;
  if (observed.topology !== "ReplicationGroup" || wanted === undefined || observed.shards.length === 0) {
    return undefined;
  }
  const counts = observed.shards.map((s) => Math.max(0, s.nodes.length - 1));
  if (counts.every((c) => c === wanted)) return undefined;
  const increase = counts.some((c) => c < wanted);
  return step(
    input,
    {
      type: increase ? "increaseReplicaCount" : "decreaseReplicaCount",
      id: observed.id,
      newReplicaCount: wanted,
    },
    `${increase ? "adding" : "removing"} replicas: ${Math.max(...counts)} -> ${wanted} per shard`,
  );
}

function shardCount(input: PlanInput, observed: ObservedCache): PlanResult | undefined {
  if (input.spec.autoScaling?.shards !== undefined) return undefined;
  const wanted = input.spec.numNodeGroups;
  if (observed.topology !== "ReplicationGroup" || !observed.clusterMode || wanted === undefined)
    return undefined;
  const current = observed.shards.length;
  if (current === wanted) return undefined;
  const ids = observed.shards.map((s) => s.id).sort();
  return step(
    input,
    {
      type: "reshard",
      id: observed.id,
      nodeGroupCount: wanted,
      nodeGroupsToRemove: wanted < current ? ids.slice(wanted) : undefined,
    },
    `resharding from ${current} to ${wanted} shards`,
  );
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

export type { ElastiCacheClusterSpec };
