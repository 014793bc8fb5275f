// Which objects use a provider, for any kind with spec.providerRef: the shard key a controller
// hands work out by, and the objects to wake when the provider changes.
import type { Informer } from "../kube/informer.ts";
import { objectKey, splitKey } from "../kube/keys.ts";
import type { KubeObject } from "../kube/rest.ts";

export function providerRefOf(obj: KubeObject): { kind?: string; name?: string } {
  return (obj as { spec?: { providerRef?: { kind?: string; name?: string } } }).spec?.providerRef ?? {};
}

/** The shard of an object's key: the provider it uses. */
export function providerShard(objects: Informer<KubeObject>, key: string): string {
  const o = objects.get(key);
  const ref = o === undefined ? {} : providerRefOf(o);
  if (ref.kind === "ClusterAWSProvider") return `ClusterAWSProvider/${ref.name ?? ""}`;
  return `${splitKey(key).namespace ?? ""}/${ref.name ?? ""}`;
}

/** Objects naming this provider: an AWSProvider of their namespace, or a ClusterAWSProvider. */
export function usingProvider(objects: Informer<KubeObject>, provider: KubeObject): string[] {
  const ns = provider.metadata?.namespace;
  return objects
    .list()
    .filter((o) => {
      const ref = providerRefOf(o);
      if (ref.name !== provider.metadata?.name) return false;
      return ns === undefined
        ? ref.kind === "ClusterAWSProvider"
        : ref.kind !== "ClusterAWSProvider" && o.metadata?.namespace === ns;
    })
    .map((o) => objectKey(o));
}
