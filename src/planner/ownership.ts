// Ownership tags: every resource infra-operator creates names the object that owns it, so a
// create that finds an existing resource adopts only its own (DESIGN.md, "Ownership").
//
// Ownership is the object's uid, not its namespace/name: a new object that merely has the same
// name as one that was deleted (with deletionPolicy Orphan, say, while AWS was unreachable and the
// tags could not be removed) is a different object and gets nothing without consent. The one
// documented exception is Retain: the deleted object marks the resource as retained (the marker
// carries its uid), and a new object of the same name re-adopts exactly such a resource.

export const OWNER_TAG = "infra-operator.runner.codes/owner";
export const UID_TAG = "infra-operator.runner.codes/uid";
/** Set by a Retain deletion to the uid of the deleted object: a new object of that name re-adopts. */
export const RETAINED_TAG = "infra-operator.runner.codes/retained";
/** Annotation that lets an object adopt an existing resource that it did not create. */
export const ADOPT_ANNOTATION = "infra-operator.runner.codes/adopt";

export interface OwnerRef {
  namespace: string;
  name: string;
  uid: string;
}

export function ownerTagValue(owner: OwnerRef): string {
  return `${owner.namespace}/${owner.name}`;
}

export function ownershipTags(owner: OwnerRef): Record<string, string> {
  return { [OWNER_TAG]: ownerTagValue(owner), [UID_TAG]: owner.uid };
}

/**
 * - owned: the uid tag is this object's; or only the owner tag exists and names it (tags written
 *   before the uid decided ownership: the tag sync adds the uid tag, migrating them);
 * - retained: a deleted object of the same name left it with deletionPolicy Retain;
 * - foreign: anything else, including an earlier object of the same name that orphaned it.
 */
export type Ownership = "owned" | "retained" | "foreign";

export function ownershipOf(tags: Record<string, string>, owner: OwnerRef): Ownership {
  const uid = tags[UID_TAG];
  if (uid !== undefined && uid === owner.uid) return "owned";
  if (tags[OWNER_TAG] !== ownerTagValue(owner)) return "foreign";
  if (uid === undefined) return "owned";
  return tags[RETAINED_TAG] === uid ? "retained" : "foreign";
}

/** This very object owns it: the only case in which it may be changed on deletion or deleted. */
export function isOwnedBy(tags: Record<string, string>, owner: OwnerRef): boolean {
  return ownershipOf(tags, owner) === "owned";
}

/** May be taken over without the adopt annotation: ours, or Retained by an object of this name. */
export function mayAdoptWithoutConsent(tags: Record<string, string>, owner: OwnerRef): boolean {
  return ownershipOf(tags, owner) !== "foreign";
}
