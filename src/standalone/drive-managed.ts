// Drives one object of the family (src/kinds/) with the runtime's step until it is Ready (or gone,
// when deleting), storing status and events after every step. It first waits for the objects it
// names to be Ready, and a Delete waits while others of the state dir still name it: applying or
// deleting a whole folder at once goes in dependency order without being told the order.
import { ADOPT_ANNOTATION } from "../engine/ownership.ts";
import type { TokenFingerprint } from "../engine/token-fingerprint.ts";
import type { ElastiCacheApi } from "../runtime/elasticache-api.ts";
import type { AnyManagedKind } from "../runtime/kind.ts";
import type { ReferenceGraph } from "../runtime/references.ts";
import { defaultRequeuePolicy } from "../runtime/requeue-policy.ts";
import { type ManagedStatus, managedStep } from "../runtime/step.ts";
import type { DriveOutcome, DriveProgress } from "./drive-cluster.ts";
import { type StateStore, type StoredObject, withEvents } from "./state-store.ts";

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

const MAX_POLL_MS = 5_000;
const MAX_FAILURES = 7;

export type ManagedOutcome = Omit<DriveOutcome, "status"> & { status: ManagedStatus };

export async function driveManaged(o: DriveManagedOptions): Promise<ManagedOutcome> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  const { namespace, name } = o.stored.metadata;
  const spec = o.kind.parseSpec(o.stored.spec);
  const what = o.kind.describe(spec);
  let failures = 0;
  const progress = (phase: string, message: string, status: ManagedStatus) =>
    o.onProgress({
      name,
      phase,
      awsStatus: String(status.status ?? status.ready ?? "-"),
      message,
      elapsedMs: now() - started,
    });
  for (;;) {
    const status = (o.stored.status ?? {}) as ManagedStatus;
    const waiting = o.deleting ? heldBy(o, spec) : referencesWaiting(o, spec, status);
    if (waiting !== undefined) {
      progress(o.deleting ? "InUse" : "WaitingForReference", waiting, status);
      if (now() + 1000 > o.deadline) return failed(status, `${waiting} (timed out waiting)`);
      await sleep(1000);
      continue;
    }
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
    o.stored.status = result.status;
    o.stored.events = withEvents(o.stored.events, result.events, new Date(now()));
    const ready = result.status.conditions?.find((c) => c.type === "Ready");
    const synced = result.status.conditions?.find((c) => c.type === "Synced");
    if (result.release) {
      o.store.remove(o.stored.kind, namespace, name);
      progress("Deleted", "", result.status);
      return {
        ok: true,
        message: result.events.at(-1)?.message ?? `${what} deleted`,
        status: {},
        released: true,
      };
    }
    o.store.put(o.stored);
    progress(
      result.status.ready ? "Ready" : (ready?.reason ?? "Pending"),
      ready?.message ?? "",
      result.status,
    );
    if (!o.deleting && result.status.ready === true && synced?.status === "True")
      return { ok: true, message: "Ready", status: result.status, released: false };
    if (result.backoff) {
      failures++;
      if (failures >= MAX_FAILURES) return failed(result.status, `gave up after ${failures} failed attempts`);
    } else {
      failures = 0;
      // What only a change of the spec (or of AWS) can fix: say it and stop.
      if (synced?.status === "False" && (result.requeueAfterMs ?? 0) >= defaultRequeuePolicy.blockedMs)
        return failed(result.status);
      if (result.requeueAfterMs === undefined && result.events.some((e) => e.type === "Warning"))
        return failed(result.status);
    }
    const delay = result.backoff
      ? Math.min(1000 * 2 ** (failures - 1), 30_000)
      : Math.min(result.requeueAfterMs ?? 2_000, MAX_POLL_MS);
    if (now() + delay > o.deadline)
      return failed(
        result.status,
        "timed out waiting (raise --timeout, or run the same command again to resume)",
      );
    await sleep(delay);
  }
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

function failed(status: ManagedStatus, extra?: string): ManagedOutcome {
  const synced = status.conditions?.find((c) => c.type === "Synced");
  const ready = status.conditions?.find((c) => c.type === "Ready");
  const cause = synced?.status === "False" ? synced : ready;
  const message = cause ? `${cause.reason}: ${cause.message}` : "not ready";
  return { ok: false, message: extra ? `${message} (${extra})` : message, status, released: false };
}
