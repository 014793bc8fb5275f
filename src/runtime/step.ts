// One step of any kind, shared by the operator and the CLI: observe AWS, decide one action (the
// kind's pure planner, with ownership, tags and deletion policies decided here for every kind),
// perform it, and compute the status, conditions and Events.
import { isKind } from "../aws/errors.ts";
import { isLeaseNotHeld } from "../aws/mutation-fence.ts";
import { type Condition, setCondition } from "../kube/conditions.ts";
import {
  OWNER_TAG,
  type OwnerRef,
  ownershipOf,
  ownershipTags,
  RETAINED_TAG,
  UID_TAG,
} from "../planner/ownership.ts";
import type { TokenFingerprint } from "../planner/token-fingerprint.ts";
import { failureVerdict } from "../reconcile/error-condition.ts";
import type { ElastiCacheApi } from "./elasticache-api.ts";
import type { AnyManagedKind, Decision, ManagedObserved, ManagedSpec, PlanInput } from "./kind.ts";
import { defaultRequeuePolicy, type RequeuePolicy, waitingMs } from "./requeue-policy.ts";

export interface StepEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/** What every kind's status holds besides its own fields. */
export interface ManagedStatus {
  ready?: boolean;
  arn?: string;
  conditions?: Condition[];
  observedGeneration?: number;
  /** Tag keys this object set (so a key removed from spec.tags is removed in AWS). */
  appliedTagKeys?: string[];
  /** Looks at a resource AWS is still working on (drives whileWaitingMs). */
  waits?: number;
  [field: string]: unknown;
}

export interface StepInput {
  kind: AnyManagedKind;
  spec: ManagedSpec;
  status: ManagedStatus;
  generation: number;
  owner: OwnerRef;
  deleting: boolean;
  adopt: boolean;
  defaultTags: Record<string, string>;
  secrets: string[];
  previousSecrets?: (string | undefined)[];
  fingerprint?: TokenFingerprint;
  resolved: string[];
  api: ElastiCacheApi;
  now: number;
  policy?: RequeuePolicy;
  /** Decide only (the CLI's plan): no mutating call; the Events say what would be done. */
  dryRun?: boolean;
}

export interface StepResult {
  status: ManagedStatus;
  events: StepEvent[];
  /** When to look again; undefined: at the next change or periodic resync. */
  requeueAfterMs?: number;
  /** A retryable failure: retry with the controller's exponential backoff. */
  backoff: boolean;
  /** AWS did not answer: retry as soon as it answers again. */
  awsDown: boolean;
  /** Deletion carried out: the finalizer may go. */
  release: boolean;
  /** The connection Secret's keys (kinds with connectionSecret, once ready). */
  connection?: Record<string, string>;
}

/** The runtime's own actions (tags and deletion policies), besides the kind's. */
type RuntimeAction =
  | { runtime: "addTags"; arn: string; tags: Record<string, string> }
  | { runtime: "removeTags"; arn: string; keys: string[] };

const MANAGED_STATUS_KEYS = ["ready", "arn", "conditions", "observedGeneration", "appliedTagKeys", "waits"];

