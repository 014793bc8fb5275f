// Ownership tags: every resource infra-operator creates names the object that owns it, so a
// create that finds an existing resource adopts only its own (DESIGN.md, "Ownership").

export const OWNER_TAG = "infra-operator.runner.codes/owner";
export const UID_TAG = "infra-operator.runner.codes/uid";
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

/** Owned when the owner tag names this object (namespace/name; a re-created object of the same name re-adopts). */
export function isOwnedBy(tags: Record<string, string>, owner: OwnerRef): boolean {
  return tags[OWNER_TAG] === ownerTagValue(owner);
}
