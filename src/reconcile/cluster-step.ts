// One reconcile step of an ElastiCacheCluster, shared by the operator and the standalone CLI:
// observe AWS, ask the planner for the next action, perform it, and compute the new status,
// conditions, events and connection details. Reads of tags are done inline (they change nothing);
// at most one mutating call is made per step.
import type { ElastiCacheClusterSpec, ElastiCacheClusterStatus } from "../api/elasticache-cluster.ts";
import { topologyOf } from "../api/topology.ts";
import { isKind } from "../aws/errors.ts";
import { isLeaseNotHeld } from "../aws/mutation-fence.ts";
import { type Condition, setCondition } from "../kube/conditions.ts";
import { connectionDetails } from "../planner/connection.ts";
import { type DeletionResult, planDeletion } from "../planner/deletion.ts";
import { type Action, isMutating, type ObservedCache } from "../planner/model.ts";
import type { OwnerRef } from "../planner/ownership.ts";
import { plan } from "../planner/plan.ts";
import type { Memory, PlanInput, PlanResult } from "../planner/plan-types.ts";
import { observedStatus } from "../planner/status.ts";
import { migrateTokenHashes, type TokenFingerprint } from "../planner/token-fingerprint.ts";
import { clusterRequeuePolicy, type RequeuePolicy, waitingMs } from "../runtime/requeue-policy.ts";
import {
  type AutoScalingStepResult,
  autoScalingInvolved,
  autoScalingStep,
  deregisterAll,
} from "./auto-scaling-step.ts";
import type { CacheGateway } from "./cache-gateway.ts";
import { type FailureVerdict, failureVerdict } from "./error-condition.ts";

export interface StepEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export interface ClusterStepInput {
  owner: OwnerRef;
  generation: number;
  spec: ElastiCacheClusterSpec;
  status: ElastiCacheClusterStatus;
  deleting: boolean;
  adopt: boolean;
  defaultTags: Record<string, string>;
  /** The token read from the referenced Secret (never stored; only its keyed fingerprint is). */
  authToken?: string;
  /** Makes the fingerprint of a token kept in status (keyed: token-fingerprint.ts). */
  fingerprint: TokenFingerprint;
  gateway: CacheGateway;
  now: Date;
  rotationGraceSeconds: number;
  /** Read tags even when the wanted set did not change (periodic drift check). */
  checkTags?: boolean;
  /** Ask AWS now, not a recent batch answer (force-sync, the first look after start). */
  freshRead?: boolean;
  /** When to look again (default clusterRequeuePolicy). */
  policy?: RequeuePolicy;
}

export interface ClusterStepResult {
  status: ElastiCacheClusterStatus;
  /** The action performed (or decided: wait/none). */
  action: Action;
  /** When to run the next step; undefined: on the next change or periodic resync. */
  requeueAfterMs?: number;
  /** A retryable failure: retry with exponential backoff. */
  backoff: boolean;
  /** AWS did not answer (unreachable, or failing on its side): retry as soon as it answers again. */
  awsDown: boolean;
  /** Deletion finished: the finalizer may go. */
  release: boolean;
  events: StepEvent[];
  /** Data for the connection Secret, once the cache has an endpoint. */
  connection?: Record<string, string>;
}

const MEMORY_KEYS = [
  "topology",
  "clusterMode",
  "appliedTagKeys",
  "appliedTagsHash",
  "authTokenHash",
  "pendingAuthTokenHash",
  "authTokenRotatedAt",
  "lastChange",
] as const;

