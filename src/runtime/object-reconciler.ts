// The operator's reconciler, one shell for every kind, ElastiCacheCluster included: read the object
// (this process's own writes first), parse it, the finalizer, a Delete held while in use, the
// provider, what the step needs (references, Secrets), the connection Secret's owner, then the
// kind's step, its status, Events, connection Secret and the finalizer's release. What differs per
// kind is its StepAdapter, injected as the requeue policy is: the family's (kind-controller.ts,
// around step.ts) and the cluster's (src/operator/cluster-controller.ts, around cluster-step.ts).
import { InvalidObjectError } from "../api/object-schemas.ts";
import { type Condition, setCondition } from "../kube/conditions.ts";
import { done, type Reconciler, requeueAfter } from "../kube/controller.ts";
import type { EventRecorder } from "../kube/events.ts";
import { addFinalizer, hasFinalizer, removeFinalizer } from "../kube/finalizers.ts";
import type { Informer } from "../kube/informer.ts";
import { OwnWrites } from "../kube/own-writes.ts";
import type { ResourceType } from "../kube/resource.ts";
import type { KubeObject, KubeRest } from "../kube/rest.ts";
import { writeStatus } from "../kube/status.ts";
import {
  connectionSecretConflict,
  SecretConflictError,
  writeConnectionSecret,
} from "../operator/connection-secret.ts";
import type { ProviderRef, ProviderResolution, ReadyProvider } from "../operator/ready-provider.ts";
import { CLUSTER_FINALIZER } from "../operator/resources.ts";
import type { SecretLookup } from "../secrets/secret-values.ts";
import type { StepEvent } from "./step.ts";

/** The finalizer of every kind: the same one ElastiCacheCluster has. */
export const MANAGED_FINALIZER = CLUSTER_FINALIZER;

export interface ShellDeps {
  rest: KubeRest;
  resource: ResourceType;
  objects: Informer<KubeObject>;
  secrets: SecretLookup;
  provider(namespace: string, ref: ProviderRef): ProviderResolution;
  events: EventRecorder;
  now: () => number;
}

/** Nothing can be done in AWS yet (no call was made): written as both conditions and an Event,
 *  looked at again after `requeueAfterMs` (else at the next change of what it waits for). */
export class Blocked extends Error {
  readonly reason: string;
  readonly requeueAfterMs: number | undefined;
  /** `why`: a reason and a message naming the field and the fix (the errors of what is read have both). */
  constructor(why: { reason: string; message: string }, requeueAfterMs?: number) {
    super(why.message);
    this.reason = why.reason;
    this.requeueAfterMs = requeueAfterMs;
  }
}

/** The object being reconciled, as its adapter sees it (`raw` has the finalizer by now). */
export interface Reconciling<Parsed> {
  key: string;
  raw: KubeObject;
  parsed: Parsed;
  namespace: string;
  name: string;
  deleting: boolean;
}

/** What the shell does with a step: the shape managedStep's and clusterStep's results share. */
export interface ShellStepResult {
  status: { conditions?: ReadonlyArray<{ type: string; message: string }> };
  events: StepEvent[];
  /** The connection Secret's data (kinds with one, once there is something to connect to). */
  connection?: Record<string, string>;
  /** Deletion carried out: the finalizer goes (and no status is written). */
  release: boolean;
  /** A retryable failure: the controller's exponential backoff. */
  backoff: boolean;
  requeueAfterMs?: number;
}

/** What differs per kind. Every hook but `step` makes no AWS call. */
export interface StepAdapter<Parsed, Inputs> {
  /** The stored object, typed and defaulted; an InvalidObjectError blocks it (InvalidSpec). */
  parse(raw: KubeObject): Parsed;
  providerRef(parsed: Parsed): ProviderRef;
  /** Delete (the default), Retain, Orphan, or a kind's own (the clusters' Snapshot). */
  deletionPolicy(parsed: Parsed): string;
  /** On a Delete: why it must wait (others still use the resource), or undefined. */
  heldBy?(o: Reconciling<Parsed>): Blocked | undefined;
  /** What the step needs from outside the object (what it names, Secret values); throws Blocked. */
  inputs(o: Reconciling<Parsed>): Inputs;
  /** The Secret values among the inputs: masked in Events. */
  secrets(inputs: Inputs): string[];
  /** Its connection Secret, for kinds with one: its name, and whether a token already there is kept
   *  when the new data has none (writeConnectionSecret). */
  connectionSecret?(o: Reconciling<Parsed>): { name: string; keepToken: boolean } | undefined;
  /** The kind's step; it may throw Blocked before any AWS call (no fingerprint key yet). */
  step(o: Reconciling<Parsed>, inputs: Inputs, provider: ReadyProvider): Promise<ShellStepResult>;
  /** The object is gone: forget what this process kept of it. */
  gone?(key: string): void;
  /** Its deletion was carried out and the finalizer removed. */
  released?(key: string): void;
}

