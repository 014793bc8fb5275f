// One error type for everything the AWS layer throws: what kind of failure it is (so the caller
// knows whether to wait, retry, back off or report), the AWS code, the API operation, and a
// message that is safe to show a user. Raw SDK errors never leave src/aws: they can carry request
// details, and their shapes are the SDK's business.
import { globalRedactor, type SecretRedactor } from "../secrets/redact.ts";
import { type CloudErrorKind, kindOfCode, networkErrorCodes } from "./error-codes.ts";

export type { CloudErrorKind } from "./error-codes.ts";

/** STS operations; every other operation the gateway calls belongs to ElastiCache. */
const stsOperations = new Set([
  "GetCallerIdentity",
  "AssumeRole",
  "AssumeRoleWithWebIdentity",
  "AssumeRoleWithSAML",
  "GetSessionToken",
  "GetFederationToken",
  "DecodeAuthorizationMessage",
  "GetAccessKeyInfo",
]);

/** Application Auto Scaling operations the operator calls (spec.autoScaling). */
export const autoScalingOperations = new Set([
  "RegisterScalableTarget",
  "DeregisterScalableTarget",
  "DescribeScalableTargets",
  "PutScalingPolicy",
  "DeleteScalingPolicy",
  "DescribeScalingPolicies",
  "PutScheduledAction",
  "DeleteScheduledAction",
  "DescribeScheduledActions",
  "DescribeScalingActivities",
]);

/** Resource Groups Tagging API operations the operator calls (batched tag reads); IAM names them tag:. */
export const taggingOperations = new Set(["GetResources"]);

/** The IAM action that authorizes an API operation (elasticache:IncreaseReplicaCount). */
export function iamActionOf(operation: string): string {
  if (autoScalingOperations.has(operation)) return `application-autoscaling:${operation}`;
  if (taggingOperations.has(operation)) return `tag:${operation}`;
  return `${stsOperations.has(operation) ? "sts" : "elasticache"}:${operation}`;
}

export interface CloudErrorInit {
  kind: CloudErrorKind;
  /** AWS error code (CacheClusterNotFound), or the socket error code (ECONNREFUSED). */
  code: string;
  /** The API operation that failed (DescribeCacheClusters). */
  action: string;
  message: string;
  /** For AccessDenied: the IAM action that was refused. */
  iamAction?: string;
  httpStatus?: number;
  requestId?: string;
}

export class CloudError extends Error {
  override readonly name = "CloudError";
  readonly kind: CloudErrorKind;
  readonly code: string;
  readonly action: string;
  readonly iamAction?: string;
  readonly httpStatus?: number;
  readonly requestId?: string;

  constructor(init: CloudErrorInit, redactor: SecretRedactor = globalRedactor) {
    super(redactor.redact(init.message));
    this.kind = init.kind;
    this.code = init.code;
    this.action = init.action;
    if (init.iamAction !== undefined) this.iamAction = init.iamAction;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }

  /** Worth trying again later without any change: throttling, AWS-side failures, the network. */
  get retryable(): boolean {
    return this.kind === "Throttled" || this.kind === "Transient" || this.kind === "Unreachable";
  }
}

export function isCloudError(err: unknown): err is CloudError {
  return err instanceof CloudError;
}

/** Whether `err` is a CloudError of one of `kinds`. */
export function isKind(err: unknown, ...kinds: CloudErrorKind[]): err is CloudError {
  return err instanceof CloudError && kinds.includes(err.kind);
}

interface SdkLikeError {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
  cause?: unknown;
  errno?: unknown;
  address?: unknown;
  port?: unknown;
}

function asRecord(err: unknown): SdkLikeError {
  return typeof err === "object" && err !== null ? (err as SdkLikeError) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** The socket error code of `err` or of one of its causes (undici nests them). */
function networkCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const e = asRecord(current);
    const code = str(e.code) ?? str(e.errno);
    if (code !== undefined && networkErrorCodes.has(code)) return code;
    const name = str(e.name);
    if (name === "TimeoutError" || name === "RequestTimeout" || name === "AbortError") return "ETIMEDOUT";
    current = e.cause;
  }
  return undefined;
}

const deniedPattern = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/;

const hints: Record<CloudErrorKind, string> = {
  NotFound: "it does not exist (any more)",
  AlreadyExists: "a resource with this name already exists",
  Throttled: "AWS is throttling requests; retrying with backoff",
  Transient: "AWS failed on its side; retrying with backoff",
  InvalidState: "the resource is busy (not available); retrying when it is",
  Terminal: "AWS refused the request as given; change the spec or settings it names",
  AccessDenied: "",
  InvalidCredentials:
    "AWS did not accept the credentials; check the AWSProvider's access key Secrets, session token or role",
  Unreachable: "",
};

