// The connection Secret of a cluster (or of a family kind with a connectionSecret, such as a
// serverless cache): owned by its object (garbage-collected with it),
// written only when its data changes, and only while this cluster is its controller owner. A
// Secret someone else made under that name (another team's credentials, say) is never touched:
// overwriting it would replace its data, and owning it would let deleting the cache delete it.

import { coreResources } from "../kube/resource.ts";
import { isAlreadyExists, isNotFound, type KubeObject, type KubeRest } from "../kube/rest.ts";
import type { SecretObject } from "../secrets/secret-values.ts";

export function connectionSecretName(cluster: {
  metadata: { name: string };
  spec: { connectionSecret?: { name?: string } };
}): string {
  return cluster.spec.connectionSecret?.name ?? `${cluster.metadata.name}-connection`;
}

type Owner = KubeObject & { metadata: { name: string; namespace?: string; uid?: string } };

/** The connection Secret exists but belongs to someone else; nothing was written. */
export class SecretConflictError extends Error {
  readonly reason = "SecretConflict";
}

/**
 * Why the operator may not write `secret` for `owner` (its controller owner is not `owner`), or
 * undefined when it may (no such Secret yet, or one this cluster controls).
 */
interface OwnerReference {
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

/** The ownerReference marked controller (the one owner garbage collection and adoption follow). */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  const refs = obj.metadata?.ownerReferences as OwnerReference[] | undefined;
  return refs?.find((r) => r.controller === true);
}

export function connectionSecretConflict(secret: SecretObject | undefined, owner: Owner): string | undefined {
  if (secret === undefined) return undefined;
  const controller = controllerOf(secret);
  if (controller !== undefined && controller.uid === owner.metadata.uid) return undefined;
  const holder =
    controller === undefined ? "no controller owner" : `controlled by ${controller.kind} ${controller.name}`;
  return conflictMessage(owner, secret.metadata?.name ?? "", holder);
}

function conflictMessage(owner: Owner, name: string, holder: string): string {
  const namespace = owner.metadata.namespace ?? "default";
  return (
    `Secret ${namespace}/${name} (spec.connectionSecret.name) already exists and is not ${ownerWord(owner)}'s ` +
    `(${holder}): the operator leaves it untouched; set spec.connectionSecret.name to a name no Secret ` +
    `has, or delete that Secret if ${ownerWord(owner)} should own it`
  );
}

/** "this cluster" for ElastiCacheCluster, "this serverless cache" etc. for the family's kinds. */
function ownerWord(owner: Owner): string {
  const kind = (owner.kind ?? "ElastiCacheCluster").replace(/^ElastiCache/, "");
  return `this ${kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}`;
}

/**
 * Makes the Secret hold `data` (plain strings). Keeps the previous `authToken` when the new data
 * has none but `keepToken` says one is expected (a token being checked is not dropped).
 * Returns true when something was written; throws SecretConflictError when the Secret is not ours.
 *
 * `cached` is the informer's copy: when it is ours and already holds this data, nothing is sent
 * (a settled fleet's reconciles then make no Secret request at all; a restart re-verifying 10,000
 * caches would otherwise read 10,000 Secrets). A stale copy is harmless: the change that made it
 * stale is a watch event of that Secret, which reconciles its owner again with the newer copy.
 * Otherwise the Secret is read from the API server, so a write never starts from a stale copy.
 */
export async function writeConnectionSecret(
  rest: KubeRest,
  owner: Owner,
  name: string,
  data: Record<string, string>,
  keepToken: boolean,
  cached?: SecretObject,
): Promise<boolean> {
  if (
    cached !== undefined &&
    connectionSecretConflict(cached, owner) === undefined &&
    sameData(cached, encode(data, keepToken, cached))
  )
    return false;
  const namespace = owner.metadata.namespace ?? "default";
  let existing: SecretObject | undefined;
  try {
    existing = await rest.get<SecretObject>(coreResources.secrets, { namespace, name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const conflict = connectionSecretConflict(existing, owner);
  if (conflict !== undefined) throw new SecretConflictError(conflict);
  const encoded = encode(data, keepToken, existing);
  const ownerRef = {
    apiVersion: owner.apiVersion ?? "",
    kind: owner.kind ?? "",
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
  const body: SecretObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name,
      namespace,
      labels: { "app.kubernetes.io/managed-by": "infra-operator" },
      ownerReferences: [ownerRef],
    },
    type: "Opaque",
    data: encoded,
  } as SecretObject;
  if (existing === undefined) {
    try {
      await rest.create(coreResources.secrets, body);
    } catch (err) {
      // Someone created it since the read: theirs, not ours.
      if (isAlreadyExists(err))
        throw new SecretConflictError(conflictMessage(owner, name, "created by someone else just now"));
      throw err;
    }
    return true;
  }
  if (sameData(existing, encoded)) return false;
  // The resourceVersion makes the update fail if the Secret changed hands since the read.
  await rest.replace(coreResources.secrets, {
    ...body,
    metadata: { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion },
  } as SecretObject);
  return true;
}

/** `data` base64-encoded, with the existing Secret's authToken kept when `keepToken` asks for it. */
function encode(
  data: Record<string, string>,
  keepToken: boolean,
  existing: SecretObject | undefined,
): Record<string, string> {
  const encoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
  );
  if (keepToken && encoded.authToken === undefined && existing?.data?.authToken !== undefined) {
    encoded.authToken = existing.data.authToken;
  }
  return encoded;
}

function sameData(secret: SecretObject, encoded: Record<string, string>): boolean {
  return JSON.stringify(sorted(secret.data ?? {})) === JSON.stringify(sorted(encoded));
}

function sorted(data: Record<string, string>): Array<[string, string]> {
  return Object.entries(data).sort(([a], [b]) => a.localeCompare(b));
}
