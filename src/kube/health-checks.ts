// The checks /healthz and /readyz run, built from the kit's parts.
import type { Controller } from "./controller.ts";
import type { HealthCheck } from "./health-server.ts";
import type { Informer } from "./informer.ts";
import type { LeaderElector } from "./leader-election.ts";
import type { KubeObject } from "./rest.ts";

type AnyInformer = Pick<Informer<KubeObject>, "hasSynced" | "health" | "type">;

/**
 * Liveness: fails when an informer died or has failed for too long, or when a controller's queue
 * stalled (keys waiting, no worker taking any) or a reconcile hangs. A restart fixes those.
 */
export function livenessChecks(
  informers: ReadonlyArray<AnyInformer>,
  controllers: ReadonlyArray<Pick<Controller, "health" | "kind">>,
): HealthCheck[] {
  return [
    ...informers.map((i) => ({ name: `informer-${i.type.plural}`, check: () => i.health() })),
    ...controllers.map((c) => ({ name: `controller-${c.kind.toLowerCase()}`, check: () => c.health() })),
  ];
}

/**
 * Readiness: ready once every informer has synced. With leader election, a replica that is not
 * leading is ready too: it is a healthy standby (its informers start only when it leads), and
 * holding it unready would stall rolling updates.
 */
export function readinessChecks(
  informers: ReadonlyArray<AnyInformer>,
  elector?: Pick<LeaderElector, "isLeader">,
): HealthCheck[] {
  return [
    {
      name: "informers-synced",
      check: () => {
        if (elector !== undefined && !elector.isLeader()) return undefined;
        const pending = informers.filter((i) => !i.hasSynced()).map((i) => i.type.plural);
        return pending.length === 0 ? undefined : `not synced yet: ${pending.join(", ")}`;
      },
    },
  ];
}
