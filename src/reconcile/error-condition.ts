// How an AWS failure shows up to the user, and when to try again.
import { CloudError } from "../aws/errors.ts";
import { defaultRequeuePolicy, type RequeuePolicy } from "../runtime/requeue-policy.ts";

export interface FailureVerdict {
  reason: string;
  message: string;
  /** Milliseconds until the next attempt; undefined: wait for a change (or the periodic resync). */
  retryAfterMs?: number;
  /** Retry with the controller's exponential backoff. */
  backoff: boolean;
  /** AWS did not answer (network, or 5xx): the failure ends when AWS answers again. */
  awsDown?: boolean;
}

/** `policy` says when to try again (src/runtime/requeue-policy.ts). */
export function failureVerdict(
  err: unknown,
  policy: Pick<RequeuePolicy, "blockedMs" | "awsBusyMs" | "notFoundMs"> = defaultRequeuePolicy,
): FailureVerdict {
  if (!(err instanceof CloudError)) {
    return { reason: "ReconcileError", message: String((err as Error)?.message ?? err), backoff: true };
  }
  switch (err.kind) {
    case "AccessDenied":
      return {
        reason: "AccessDenied",
        message: `AWS refused ${err.action}: the AWS identity lacks ${err.iamAction ?? `elasticache:${err.action}`}; add it to the IAM policy (see docs/iam-policy.json)`,
        retryAfterMs: policy.blockedMs,
        backoff: false,
      };
    case "InvalidCredentials":
      return {
        reason: "InvalidCredentials",
        message: `AWS did not accept the provider's credentials (${err.code}): fix the AWSProvider's keys or role`,
        retryAfterMs: policy.blockedMs,
        backoff: false,
      };
    case "Throttled":
      return {
        reason: "Throttled",
        message: `AWS throttled ${err.action}; retrying with backoff`,
        backoff: true,
      };
    case "Transient":
      return {
        reason: "AWSUnavailable",
        message: `${err.action} failed on AWS's side (${err.code}); retrying`,
        backoff: true,
        awsDown: true,
      };
    case "Unreachable":
      return {
        reason: "AWSUnreachable",
        message: `cannot reach AWS for ${err.action}: ${err.message}`,
        backoff: true,
        awsDown: true,
      };
    case "InvalidState":
      return {
        reason: "Waiting",
        message: `AWS cannot do ${err.action} in the cache's current state (${err.code}); trying again shortly`,
        retryAfterMs: policy.awsBusyMs,
        backoff: false,
      };
    case "NotFound":
      return {
        reason: "NotFound",
        message: `${err.action}: ${err.message}`,
        retryAfterMs: policy.notFoundMs,
        backoff: false,
      };
    default:
      return {
        reason: "AWSRejected",
        message: `AWS rejected ${err.action} (${err.code}): ${err.message} — change the spec accordingly`,
        backoff: false,
      };
  }
}
