// Time limits of every AWS call, so an endpoint that accepts connections and never answers (a
// tarpit, a black-holed route) costs a bounded time and never holds a worker forever:
// - connecting: `connectMs`;
// - one HTTP attempt, request sent to response read: `attemptMs` (the SDK retries after it);
// - the whole call with the SDK's retries and credential fetches: `callMs`, enforced by an abort
//   signal handed to the SDK and by callAws itself, which stops waiting then.

export interface AwsTimeouts {
  connectMs: number;
  attemptMs: number;
  callMs: number;
}

export const DEFAULT_AWS_TIMEOUTS: AwsTimeouts = { connectMs: 5_000, attemptMs: 10_000, callMs: 30_000 };

/** The SDK client's `requestHandler` settings (NodeHttpHandler options) for these limits. */
export function sdkRequestHandler(t: AwsTimeouts = DEFAULT_AWS_TIMEOUTS) {
  return {
    connectionTimeout: t.connectMs,
    requestTimeout: t.attemptMs,
    // Without it a breached request timeout is only logged by the SDK.
    throwOnRequestTimeout: true,
    socketTimeout: t.attemptMs,
  };
}
