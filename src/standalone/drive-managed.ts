// Drives one object of the family (src/kinds/) with the runtime's step (managedStep) through the
// CLI's one loop (drive-loop.ts) until it is Ready (or gone, when deleting). It first waits for the
// objects it names to be Ready, and a Delete waits while others of the state dir still name it:
// applying or deleting a whole folder at once goes in dependency order without being told the order.
import { ADOPT_ANNOTATION } from "../planner/ownership.ts";
import type { TokenFingerprint } from "../planner/token-fingerprint.ts";
import type { ElastiCacheApi } from "../runtime/elasticache-api.ts";
import type { AnyManagedKind } from "../runtime/kind.ts";
import type { ReferenceGraph } from "../runtime/references.ts";
import { defaultRequeuePolicy } from "../runtime/requeue-policy.ts";
import { type ManagedStatus, managedStep } from "../runtime/step.ts";
import { type DriveOutcome, type DriveProgress, driveLoop } from "./drive-loop.ts";
import type { StateStore, StoredObject } from "./state-store.ts";

export interface DriveManagedOptions {
  store: StateStore;
  stored: StoredObject;
  kind: AnyManagedKind;
  api: ElastiCacheApi;
  graph: ReferenceGraph;
  defaultTags: Record<string, string>;
  /** Values of the kind's secretInputs, in order (never stored). */
  secrets: string[];
  /** The state dir's fingerprint key (fingerprint-key.ts): what status keeps of those values. */
  fingerprint?: TokenFingerprint;
  deleting: boolean;
  deadline: number;
  onProgress(p: DriveProgress): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type ManagedOutcome = DriveOutcome<ManagedStatus>;

export function driveManaged(o: DriveManagedOptions): Promise<ManagedOutcome> {
  const now = o.now ?? Date.now;
  const { namespace, name } = o.stored.metadata;
  const spec = o.kind.parseSpec(o.stored.spec);
  const awsStatus = (status: ManagedStatus) => String(status.status ?? status.ready ?? "-");
  const step = async (status: ManagedStatus) => {
    const result = await managedStep({
      kind: o.kind,
      spec,
      status,
      generation: o.stored.metadata.generation,
      owner: { namespace, name, uid: o.stored.metadata.uid },
      deleting: o.deleting,
      adopt: o.stored.metadata.annotations?.[ADOPT_ANNOTATION] === "true",
      defaultTags: o.defaultTags,
      secrets: o.secrets,
      // Only this run's values: the CLI never stores one, so a previous password is unknown to
      // the next run (a changed Secret sets the new password alone; two refs keep both).
      fingerprint: o.fingerprint,
      resolved: o.deleting ? [] : o.graph.awsNames(namespace, o.kind.references?.(spec, status) ?? []),
      api: o.api,
      now: now(),
    });
    const ready = result.status.conditions?.find((c) => c.type === "Ready");
    const synced = result.status.conditions?.find((c) => c.type === "Synced");
    return {
      ...result,
      releasedMessage: result.events.at(-1)?.message,
      done: !o.deleting && result.status.ready === true && synced?.status === "True",
      // What only a change of the spec (or of AWS) can fix.
      needsUser:
        (synced?.status === "False" && (result.requeueAfterMs ?? 0) >= defaultRequeuePolicy.blockedMs) ||
        (result.requeueAfterMs === undefined && result.events.some((e) => e.type === "Warning")),
      submitted: false,
      phase: ready?.reason ?? "Pending",
      awsStatus: awsStatus(result.status),
    };
  };
  return driveLoop<ManagedStatus>(
    { ...o, wait: true },
    {
      waiting: (status) => {
        const message = o.deleting ? heldBy(o, spec) : referencesWaiting(o, spec, status);
        return message === undefined
          ? undefined
          : { phase: o.deleting ? "InUse" : "WaitingForReference", message };
      },
      step,
      awsStatus,
      releasedMessage: `${o.kind.describe(spec)} deleted`,
      defaultPollMs: 2_000,
      maxPollMs: 5_000,
    },
  );
}

function referencesWaiting(
  o: DriveManagedOptions,
  spec: unknown,
  status: Record<string, unknown>,
): string | undefined {
  return o.graph.waitFor(o.stored.metadata.namespace, o.kind.references?.(spec, status) ?? [])?.message;
}

function heldBy(o: DriveManagedOptions, spec: { deletionPolicy?: string }): string | undefined {
  if ((spec.deletionPolicy ?? "Delete") !== "Delete") return undefined;
  const users = o.graph.usersOf(
    o.kind.definition.kind,
    o.stored.metadata.namespace,
    o.stored.metadata.name,
    o.kind.awsName(spec),
  );
  return users.length > 0 ? `deletion held: still used by ${users.join(", ")}` : undefined;
}
