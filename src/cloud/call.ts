// Every AWS call of the cloud layer goes through `callAws`: it times the call, reports the outcome to
// the metrics hook, and turns failures into CloudErrors, so no raw SDK error escapes src/cloud.
import { classify } from "./errors.ts";

/** "ok", or the CloudError kind of the failure (Throttled, NotFound, ...). */
export type CallOutcome = string;

/** Called after every AWS call: operation (DescribeCacheClusters), outcome, duration in ms. */
export type CallHook = (operation: string, outcome: CallOutcome, ms: number) => void;

function report(hook: CallHook | undefined, operation: string, outcome: CallOutcome, started: number): void {
  try {
    hook?.(operation, outcome, performance.now() - started);
  } catch {
    // Metrics must never change the result of an AWS call.
  }
}

export async function callAws<T>(
  operation: string,
  hook: CallHook | undefined,
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await run();
    report(hook, operation, "ok", started);
    return result;
  } catch (e) {
    const error = classify(e, operation);
    report(hook, operation, error.kind, started);
    throw error;
  }
}
