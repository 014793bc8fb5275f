// The operator's reconciler for any managed kind: finalizer, provider, references and Secrets,
// then the shared step (step.ts), its status, Events and the finalizer's release.
import { InvalidObjectError } from "../api/object-schemas.ts";
import type { AwsClients } from "../cloud/clients.ts";
import { ADOPT_ANNOTATION } from "../engine/ownership.ts";
import type { TokenFingerprint } from "../engine/token-fingerprint.ts";
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
import { FingerprintKeyError } from "../operator/fingerprint-key.ts";
import type { ProviderRef, ProviderResolution } from "../operator/ready-provider.ts";
import { CLUSTER_FINALIZER } from "../operator/resources.ts";
import { type SecretLookup, SecretValueError, secretValue } from "../secrets/secret-values.ts";
import { ElastiCacheApi } from "./elasticache-api.ts";
import type { AnyManagedKind, ManagedSpec } from "./kind.ts";
import type { ReferenceGraph } from "./references.ts";
import { defaultRequeuePolicy, type RequeuePolicy } from "./requeue-policy.ts";
import { SecretHistory } from "./secret-history.ts";
import { type ManagedStatus, managedStep, type StepEvent } from "./step.ts";

export interface KindControllerDeps {
  rest: KubeRest;
  kind: AnyManagedKind;
  resource: ResourceType;
  objects: Informer<KubeObject>;
  graph: ReferenceGraph;
  secrets: SecretLookup;
  provider(namespace: string, ref: ProviderRef): ProviderResolution;
  events: EventRecorder;
  now: () => number;
  policy?: RequeuePolicy;
  /** The keyed fingerprint of secret values (its key is loaded on first use, by kinds with Secrets). */
  fingerprint?: () => Promise<TokenFingerprint>;
}

/** The finalizer of every kind: the same one ElastiCacheCluster has. */
export const MANAGED_FINALIZER = CLUSTER_FINALIZER;

