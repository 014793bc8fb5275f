// Object keys: "namespace/name" for namespaced objects, "name" for cluster-scoped ones, as
// client-go's MetaNamespaceKeyFunc makes them. Queues, caches and controllers all use this form.

export interface ObjectRef {
  namespace?: string | undefined;
  name: string;
}

export interface HasMetadata {
  metadata?: { name?: string; namespace?: string } | undefined;
}

export function keyOf(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** The key of a Kubernetes object; throws when it has no `metadata.name`. */
export function objectKey(obj: HasMetadata): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error("object has no metadata.name, so it has no key");
  return keyOf({ namespace: obj.metadata?.namespace, name });
}

export function splitKey(key: string): ObjectRef {
  const slash = key.indexOf("/");
  if (slash < 0) return { name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