export async function clusterStep(input: ClusterStepInput): Promise<ClusterStepResult> {
  const policy = input.policy ?? clusterRequeuePolicy;
  // Status from before keyed fingerprints names the same token in the old form: no rotation for it.
  const memory = migrateTokenHashes(pickMemory(input.status), input.authToken, input.fingerprint);
  // A forced sync retries even a change AWS seemed to ignore.
  if (input.freshRead) delete memory.lastChange;
  const authTokenHash = input.authToken !== undefined ? input.fingerprint(input.authToken) : undefined;
  const planInput: PlanInput = {
    owner: input.owner,
    spec: input.spec,
    defaultTags: input.defaultTags,
    authTokenHash,
    adopt: input.adopt,
    memory,
    observed: undefined,
    now: input.now,
    pollSeconds: policy.whileWaitingMs({ looks: 0, waitingMs: waitingMs(input.status, input.now) }) / 1000,
    rotationGraceSeconds: input.rotationGraceSeconds,
  };
  const events: StepEvent[] = [];
  let observed: ObservedCache | undefined;
  let result: PlanResult | DeletionResult;
  let failure: FailureVerdict | undefined;
  let scaling: AutoScalingStepResult | undefined;
  try {
    // A cache we never created is not looked up before creating it (create answers AlreadyExists);
    // on deletion it is, to make sure nothing of ours is left behind.
    const topology = memory.topology ?? (input.deleting ? topologyOf(input.spec) : undefined);
    if (topology !== undefined)
      observed = await input.gateway.observe(input.spec.clusterID, topology, { fresh: input.freshRead });
    if (observed && input.checkTags && observed.tags === undefined) {
      observed = { ...observed, tags: await input.gateway.listTags(observed.arn) };
    }
    result = decide(input, planInput, observed);
    for (let guard = 0; guard < 3; guard++) {
      if (result.action.type === "readTags" && observed) {
        observed = { ...observed, tags: await input.gateway.listTags(observed.arn) };
      } else if (result.action.type === "create") {
        try {
          await input.gateway.execute(result.action, { authToken: input.authToken });
          break;
        } catch (err) {
          if (!isKind(err, "AlreadyExists")) throw err;
          // Someone has this ID already: look at it and let the ownership rules decide.
          observed = await input.gateway.observe(input.spec.clusterID, result.action.params.topology);
          if (observed) observed = { ...observed, tags: await input.gateway.listTags(observed.arn) };
        }
      } else break;
      result = decide(input, planInput, observed);
    }
    const autoScaling = input.gateway.autoScaling;
    if (input.deleting && result.action.type === "delete" && autoScaling && observed) {
      // The targets would outlive the group: deregister them first.
      events.push(...(await deregisterAll(autoScaling, observed.id, input.status.autoScaling)));
    }
    if (isMutating(result.action) && result.action.type !== "create") {
      await input.gateway.execute(result.action, { authToken: input.authToken });
    }
    if (
      !input.deleting &&
      autoScaling &&
      observed?.topology === "ReplicationGroup" &&
      observed.clusterMode &&
      observed.status === "available" &&
      result.memory.topology !== undefined &&
      autoScalingInvolved(input.spec, input.status.autoScaling)
    ) {
      scaling = await autoScalingStep({
        spec: input.spec,
        previous: input.status.autoScaling,
        observed,
        gateway: autoScaling,
        fullCheck: input.checkTags === true || input.freshRead === true,
      });
    }
  } catch (err) {
    // A replica that lost the Lease writes nothing either (no status, Event or finalizer change):
    // the leader owns the object now.
    if (isLeaseNotHeld(err)) throw err;
    failure = failureVerdict(err, policy);
    result ??= {
      action: { type: "none" },
      reason: failure.reason,
      message: failure.message,
      terminal: false,
      ready: false,
      memory,
    };
    events.push({ type: "Warning", reason: failure.reason, message: failure.message });
  }

  const action = result.action;
  const succeeded = failure === undefined;
  // Orphan and Retain must not hang on AWS: if our tags cannot be changed, leave them and say so.
  // Ownership is by uid, so what is left is never adopted or deleted by a new object of the same
  // name without the adopt annotation.
  const deletionPolicy = input.spec.deletionPolicy;
  const gaveUp =
    input.deleting && (deletionPolicy === "Orphan" || deletionPolicy === "Retain") && failure !== undefined;
  if (gaveUp && deletionPolicy === "Orphan") {
    events.push({
      type: "Warning",
      reason: "OrphanTagsLeft",
      message: `could not remove infra-operator's tags from ${input.spec.clusterID} (${failure?.reason}); it is left running and unmanaged, and a new object of the same name adopts it only with the annotation infra-operator.runner.codes/adopt=true`,
    });
  } else if (gaveUp) {
    events.push({
      type: "Warning",
      reason: "RetainNotMarked",
      message: `could not mark ${input.spec.clusterID} as retained (${failure?.reason}); it is left running, and a new object of the same name adopts it only with the annotation infra-operator.runner.codes/adopt=true`,
    });
  }
  const retainedNow =
    input.deleting && deletionPolicy === "Retain" && succeeded && "release" in result && result.release;
  const nextMemory = succeeded ? result.memory : memory;
  if (retainedNow) {
    events.push({ type: "Normal", reason: "Retained", message: result.message });
  } else if (succeeded && isMutating(action)) {
    // Drift: AWS changed under an unchanged spec. Token and tag steps follow Secret or provider
    // changes too, so they are reported as what they are.
    const drift =
      input.status.observedGeneration === input.generation &&
      ["modify", "increaseReplicaCount", "decreaseReplicaCount", "reshard"].includes(action.type) &&
      !(action.type === "modify" && action.params.authTokenUpdateStrategy !== undefined);
    events.push({
      type: "Normal",
      reason: drift ? "DriftCorrected" : eventReason(action),
      message: drift ? `AWS differed from the spec: ${result.message}` : result.message,
    });
  } else if (succeeded && result.terminal) {
    events.push({ type: "Warning", reason: result.reason, message: result.message });
  }

  const status = buildStatus(input, observed, action, result, nextMemory, failure);
  if (scaling) {
    events.push(...scaling.events);
    if (scaling.status) status.autoScaling = scaling.status;
    else delete status.autoScaling;
  }
  return {
    status,
    action,
    requeueAfterMs: requeueAfter(action, failure, policy),
    backoff: failure?.backoff ?? false,
    awsDown: failure?.awsDown ?? false,
    release: gaveUp || (succeeded && "release" in result && result.release),
    events,
    connection: connectionFor(input, observed, nextMemory, authTokenHash),
  };
}

