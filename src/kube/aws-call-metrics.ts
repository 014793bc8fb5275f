// Metrics for calls to AWS (or the local cloud), defined here with the other operator metrics so
// names and labels stay consistent; the AWS layer records them around each SDK call.
import type { Counter, Histogram, Registry } from "./metrics.ts";

export interface AwsCallMetrics {
  /** `action` is the API action (e.g. "CreateReplicationGroup"); `outcome` "success" or an error class. */
  calls: Counter;
  duration: Histogram;
}

export function createAwsCallMetrics(registry: Registry): AwsCallMetrics {
  return {
    calls: registry.counter(
      "infra_operator_aws_calls_total",
      "AWS API calls by service, action and outcome (ok, or the error class: Throttled, NotFound, AccessDenied, ...).",
      ["service", "action", "outcome"],
    ),
    duration: registry.histogram(
      "infra_operator_aws_call_duration_seconds",
      "Duration of AWS API calls by service and action.",
      ["service", "action"],
    ),
  };
}

/**
 * Records one finished call. The AWS layer times every SDK call and reports it through its
 * `onCall` hook (operation, outcome "ok" or the error class, milliseconds); this turns it into metrics.
 */
export function recordAwsCall(
  metrics: AwsCallMetrics,
  labels: { service: string; action: string },
  outcome: string,
  ms: number,
): void {
  metrics.calls.inc({ ...labels, outcome });
  metrics.duration.observe(labels, ms / 1000);
}