export async function managedStep(input: StepInput): Promise<StepResult> {
  const policy = input.policy ?? defaultRequeuePolicy;
  const { kind, spec } = input;
  const what = kind.describe(spec);
  const tags = { ...input.defaultTags, ...(spec.tags ?? {}), ...ownershipTags(input.owner) };
  const events: StepEvent[] = [];
  let observed: ManagedObserved | undefined;
  const planInput = (): PlanInput<ManagedSpec, ManagedObserved> => ({
    spec,
    observed,
    owner: input.owner,
    tags,
    secrets: input.secrets,
    previousSecrets: input.previousSecrets,
    fingerprint: input.fingerprint,
    resolved: input.resolved,
    status: input.status,
    now: input.now,
  });
  const finish = (
    decision: Decision<unknown> | { type: "released"; message: string },
    extra: { memory?: Record<string, unknown>; failure?: ReturnType<typeof failureVerdict> } = {},
  ): StepResult => {
    const status = nextStatus(input, observed, decision, extra.memory ?? {}, extra.failure);
    const failure = extra.failure;
    if (failure !== undefined) {
      events.push({ type: "Warning", reason: failure.reason, message: failure.message });
      return {
        status,
        events,
        backoff: failure.backoff,
        awsDown: failure.awsDown === true,
        release: false,
        requeueAfterMs: failure.retryAfterMs,
      };
    }
    const wasReady = input.status.ready === true;
    const settled = { status, events, backoff: false, awsDown: false, release: false };
    switch (decision.type) {
      case "released":
        events.push({ type: "Normal", reason: "Deleted", message: decision.message });
        return { ...settled, release: true };
      case "act":
        events.push({ type: "Normal", reason: decision.reason, message: decision.message });
        return { ...settled, requeueAfterMs: policy.afterActionMs };
      case "wait":
        return {
          ...settled,
          requeueAfterMs:
            decision.afterMs ??
            policy.whileWaitingMs({
              looks: input.status.waits ?? 0,
              waitingMs: waitingMs(input.status, new Date(input.now)),
            }),
        };
      case "invalid":
        if (!sameCondition(input.status, "Synced", decision.reason, decision.message))
          events.push({ type: "Warning", reason: decision.reason, message: decision.message });
        return { ...settled, requeueAfterMs: policy.blockedMs };
      case "ready": {
        if (!wasReady) events.push({ type: "Normal", reason: "Ready", message: decision.message });
        const connection = observed && kind.connectionSecret?.data(observed, spec);
        return connection === undefined ? settled : { ...settled, connection };
      }
    }
  };

  try {
    observed = await kind.observe(input.api, spec);
    if (input.deleting) return await deletionStep(input, observed, what, finish, events);
    if (observed !== undefined) {
      const ownership = ownershipOf(observed.tags, input.owner);
      if (ownership === "foreign" && !input.adopt)
        return finish({
          type: "invalid",
          reason: "NotOwned",
          message: `${what} already exists in AWS and was not created by this object: add the annotation infra-operator.runner.codes/adopt: "true" to manage it, or choose another name`,
        });
    }
    const tagAction =
      observed && !observed.busy && !observed.deleting ? tagSync(observed, tags, input.status) : undefined;
    if (tagAction !== undefined) {
      if (!input.dryRun) await runRuntimeAction(input.api, tagAction);
      return finish(
        { type: "act", action: tagAction, reason: "Tagging", message: `${what}: tags updated` },
        { memory: { appliedTagKeys: Object.keys(tags).sort() } },
      );
    }
    if (observed?.deleting)
      return finish({
        type: "wait",
        reason: "Deleting",
        message: `${what} is being deleted in AWS; it is created again once gone`,
      });
    const decision = kind.plan(planInput());
    if (decision.type !== "act") return finish(decision);
    if (!input.dryRun) await kind.act(input.api, decision.action, planInput());
    const memory = { ...(kind.remember?.(decision.action, planInput()) ?? {}) };
    if (observed === undefined) memory.appliedTagKeys = Object.keys(tags).sort();
    return finish(decision, { memory });
  } catch (err) {
    if (isLeaseNotHeld(err)) throw err;
    const failure = failureVerdict(err, policy);
    // A create that finds the name taken: the next look decides by the tags (adopt, or NotOwned).
    if (isKind(err, "AlreadyExists"))
      return finish({
        type: "wait",
        reason: "Adopting",
        message: `${what} exists in AWS; checking its ownership`,
      });
    return finish({ type: "wait", reason: failure.reason, message: failure.message }, { failure });
  }
}

async function deletionStep(
  input: StepInput,
  observed: ManagedObserved | undefined,
  what: string,
  finish: (d: Decision<unknown> | { type: "released"; message: string }) => StepResult,
  events: StepEvent[],
): Promise<StepResult> {
  const policy = input.spec.deletionPolicy ?? "Delete";
  if (observed === undefined) return finish({ type: "released", message: `${what} is gone from AWS` });
  if (ownershipOf(observed.tags, input.owner) !== "owned") {
    events.push({
      type: "Normal",
      reason: "Released",
      message: `${what} was not created by this object: left in AWS as it is`,
    });
    return finish({ type: "released", message: `${what} released (not owned)` });
  }
  if (policy === "Retain") {
    if (!input.dryRun) await input.api.addTags(observed.arn, { [RETAINED_TAG]: input.owner.uid });
    return finish({
      type: "released",
      message: `${what} retained in AWS (deletionPolicy Retain): a new object of this name takes it over`,
    });
  }
  if (policy === "Orphan") {
    // Only keys it has: AWS answers TagNotFound for the others.
    const ours = [OWNER_TAG, UID_TAG, RETAINED_TAG].filter((k) => k in observed.tags);
    if (ours.length > 0 && !input.dryRun) await input.api.removeTags(observed.arn, ours);
    return finish({ type: "released", message: `${what} left in AWS, unmanaged (deletionPolicy Orphan)` });
  }
  if (observed.deleting)
    return finish({ type: "wait", reason: "Deleting", message: `${what} is being deleted` });
  // AWS refuses to delete what it is still making or changing (a snapshot being taken): wait for it.
  if (observed.busy)
    return finish({
      type: "wait",
      reason: "WaitingToDelete",
      message: `${what} is still being created or modified in AWS; it is deleted once AWS is done`,
    });
  const action = input.kind.deleteAction(input.spec, observed);
  if (!input.dryRun)
    await input.kind.act(input.api, action, {
      spec: input.spec,
      observed,
      owner: input.owner,
      tags: {},
      secrets: input.secrets,
      previousSecrets: input.previousSecrets,
      fingerprint: input.fingerprint,
      resolved: input.resolved,
      status: input.status,
      now: input.now,
    });
  return finish({ type: "act", action, reason: "Deleting", message: `${what}: deletion started` });
}