function decide(input: ClusterStepInput, planInput: PlanInput, observed: ObservedCache | undefined) {
  const withObserved = { ...planInput, observed };
  return input.deleting ? planDeletion(withObserved) : plan(withObserved);
}

function pickMemory(status: ElastiCacheClusterStatus): Memory {
  const memory: Memory = {};
  for (const key of MEMORY_KEYS) {
    if (status[key] !== undefined) (memory as Record<string, unknown>)[key] = status[key];
  }
  return memory;
}

function eventReason(action: Action): string {
  switch (action.type) {
    case "create":
      return "Creating";
    case "delete":
      return "Deleting";
    case "addTags":
    case "removeTags":
      return "Tagging";
    case "increaseReplicaCount":
    case "decreaseReplicaCount":
      return "ScalingReplicas";
    case "reshard":
      return "Resharding";
    case "modify":
      return action.params.authTokenUpdateStrategy ? "RotatingAuthToken" : "Modifying";
    default:
      return "Modifying";
  }
}

/** Settled and terminal results wait for a change or the periodic resync (undefined). */
function requeueAfter(
  action: Action,
  failure: FailureVerdict | undefined,
  policy: RequeuePolicy,
): number | undefined {
  if (failure) return failure.backoff ? undefined : failure.retryAfterMs;
  if (action.type === "wait") return action.seconds * 1000;
  if (isMutating(action)) return policy.afterActionMs; // look at what AWS made of it soon
  return undefined;
}