function hintFor(kind: CloudErrorKind, code: string, iamAction?: string): string {
  if (kind === "AccessDenied")
    return `grant ${iamAction} to the AWS identity in use (see docs/iam-policy.json)`;
  if (kind === "Unreachable")
    return `nothing answered (${code}); check the AWSProvider's region and endpoint, and the network`;
  if (code === "InsufficientCacheClusterCapacity")
    return "AWS has no capacity for this node type here now; retrying, or choose another node type or zone";
  return hints[kind];
}

function kindFromStatus(status: number | undefined, fault: string | undefined): CloudErrorKind {
  if (status === 429) return "Throttled";
  if (status === 401) return "InvalidCredentials";
  if (status === 403) return "AccessDenied";
  if (status === 404) return "NotFound";
  if ((status !== undefined && status >= 500) || fault === "server") return "Transient";
  if (status !== undefined && status >= 400) return "Terminal";
  return "Transient";
}

/**
 * Turns anything an SDK call threw into a CloudError. `operation` is the API operation
 * (CreateReplicationGroup): it names the IAM action when AWS's message does not, and decides whether
 * a missing thing is the target itself (NotFound) or something the request refers to (Terminal).
 */
export function classify(
  err: unknown,
  operation: string,
  redactor: SecretRedactor = globalRedactor,
): CloudError {
  if (err instanceof CloudError) return err;
  const e = asRecord(err);
  const rawMessage = str(e.message) ?? String(err);
  const net = networkCode(err);
  const awsCode = str(e.Code) ?? (e.$fault !== undefined ? str(e.name) : undefined);
  if (net !== undefined && (awsCode === undefined || awsCode === "TimeoutError")) {
    const where = str(e.address) !== undefined ? ` (${str(e.address)}:${String(e.port ?? "")})` : "";
    return new CloudError(
      {
        kind: "Unreachable",
        code: net,
        action: operation,
        message: `${operation}: cannot reach AWS${where}: ${rawMessage}; ${hintFor("Unreachable", net)}`,
      },
      redactor,
    );
  }
  const name = str(e.name);
  if (awsCode === undefined && name === "CredentialsProviderError") {
    return new CloudError(
      {
        kind: "InvalidCredentials",
        code: "CredentialsProviderError",
        action: operation,
        message: `${operation}: no AWS credentials found (${rawMessage}); set accessKeyIDRef/secretAccessKeyRef or roleARN on the AWSProvider, or give the pod an AWS identity`,
      },
      redactor,
    );
  }
  const code = awsCode ?? name ?? "Unknown";
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  let kind = kindOfCode(code) ?? kindFromStatus(status, str(e.$fault));
  // A missing subnet group, parameter group, snapshot ... named by a create or modify is a mistake
  // in the request, not the disappearance of the resource being worked on.
  if (kind === "NotFound" && !targetsOf(operation).some((t) => code.startsWith(t))) kind = "Terminal";
  // A final snapshot name that is taken cannot succeed on retry either.
  if (kind === "AlreadyExists" && operation.startsWith("Delete")) kind = "Terminal";
  let iamAction: string | undefined;
  if (kind === "AccessDenied") iamAction = deniedPattern.exec(rawMessage)?.[1] ?? iamActionOf(operation);
  const requestId = str(e.$metadata?.requestId);
  return new CloudError(
    {
      kind,
      code,
      action: operation,
      message: `${operation} failed: ${code}: ${rawMessage}; ${hintFor(kind, code, iamAction)}`,
      ...(iamAction !== undefined ? { iamAction } : {}),
      ...(status !== undefined ? { httpStatus: status } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    },
    redactor,
  );
}

/** The code prefixes that mean "the resource this operation works on is gone". */
function targetsOf(operation: string): string[] {
  if (/ReplicaCount|ShardConfiguration|ReplicationGroup/.test(operation))
    return ["ReplicationGroupNotFound", "CacheClusterNotFound", "NodeGroupNotFound"];
  if (/CacheCluster/.test(operation)) return ["CacheClusterNotFound"];
  if (/Tags|TagsForResource/.test(operation))
    return [
      "CacheClusterNotFound",
      "ReplicationGroupNotFound",
      "SnapshotNotFound",
      "ServerlessCacheNotFound",
      "TagNotFound",
    ];
  // A serverless cache naming a missing user group: only the cache's absence is the target.
  if (/ServerlessCaches?$/.test(operation)) return ["ServerlessCacheNotFound"];
  if (/Snapshot/.test(operation)) return ["SnapshotNotFound"];
  if (/SubnetGroup/.test(operation)) return ["CacheSubnetGroupNotFound"];
  if (/ParameterGroup/.test(operation)) return ["CacheParameterGroupNotFound"];
  // A user group naming a missing user, or a user group missing: only the latter is the target.
  if (/UserGroup/.test(operation)) return ["UserGroupNotFound"];
  if (/User/.test(operation)) return ["UserNotFound"];
  // Anything else: take the service's word for it.
  return [""];
}
