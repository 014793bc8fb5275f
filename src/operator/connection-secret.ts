// The connection Secret of a cluster: owned by the ElastiCacheCluster (garbage-collected with it),
// written only when its data changes.

import { coreResources } from "../kube/resource.ts";
import { isNotFound, type KubeObject, type KubeRest } from "../kube/rest.ts";
import type { SecretObject } from "./secret-values.ts";

export function connectionSecretName(cluster: {
  metadata: { name: string };
  spec: { connectionSecret?: { name?: string } };
}): string {
  return cluster.spec.connectionSecret?.name ?? `${cluster.metadata.name}-connection`;
}

/**
 * Makes the Secret hold `data` (plain strings). Keeps the previous `authToken` when the new data
 * has none but `keepToken` says one is expected (a token being checked is not dropped).
 * Returns true when something was written.
 */
export async function writeConnectionSecret(
  rest: KubeRest,
  owner: KubeObject & { metadata: { name: string; namespace?: string; uid?: string } },
  name: string,
  data: Record<string, string>,
  keepToken: boolean,
): Promise<boolean> {
  const namespace = owner.metadata.namespace ?? "default";
  let existing: SecretObject | undefined;
  try {
    existing = await rest.get<SecretObject>(coreResources.secrets, { namespace, name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const encoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
  );
  if (keepToken && encoded.authToken === undefined && existing?.data?.authToken !== undefined) {
    encoded.authToken = existing.data.authToken;
  }
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
    await rest.create(coreResources.secrets, body);
    return true;
  }
  if (JSON.stringify(sorted(existing.data ?? {})) === JSON.stringify(sorted(encoded))) return false;
  await rest.replace(coreResources.secrets, {
    ...body,
    metadata: { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion },
  } as SecretObject);
  return true;
}

function sorted(data: Record<string, string>): Array<[string, string]> {
  return Object.entries(data).sort(([a], [b]) => a.localeCompare(b));
}