function buildStatus(
  input: ClusterStepInput,
  observed: ObservedCache | undefined,
  action: Action,
  result: PlanResult,
  memory: Memory,
  failure: FailureVerdict | undefined,
): ElastiCacheClusterStatus {
  const now = input.now.getTime();
  const base: ElastiCacheClusterStatus = { ...clearObserved(input.status), ...memory };
  for (const key of MEMORY_KEYS) if (memory[key] === undefined) delete base[key];
  const owned = memory.topology !== undefined;
  if (observed && owned) Object.assign(base, observedStatus(observed));
  if (action.type === "create" && failure === undefined) base.clusterStatus = "creating";
  if (input.deleting && action.type === "delete" && failure === undefined) base.clusterStatus = "deleting";

  const available = owned && observed?.status === "available" && action.type !== "create";
  let conditions: Condition[] | undefined = input.status.conditions as Condition[] | undefined;
  const generation = input.generation;
  conditions = setCondition(
    conditions,
    available && !input.deleting
      ? {
          type: "Ready",
          status: "True",
          reason: "Available",
          message: "ElastiCache cluster is available",
          observedGeneration: generation,
        }
      : {
          type: "Ready",
          status: "False",
          reason: input.deleting ? "Deleting" : failure && !observed ? failure.reason : result.reason,
          message: input.deleting ? result.message : failure && !observed ? failure.message : result.message,
          observedGeneration: generation,
        },
    now,
  );
  const inSync = !failure && !result.terminal && action.type === "none";
  conditions = setCondition(
    conditions,
    failure
      ? {
          type: "Synced",
          status: "False",
          reason: failure.reason,
          message: failure.message,
          observedGeneration: generation,
        }
      : inSync
        ? {
            type: "Synced",
            status: "True",
            reason: "Synced",
            message: "AWS matches the spec",
            observedGeneration: generation,
          }
        : {
            type: "Synced",
            status: "False",
            reason: result.reason,
            message: result.message,
            observedGeneration: generation,
          },
    now,
  );
  base.conditions = conditions;
  base.ready = conditions.find((c) => c.type === "Ready")?.status === "True";
  if (!failure) base.observedGeneration = generation;
  if (observed) {
    // When AWS was read (an answer held since the last read is not a new read).
    const readAt = observed.observedAt !== undefined ? new Date(observed.observedAt) : input.now;
    base.lastSyncTime = readAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  return base;
}

/** Drops the AWS-derived fields, so a vanished cache does not keep stale endpoints. */
function clearObserved(status: ElastiCacheClusterStatus): ElastiCacheClusterStatus {
  const {
    clusterStatus: _a,
    cacheClusterARN: _b,
    configurationEndpoint: _c,
    primaryEndpoint: _d,
    readerEndpoint: _e,
    nodeEndpoints: _f,
    endpoint: _g,
    cacheNodeType: _h,
    engineVersion: _i,
    memberClusters: _j,
    clusterCreateTime: _k,
    estimatedCost: _l,
    ...rest
  } = status;
  return rest;
}

function connectionFor(
  input: ClusterStepInput,
  observed: ObservedCache | undefined,
  memory: Memory,
  tokenHash: string | undefined,
): Record<string, string> | undefined {
  if (!observed || memory.topology === undefined || input.deleting) return undefined;
  // Only a token AWS accepts goes into the Secret: the applied one, or the one being rotated in.
  const tokenValid =
    tokenHash !== undefined &&
    (memory.authTokenHash === tokenHash || memory.pendingAuthTokenHash === tokenHash);
  const data = connectionDetails(observedStatus(observed), {
    engine: observed.engine,
    tls: observed.transitEncryption,
    authToken: tokenValid ? input.authToken : undefined,
  });
  return Object.keys(data).length > 0 ? data : undefined;
}

/** Retain needs nothing from AWS, so it can never hang on it. */
