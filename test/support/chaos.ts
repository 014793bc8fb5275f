// Helpers of the chaos suite (test/e2e/chaos/): what AWS holds, which replica sent which call, and
// the leader Lease, read from the outside (the local cloud's counts, the API server), never from
// the operator's own reports.
import { DescribeCacheClustersCommand, type ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { isMutatingOperation } from "../../src/aws/mutation-fence.ts";
import type { CallCounts } from "../../src/localcloud/admin/call-counter.ts";
import { kubectl } from "./kubectl.ts";
import type { Manifest } from "./manifests.ts";
import type { OperatorProcess } from "./operator.ts";
import { clusterObject } from "./operator-env.ts";
import { waitFor } from "./wait.ts";

/** Mutating ElastiCache calls (all but the Describe and List ones) in `counts`, of one client or all. */
export function mutations(counts: CallCounts, client?: string): number {
  const byAction = client === undefined ? counts.byAction : (counts.byClient[client] ?? {});
  let n = 0;
  for (const [action, count] of Object.entries(byAction)) {
    const [service, operation = ""] = action.split(":");
    if (service === "elasticache" && isMutatingOperation(operation)) n += count;
  }
  return n;
}

/** ElastiCache calls of any kind in `counts`. */
export function elasticacheCalls(counts: CallCounts): number {
  return Object.entries(counts.byAction)
    .filter(([a]) => a.startsWith("elasticache:"))
    .reduce((n, [, c]) => n + c, 0);
}

/** The identity the operator logged at start: its Lease holder name and its AWS client app id. */
export async function operatorIdentity(operator: OperatorProcess): Promise<string> {
  const line = await waitFor(
    "the operator to log its identity",
    async () =>
      operator
        .log()
        .split("\n")
        .find((l) => l.includes('"operator starting"')) ?? "",
    (l) => l !== "",
    30_000,
    100,
  );
  const identity = (JSON.parse(line) as { identity?: string }).identity;
  if (!identity) throw new Error(`no identity in the operator's start line: ${line}`);
  return identity.slice(-50);
}

/** The holder of the Lease infra-operator-leader in `namespace` ("" when free or absent). */
export async function leaseHolder(namespace: string): Promise<string> {
  const r = await kubectl([
    "get",
    "lease",
    "infra-operator-leader",
    "-n",
    namespace,
    "-o",
    "jsonpath={.spec.holderIdentity}",
  ]);
  return r.code === 0 ? r.stdout.trim() : "";
}

/** Every cache cluster id AWS has (replication group members included). */
export async function awsClusterIds(aws: ElastiCacheClient): Promise<string[]> {
  const out = await aws.send(new DescribeCacheClustersCommand({}));
  return (out.CacheClusters ?? []).map((c) => c.CacheClusterId ?? "").sort();
}

/** A random whole number of milliseconds in [min, max). */
export function randomMs(min: number, max: number): number {
  return Math.floor(min + Math.random() * (max - min));
}

/** The chaos suite's cache: single-node Redis, the cheapest thing the local cloud runs. */
export function smallRedis(name: string, spec: Record<string, unknown> = {}): Manifest {
  return clusterObject(name, { clusterID: name, engine: "redis", nodeType: "cache.t3.micro", ...spec });
}
