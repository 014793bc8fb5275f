// Metrics for calls to AWS (or the local cloud), defined here with the other operator metrics so
// names and labels stay consistent; the cloud layer records them around each SDK call.
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
 * Runs `call`, recording its duration and outcome. `classify` names the outcome of a failure
 * (default "error"); the error is rethrown unchanged.
 */
export async function recordAwsCall<T>(
  metrics: AwsCallMetrics,
  labels: { service: string; action: string },
  call: () => Promise<T>,
  classify: (err: unknown) => string = () => "error",
  now: () => number = () => performance.now(),
): Promise<T> {
  const started = now();
  try {
    const result = await call();
    metrics.calls.inc({ ...labels, outcome: "success" });
    return result;
  } catch (err) {
    metrics.calls.inc({ ...labels, outcome: classify(err) });
    throw err;
  } finally {
    metrics.duration.observe(labels, (now() - started) / 1000);
  }
}
