// Every AWS call of the AWS layer goes through `callAws`: it bounds the call's time (timeouts.ts),
// times it, reports the outcome to the metrics hook, and turns failures into CloudErrors, so no raw
// SDK error escapes src/aws.
import { CloudError, classify } from "./errors.ts";
import { DEFAULT_AWS_TIMEOUTS } from "./timeouts.ts";

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

/** The call did not end within its time limit. */
function timedOut(operation: string, ms: number): CloudError {
  return new CloudError({
    kind: "Unreachable",
    code: "ETIMEDOUT",
    action: operation,
    message: `${operation}: no answer from AWS within ${Math.round(ms / 1000)} s; check the AWSProvider's region and endpoint, and the network`,
  });
}

/**
 * Runs one AWS call. `run` gets the signal to hand to the SDK (`send(command, { abortSignal })`);
 * it aborts after `timeoutMs`, and the call fails with a timeout then even if the SDK keeps waiting.
 */
export async function callAws<T>(
  operation: string,
  hook: CallHook | undefined,
  run: (abortSignal: AbortSignal) => Promise<T>,
  timeoutMs: number = DEFAULT_AWS_TIMEOUTS.callMs,
): Promise<T> {
  const started = performance.now();
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deadline.abort();
      reject(timedOut(operation, timeoutMs));
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([run(deadline.signal), expired]);
    report(hook, operation, "ok", started);
    return result;
  } catch (e) {
    const error = deadline.signal.aborted ? timedOut(operation, timeoutMs) : classify(e, operation);
    report(hook, operation, error.kind, started);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