/** One tag call that brings AWS's tags to the wanted ones (adds first, removals on the next step). */
function tagSync(
  observed: ManagedObserved,
  wanted: Record<string, string>,
  status: ManagedStatus,
): RuntimeAction | undefined {
  const add = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => observed.tags[k] !== v));
  if (Object.keys(add).length > 0) return { runtime: "addTags", arn: observed.arn, tags: add };
  const stale = (status.appliedTagKeys ?? []).filter((k) => !(k in wanted) && k in observed.tags);
  if (RETAINED_TAG in observed.tags) stale.push(RETAINED_TAG);
  if (stale.length > 0) return { runtime: "removeTags", arn: observed.arn, keys: stale };
  return undefined;
}

async function runRuntimeAction(api: ElastiCacheApi, action: RuntimeAction): Promise<void> {
  if (action.runtime === "addTags") await api.addTags(action.arn, action.tags);
  else await api.removeTags(action.arn, action.keys);
}

function sameCondition(status: ManagedStatus, type: string, reason: string, message: string): boolean {
  const c = status.conditions?.find((x) => x.type === type);
  return c?.reason === reason && c.message === message;
}

function nextStatus(
  input: StepInput,
  observed: ManagedObserved | undefined,
  decision: Decision<unknown> | { type: "released"; message: string },
  memory: Record<string, unknown>,
  failure: ReturnType<typeof failureVerdict> | undefined,
): ManagedStatus {
  // The kind's memory (anything outside its AWS-derived fields and the runtime's) is kept.
  const kindFields = input.kind.status(observed, input.spec);
  const kept = Object.fromEntries(
    Object.entries(input.status).filter(([k]) => !MANAGED_STATUS_KEYS.includes(k) && !(k in kindFields)),
  );
  const status: ManagedStatus = { ...kept, ...kindFields, ...memory };
  if (input.status.appliedTagKeys !== undefined && memory.appliedTagKeys === undefined)
    status.appliedTagKeys = input.status.appliedTagKeys;
  if (observed !== undefined) status.arn = observed.arn;
  const generation = input.generation;
  const now = input.now;
  const ready = decision.type === "ready" && failure === undefined;
  let conditions = setCondition(
    input.status.conditions,
    ready
      ? {
          type: "Ready",
          status: "True",
          reason: "Available",
          message: decision.message,
          observedGeneration: generation,
        }
      : {
          type: "Ready",
          status: "False",
          reason: input.deleting ? "Deleting" : decision.type === "ready" ? "Available" : reasonOf(decision),
          message: "message" in decision ? decision.message : "",
          observedGeneration: generation,
        },
    now,
  );
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
      : decision.type === "ready"
        ? {
            type: "Synced",
            status: "True",
            reason: "Synced",
            message: "AWS matches the spec",
            observedGeneration: generation,
          }
        : decision.type === "invalid"
          ? {
              type: "Synced",
              status: "False",
              reason: decision.reason,
              message: decision.message,
              observedGeneration: generation,
            }
          : {
              type: "Synced",
              status: "True",
              reason: reasonOf(decision),
              message: "message" in decision ? decision.message : "",
              observedGeneration: generation,
            },
    now,
  );
  status.conditions = conditions;
  status.ready = ready;
  if (failure === undefined && decision.type !== "invalid") status.observedGeneration = generation;
  if (decision.type === "wait" && failure === undefined) status.waits = (input.status.waits ?? 0) + 1;
  else delete status.waits;
  return status;
}

function reasonOf(decision: Decision<unknown> | { type: "released"; message: string }): string {
  return "reason" in decision ? decision.reason : decision.type === "released" ? "Deleted" : "Available";
}
