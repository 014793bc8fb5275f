// The planner: desired spec x observed AWS state x memory -> the one next action.
// Pure and synchronous; the operator and the standalone CLI both drive it, so they never disagree.
// AWS's rules: nothing is modified unless AWS says `available`; one mutating call per step,
// then observe again; compare only what the user set, so nothing drifts forever.
import { isClusterMode, topologyOf } from "../api/topology.ts";
import { changesFor } from "./changes.ts";
import { createParams, desiredTags } from "./desired.ts";
import { hashTags } from "./hash.ts";
import type { ObservedCache } from "./model.ts";
import {
  mayAdoptWithoutConsent,
  OWNER_TAG,
  type OwnerRef,
  ownerTagValue,
  RETAINED_TAG,
  UID_TAG,
} from "./ownership.ts";
import { inSync, type Memory, type PlanInput, type PlanResult } from "./plan-types.ts";
import { guardRepeats } from "./repeat-guard.ts";
import { tagChanges } from "./tags.ts";
import { waiting } from "./wait.ts";

const FAILED_STATES = ["create-failed", "failed", "incompatible-network", "restore-failed"];

export function plan(input: PlanInput): PlanResult {
  const { spec, observed, memory } = input;
  const tags = desiredTags(spec, input.defaultTags, input.owner);

  if (memory.topology !== undefined) {
    const refusal = topologyRefusal(input, memory.topology);
    if (refusal) return refusal;
  }

  if (observed === undefined) {
    const params = createParams(spec, tags, input.owner, memory.topology);
    const recreate = memory.topology !== undefined;
    return {
      action: { type: "create", params },
      reason: "Creating",
      message: recreate
        ? `${params.topology} ${spec.clusterID} no longer exists in AWS (deleted outside infra-operator): creating it again`
        : `creating ${params.topology} ${spec.clusterID}`,
      terminal: false,
      ready: false,
      memory: {
        ...memory,
        topology: params.topology,
        clusterMode: params.topology === "ReplicationGroup" ? params.clusterMode === true : undefined,
        appliedTagKeys: Object.keys(tags).sort(),
        appliedTagsHash: hashTags(tags),
        authTokenHash: spec.authTokenRef ? input.authTokenHash : undefined,
        pendingAuthTokenHash: undefined,
        authTokenRotatedAt: undefined,
      },
    };
  }

  // A resource with our ID exists but we never recorded creating it: adopt only what is ours.
  if (memory.topology === undefined) return planAdoption(input, observed);

  if (observed.status === "deleting") {
    return waiting(
      input,
      "Deleting",
      `AWS is deleting ${observed.id} (not requested by this object); it will be re-created once gone`,
    );
  }
  if (FAILED_STATES.includes(observed.status)) {
    return {
      action: { type: "none" },
      reason: "CreateFailed",
      message: `AWS reports ${observed.topology} ${observed.id} as ${observed.status}: check the subnet group, security groups and quotas; delete this object to remove it (deletionPolicy Delete), then apply again`,
      terminal: true,
      ready: false,
      memory,
    };
  }
  if (observed.status !== "available") {
    const reason = observed.status === "creating" ? "Creating" : "Modifying";
    return waiting(input, reason, `AWS reports ${observed.id} as ${observed.status}; waiting for available`);
  }

  const change = changesFor(input, observed);
  if (change) return guardRepeats(input, change);

  const tagStep = tagChanges(input, observed, tags);
  if (tagStep) return tagStep;

  return inSync(memory);
}

function topologyRefusal(
  input: PlanInput,
  created: "CacheCluster" | "ReplicationGroup",
): PlanResult | undefined {
  const wanted = topologyOf(input.spec);
  const wantedClusterMode = isClusterMode(input.spec);
  let message: string | undefined;
  if (wanted !== created) {
    message =
      created === "CacheCluster"
        ? `this cache was created as a single cache cluster; the spec now asks for replication, failover, encryption or auth, which need a replication group: create a new ElastiCacheCluster (with another clusterID) for that, or revert the change`
        : `this cache was created as a replication group; the spec no longer asks for one: revert the change, or create a new ElastiCacheCluster for a plain cache cluster`;
  } else if (
    created === "ReplicationGroup" &&
    input.memory.clusterMode !== undefined &&
    wantedClusterMode !== input.memory.clusterMode
  ) {
    message = input.memory.clusterMode
      ? "this replication group was created in cluster mode (numNodeGroups); cluster mode cannot be turned off: restore numNodeGroups, or create a new ElastiCacheCluster"
      : "this replication group was created without cluster mode; setting numNodeGroups needs a new cluster: remove numNodeGroups, or create a new ElastiCacheCluster";
  }
  if (message === undefined) return undefined;
  return {
    action: { type: "none" },
    reason: "TopologyChangeRequiresNewCluster",
    message,
    terminal: true,
    ready: false,
    memory: input.memory,
  };
}

function planAdoption(input: PlanInput, observed: ObservedCache): PlanResult {
  if (observed.tags === undefined) {
    return {
      action: { type: "readTags", arn: observed.arn },
      reason: "Adopting",
      message: `${observed.topology} ${observed.id} already exists in AWS: checking who owns it`,
      terminal: false,
      ready: false,
      memory: input.memory,
    };
  }
  const owned = mayAdoptWithoutConsent(observed.tags, input.owner);
  if (!owned && !input.adopt) {
    return {
      action: { type: "none" },
      reason: "NotOwned",
      message: `${observed.topology} ${observed.id} already exists in AWS and ${ownerDescription(observed.tags, input.owner)}; nothing was changed. Choose another clusterID, or annotate this object with infra-operator.runner.codes/adopt=true to take it over (${ownerTagValue(input.owner)})`,
      terminal: true,
      ready: false,
      memory: input.memory,
    };
  }
  // Adopted: from now on it is ours. The normal path then adds the ownership tags, and rotates
  // the token to the Secret's value (what AWS holds is unknown), so the connection Secret is right.
  const memory: Memory = {
    ...input.memory,
    topology: observed.topology,
    clusterMode: observed.topology === "ReplicationGroup" ? observed.clusterMode : undefined,
    // A Retain marker is a key we applied: the tag sync removes it now that an object owns it again.
    appliedTagKeys:
      RETAINED_TAG in observed.tags
        ? [...new Set([...(input.memory.appliedTagKeys ?? []), RETAINED_TAG])].sort()
        : (input.memory.appliedTagKeys ?? []),
    appliedTagsHash: undefined,
    authTokenHash: undefined,
  };
  return plan({ ...input, memory });
}

function ownerDescription(tags: Record<string, string>, owner: OwnerRef): string {
  const named = tags[OWNER_TAG];
  if (named === undefined) return "was not created by infra-operator";
  if (named !== ownerTagValue(owner)) return `belongs to ${named}`;
  // Same name, another uid, no Retain marker: deleted with Orphan (tags left while AWS was
  // unreachable), or Retained before the marker existed.
  return `belongs to an earlier object named ${named} (uid ${tags[UID_TAG]}), not this one; that object was deleted without handing it on (deletionPolicy Retain does)`;
}
