// What deleting the object does to AWS, by deletionPolicy (read at deletion time):
// Delete (delete, wait until gone), Snapshot (final snapshot, then delete), Retain (leave it, marked
// as retained so a new object of the same name re-adopts it), Orphan (leave it, strip our tags).
// Nothing is ever deleted or changed that this object (by uid) does not own.
import type { Action, ObservedCache } from "./model.ts";
import { isOwnedBy, OWNER_TAG, RETAINED_TAG, UID_TAG } from "./ownership.ts";
import type { PlanInput, PlanResult } from "./plan-types.ts";
import { waiting } from "./wait.ts";

export interface DeletionResult extends PlanResult {
  /** The finalizer may be removed: nothing more to do in AWS. */
  release: boolean;
}

/** States in which AWS refuses a delete; wait them out (a delete "survives modifying"). */
const BUSY = ["creating", "modifying", "snapshotting", "rebooting cluster nodes", "backing-up"];

export function planDeletion(input: PlanInput): DeletionResult {
  const { spec, observed, memory } = input;
  const policy = spec.deletionPolicy;
  const released = (message: string, action: Action = { type: "none" }): DeletionResult => ({
    action,
    reason: "Deleted",
    message,
    terminal: false,
    ready: false,
    memory,
    release: true,
  });

  if (observed === undefined) return released(`${spec.clusterID} does not exist in AWS`);
  if (policy === "Retain") return retain(input, observed, released);

  // Ownership is decided by the tags AWS holds now, not by what this object remembers creating:
  // after our cache is gone, another object (or person) may create one with the same ID before
  // our finalizer is released, and that one must survive our delete.
  if (observed.tags !== undefined && !isOwnedBy(observed.tags, input.owner)) {
    if (policy === "Orphan" && memory.topology !== undefined)
      return released(`deletionPolicy Orphan: ${observed.id} is left running, no longer managed`);
    return released(
      `deletionPolicy Retain: ${observed.id} is not owned by this object: left untouched in AWS`,
    );
  }

  if (policy === "Orphan") {
    if (observed.tags === undefined) return readTags(input, observed);
    const ours = [OWNER_TAG, UID_TAG].filter((k) => k in (observed.tags ?? {}));
    if (ours.length === 0)
      return released(`deletionPolicy Orphan: ${observed.id} is left running, no longer managed`);
    return {
      ...released(`deletionPolicy Orphan: removing infra-operator's tags from ${observed.id}`, {
        type: "removeTags",
        arn: observed.arn,
        keys: ours,
      }),
      release: false,
    };
  }

  // Delete or Snapshot.
  if (observed.status === "deleting") {
    return { ...waiting(input, "Deleting", `AWS is deleting ${observed.id}`), release: false };
  }
  if (BUSY.includes(observed.status)) {
    return {
      ...waiting(input, "Deleting", `${observed.id} is ${observed.status}; deleting it once AWS allows`),
      release: false,
    };
  }
  // The one destructive call: only after the tags were read and name this object.
  if (observed.tags === undefined) return readTags(input, observed);
  const finalSnapshotName =
    policy === "Snapshot" ? (spec.finalSnapshotName ?? `${spec.clusterID}-final`) : undefined;
  return {
    action: { type: "delete", topology: observed.topology, id: observed.id, finalSnapshotName },
    reason: "Deleting",
    message: finalSnapshotName
      ? `taking final snapshot ${finalSnapshotName}, then deleting ${observed.id}`
      : `deleting ${observed.id}`,
    terminal: false,
    ready: false,
    memory,
    release: false,
  };
}

// Retain marks the resource with this object's uid, the proof a new object of the same name needs
// to re-adopt it (a name alone is not enough: see ownership.ts).
function retain(
  input: PlanInput,
  observed: ObservedCache,
  released: (message: string, action?: Action) => DeletionResult,
): DeletionResult {
  const kept = `deletionPolicy Retain: ${observed.id} is left running in AWS; a new object named ${input.owner.namespace}/${input.owner.name} re-adopts it`;
  if (observed.tags === undefined) return readTags(input, observed);
  if (!isOwnedBy(observed.tags, input.owner))
    return released(
      `deletionPolicy Retain: ${observed.id} is not owned by this object: left untouched in AWS`,
    );
  if (observed.tags[RETAINED_TAG] === input.owner.uid) return released(kept);
  return released(kept, {
    type: "addTags",
    arn: observed.arn,
    tags: { [UID_TAG]: input.owner.uid, [RETAINED_TAG]: input.owner.uid },
  });
}

function readTags(input: PlanInput, observed: ObservedCache): DeletionResult {
  return {
    action: { type: "readTags", arn: observed.arn },
    reason: "Deleting",
    message: `checking that ${observed.id} belongs to this object before touching it`,
    terminal: false,
    ready: false,
    memory: input.memory,
    release: false,
  };
}