export function kindReconciler(deps: KindControllerDeps): Reconciler {
  const policy = deps.policy ?? defaultRequeuePolicy;
  const apis = new WeakMap<AwsClients, ElastiCacheApi>();
  const apiOf = (clients: AwsClients) => {
    let api = apis.get(clients);
    if (api === undefined) {
      api = new ElastiCacheApi(clients);
      apis.set(clients, api);
    }
    return api;
  };
  const { kind } = deps;
  const history = new SecretHistory();
  // A reconcile right after our own write must not act on the informer's older copy (own-writes.ts).
  const writes = new OwnWrites((k) => deps.objects.get(k));

  return async ({ key }) => {
    let raw = writes.freshest(key);
    if (raw === undefined) {
      history.forget(key);
      return done;
    }
    const deleting = raw.metadata?.deletionTimestamp !== undefined;
    if (deleting && !hasFinalizer(raw, MANAGED_FINALIZER)) return done;
    let spec: ManagedSpec;
    try {
      spec = kind.parseSpec((raw as { spec?: unknown }).spec);
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
    const namespace = raw.metadata?.namespace ?? "default";
    const name = raw.metadata?.name ?? "";
    const policyOnDelete = spec.deletionPolicy ?? "Delete";

    if (deleting && policyOnDelete === "Delete") {
      const users = deps.graph.usersOf(kind.definition.kind, namespace, name, kind.awsName(spec));
      if (users.length > 0) {
        await blocked(
          deps,
          raw,
          "InUse",
          `deletion held: ${kind.describe(spec)} is still used by ${users.join(", ")}; delete them or stop naming it, and the deletion goes on`,
        );
        return requeueAfter(policy.missingInputMs);
      }
    }

    const provider = deps.provider(namespace, spec.providerRef);
    if (!("clients" in provider)) {
      if (deleting && policyOnDelete !== "Delete") {
        await deps.events.warning(
          raw,
          "Released",
          `${provider.message}; deletionPolicy ${policyOnDelete}: nothing done in AWS`,
        );
        await removeFinalizer(deps.rest, deps.resource, raw, MANAGED_FINALIZER);
        return done;
      }
      await blocked(deps, raw, provider.reason, provider.message);
      return deleting ? requeueAfter(30_000) : done;
    }

    const resolved: string[] = [];
    const secrets: string[] = [];
    let previousSecrets: (string | undefined)[] = [];
    let fingerprint: TokenFingerprint | undefined;
    if (!deleting) {
      for (const ref of kind.references?.(spec, statusOf(raw)) ?? []) {
        const r = deps.graph.resolve(namespace, ref);
        if ("reason" in r) {
          await blocked(deps, raw, r.reason, r.message);
          return requeueAfter(policy.missingInputMs);
        }
        resolved.push(r.awsName);
      }
      try {
        for (const input of kind.secretInputs?.(spec) ?? [])
          secrets.push(secretValue(deps.secrets, namespace, input, input.field));
      } catch (err) {
        if (!(err instanceof SecretValueError)) throw err;
        await blocked(deps, raw, err.reason, err.message);
        return requeueAfter(policy.missingInputMs);
      }
      if (secrets.length > 0) {
        previousSecrets = history.observe(key, raw.metadata?.uid ?? "", secrets).previous;
        try {
          fingerprint = await deps.fingerprint?.();
        } catch (err) {
          if (!(err instanceof FingerprintKeyError)) throw err;
          await blocked(deps, raw, err.reason, err.message);
          return requeueAfter(policy.missingInputMs);
        }
      }
    }
    const known = [...secrets, ...previousSecrets.filter((s) => s !== undefined)];

    // Another's Secret under the connection Secret's name: refused before anything is made in AWS.
    const secretName = kind.connectionSecret?.name(spec, name);
    if (!deleting && secretName !== undefined) {
      const conflict = connectionSecretConflict(deps.secrets.get(`${namespace}/${secretName}`), ownerOf(raw));
      if (conflict !== undefined) {
        await blocked(deps, raw, "SecretConflict", conflict);
        return done;
      }
    }

    const result = await managedStep({
      kind,
      spec,
      status: statusOf(raw) as ManagedStatus,
      generation: raw.metadata?.generation ?? 0,
      owner: { namespace, name, uid: raw.metadata?.uid ?? "" },
      deleting,
      adopt: raw.metadata?.annotations?.[ADOPT_ANNOTATION] === "true",
      defaultTags: provider.defaultTags,
      secrets,
      previousSecrets,
      fingerprint,
      resolved,
      api: apiOf(provider.clients),
      now: deps.now(),
      policy,
    });
    if (!result.release) {
      const status = await writeStatus(deps.rest, deps.resource, raw, result.status);
      if (status.written) writes.wrote(key, status.object);
    }
    await record(deps.events, raw, result.events, known);
    if (result.connection !== undefined && secretName !== undefined && !deleting) {
      try {
        await writeConnectionSecret(deps.rest, ownerOf(raw), secretName, result.connection, false);
      } catch (err) {
        if (!(err instanceof SecretConflictError)) throw err;
        await blocked(deps, raw, err.reason, err.message);
        return done;
      }
    }
    if (result.release) {
      await removeFinalizer(deps.rest, deps.resource, raw, MANAGED_FINALIZER);
      writes.forget(key);
      return done;
    }
    if (result.backoff) {
      const synced = result.status.conditions?.find((c) => c.type === "Synced");
      throw new Error(synced?.message ?? "reconcile failed; retrying");
    }
    return result.requeueAfterMs === undefined ? done : requeueAfter(result.requeueAfterMs);
  };
}

function ownerOf(raw: KubeObject) {
  return raw as KubeObject & { metadata: { name: string; namespace?: string; uid?: string } };
}

function statusOf(obj: KubeObject): Record<string, unknown> {
  return (obj as { status?: Record<string, unknown> }).status ?? {};
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
