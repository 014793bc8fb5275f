// Kubernetes label selector semantics (matchLabels and matchExpressions, all must hold), for a
// ClusterAWSProvider's namespaceSelector. An absent selector selects everything; an empty one too.
import type { LabelSelector } from "../api/cluster-aws-provider.ts";

export function selects(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (selector === undefined) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    const ok =
      operator === "In"
        ? has && values.includes(labels[key] as string)
        : operator === "NotIn"
          ? !has || !values.includes(labels[key] as string)
          : operator === "Exists"
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}