export function objectReconciler<Parsed, Inputs>(
  deps: ShellDeps,
  adapter: StepAdapter<Parsed, Inputs>,
): Reconciler {
  // A reconcile right after our own write must not act on the informer's older copy (own-writes.ts).
  const writes = new OwnWrites((k) => deps.objects.get(k));

  return async ({ key }) => {
    let raw = writes.freshest(key);
    if (raw === undefined) {
      adapter.gone?.(key);
      return done;
    }
    const deleting = raw.metadata?.deletionTimestamp !== undefined;
    if (deleting && !hasFinalizer(raw, MANAGED_FINALIZER)) return done;
    let parsed: Parsed;
    try {
      parsed = adapter.parse(raw);
    } catch (err) {
      if (!(err instanceof InvalidObjectError)) throw err;
      await blocked(deps, raw, "InvalidSpec", err.message);
      return done;
    }
    if (!deleting && !hasFinalizer(raw, MANAGED_FINALIZER)) {
      const added = await addFinalizer(deps.rest, deps.resource, raw, MANAGED_FINALIZER);
      if (added.object === undefined) return done;
      raw = added.object;
      writes.wrote(key, raw);
    }
    const current = raw;
    const o: Reconciling<Parsed> = {
      key,
      raw: current,
      parsed,
      namespace: current.metadata?.namespace ?? "default",
      name: current.metadata?.name ?? "",
      deleting,
    };
    const stop = async (b: Blocked) => {
      await blocked(deps, current, b.reason, b.message);
      return b.requeueAfterMs === undefined ? done : requeueAfter(b.requeueAfterMs);
    };
    const policy = adapter.deletionPolicy(parsed);

    const held = deleting && policy === "Delete" ? adapter.heldBy?.(o) : undefined;
    if (held !== undefined) return stop(held);

    const provider = deps.provider(o.namespace, adapter.providerRef(parsed));
    if ("reason" in provider) {
      // Retain and Orphan never wait for a provider (the documentation's finalizer recovery).
      if (deleting && (policy === "Retain" || policy === "Orphan")) {
        await deps.events.warning(
          current,
          "Released",
          `${provider.message}; deletionPolicy ${policy}: nothing done in AWS`,
        );
        await removeFinalizer(deps.rest, deps.resource, current, MANAGED_FINALIZER);
        return done;
      }
      await blocked(deps, current, provider.reason, provider.message);
      return deleting ? requeueAfter(30_000) : done;
    }

    let inputs: Inputs;
    try {
      inputs = adapter.inputs(o);
    } catch (err) {
      if (!(err instanceof Blocked)) throw err;
      return stop(err);
    }

    // Another's Secret under the connection Secret's name: refused before anything is made in AWS.
    const secret = deleting ? undefined : adapter.connectionSecret?.(o);
    const cachedSecret = secret && deps.secrets.get(`${o.namespace}/${secret.name}`);
    if (secret !== undefined) {
      const conflict = connectionSecretConflict(cachedSecret, ownerOf(current));
      if (conflict !== undefined) return stop(new Blocked({ reason: "SecretConflict", message: conflict }));
    }

    let result: ShellStepResult;
    try {
      result = await adapter.step(o, inputs, provider);
    } catch (err) {
      if (!(err instanceof Blocked)) throw err;
      return stop(err);
    }
    if (!result.release) {
      const status = await writeStatus(deps.rest, deps.resource, current, result.status);
      if (status.written) writes.wrote(key, status.object);
    }
    await record(deps.events, current, result.events, adapter.secrets(inputs));
    if (result.connection !== undefined && secret !== undefined) {
      try {
        await writeConnectionSecret(
          deps.rest,
          ownerOf(current),
          secret.name,
          result.connection,
          secret.keepToken,
          cachedSecret,
        );
      } catch (err) {
        if (!(err instanceof SecretConflictError)) throw err;
        return stop(new Blocked(err));
      }
    }
    if (result.release) {
      await removeFinalizer(deps.rest, deps.resource, current, MANAGED_FINALIZER);
      adapter.released?.(key);
      writes.forget(key);
      return done;
    }
    if (result.backoff) {
      const synced = result.status.conditions?.find((c) => c.type === "Synced");
      throw new Error(synced?.message ?? "reconcile failed; retrying");
    }
    // A settled object waits for the informer's periodic resync, which wakes every object at once
    // (so one batched listing per provider serves every cluster).
    return result.requeueAfterMs === undefined ? done : requeueAfter(result.requeueAfterMs);
  };
}

function ownerOf(raw: KubeObject) {
  return raw as KubeObject & { metadata: { name: string; namespace?: string; uid?: string } };
}

async function record(
  events: EventRecorder,
  obj: KubeObject,
  list: StepEvent[],
  secrets: string[],
): Promise<void> {
  for (const e of list) {
    if (e.type === "Normal") await events.normal(obj, e.reason, e.message, { secrets });
    else await events.warning(obj, e.reason, e.message, { secrets });
  }
}

/** Reports why nothing can be done in AWS yet (no call was made), as conditions and an Event. */
export async function blocked(
  deps: { rest: KubeRest; resource: ResourceType; events: EventRecorder; now: () => number },
  raw: KubeObject,
  reason: string,
  message: string,
): Promise<void> {
  const status = { ...((raw as { status?: Record<string, unknown> }).status ?? {}) };
  const generation = raw.metadata?.generation;
  let conditions = status.conditions as Condition[] | undefined;
  for (const type of ["Ready", "Synced"])
    conditions = setCondition(
      conditions,
      { type, status: "False", reason, message, observedGeneration: generation },
      deps.now(),
    );
  const { written } = await writeStatus(deps.rest, deps.resource, raw, {
    ...status,
    conditions,
    ready: false,
  });
  if (written) await deps.events.warning(raw, reason, message);
}
