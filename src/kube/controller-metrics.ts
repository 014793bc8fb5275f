// The metrics every controller reports, created once per registry and shared by all controllers
// (the `kind` label tells them apart).
import type { Counter, Gauge, Histogram, Registry } from "./metrics.ts";

/** Outcome of one reconcile, the `result` label of `infra_operator_reconcile_total`. */
export type ReconcileOutcome = "success" | "requeue" | "error" | "terminal";

export interface ControllerMetrics {
  reconciles: Counter;
  duration: Histogram;
  queueDepth: Gauge;
}

export function createControllerMetrics(registry: Registry): ControllerMetrics {
  return {
    reconciles: registry.counter(
      "infra_operator_reconcile_total",
      "Reconciles by kind and result (success, requeue, error, terminal).",
      ["kind", "result"],
    ),
    duration: registry.histogram(
      "infra_operator_reconcile_duration_seconds",
      "Time spent in one reconcile, by kind.",
      ["kind"],
    ),
    queueDepth: registry.gauge(
      "infra_operator_workqueue_depth",
      "Keys ready and waiting for a worker, by kind.",
      ["kind"],
    ),
  };
}
