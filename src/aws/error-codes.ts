// Which class every AWS error code belongs to. The ElastiCache (2015-02-02) and STS (2011-06-15)
// models name their faults twice: the shape name the SDK puts in `err.name`
// (CacheClusterNotFoundFault) and the wire code it puts in `err.Code` (CacheClusterNotFound). The
// table lists the wire codes; `codeKey` folds a shape name onto the same key, so either finds it.
// Common codes that no model lists (Throttling, AccessDenied, ...) come from the AWS Query protocol.

export type CloudErrorKind =
  | "NotFound"
  | "AlreadyExists"
  | "Throttled"
  | "Transient"
  | "InvalidState"
  | "Terminal"
  | "AccessDenied"
  | "InvalidCredentials"
  | "Unreachable";

/** Lower-cased code without the "Fault"/"Exception" suffix the shape names carry. */
export function codeKey(code: string): string {
  return code.replace(/(Fault|Exception)$/, "").toLowerCase();
}

const byKind: Record<CloudErrorKind, string[]> = {
  NotFound: [
    "CacheClusterNotFound",
    "ReplicationGroupNotFound",
    "CacheParameterGroupNotFound",
    "CacheSecurityGroupNotFound",
    "CacheSubnetGroupNotFound",
    "SnapshotNotFound",
    "UserNotFound",
    "UserGroupNotFound",
    "GlobalReplicationGroupNotFound",
    "NodeGroupNotFound",
    "ReservedCacheNodeNotFound",
    "ReservedCacheNodesOfferingNotFound",
    "ServerlessCacheNotFound",
    "ServerlessCacheSnapshotNotFound",
    "ServiceUpdateNotFound",
    // Application Auto Scaling
    "ObjectNotFound",
    "AuthorizationNotFound",
    "TagNotFound",
  ],
  AlreadyExists: [
    "CacheClusterAlreadyExists",
    "ReplicationGroupAlreadyExists",
    "CacheParameterGroupAlreadyExists",
    "CacheSecurityGroupAlreadyExists",
    "CacheSubnetGroupAlreadyExists",
    "SnapshotAlreadyExists",
    "GlobalReplicationGroupAlreadyExists",
    "ReservedCacheNodeAlreadyExists",
    "ServerlessCacheAlreadyExists",
    "ServerlessCacheSnapshotAlreadyExists",
    "UserAlreadyExists",
    "UserGroupAlreadyExists",
    "AuthorizationAlreadyExists",
    "DuplicateUserName",
  ],
  Throttled: [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "SlowDown",
    "BandwidthLimitExceeded",
    "PriorRequestNotComplete",
    "APICallRateForCustomerExceeded",
  ],
  Transient: [
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "Unavailable",
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "InternalServiceError",
    "InternalService",
    "RequestTimeout",
    "RequestTimeoutException",
    "IDPCommunicationError",
    // Capacity comes back in AWS's own time; retried with backoff, the message says what else helps.
    "InsufficientCacheClusterCapacity",
  ],
  InvalidState: [
    "InvalidCacheClusterState",
    "InvalidReplicationGroupState",
    "InvalidSnapshotState",
    "InvalidCacheParameterGroupState",
    "InvalidCacheSecurityGroupState",
    "InvalidGlobalReplicationGroupState",
    "InvalidServerlessCacheState",
    "InvalidServerlessCacheSnapshotState",
    "InvalidUserState",
    "InvalidUserGroupState",
    "ReplicationGroupAlreadyUnderMigration",
    "ServerlessCacheAlreadyUnderMigration",
    "ServerlessCacheNotUnderMigration",
    "MigrationHealth",
    "TestFailoverNotAvailable",
    "CacheSubnetGroupInUse",
    "SubnetInUse",
    "ConcurrentModification",
    "ConcurrentUpdate",
  ],
  Terminal: [
    // Application Auto Scaling (JSON protocol: ValidationException, LimitExceededException, ...)
    "Validation",
    "LimitExceeded",
    "FailedResourceAccess",
    "InvalidNextToken",
    "InvalidParameterValue",
    "InvalidParameterCombination",
    "InvalidParameter",
    "ValidationError",
    "MissingParameter",
    "MissingAction",
    "InvalidAction",
    "InvalidQueryParameter",
    "MalformedQueryString",
    "UnsupportedOperation",
    "OptInRequired",
    "InvalidARN",
    "InvalidKMSKey",
    "InvalidSubnet",
    "InvalidVPCNetworkState",
    "SubnetNotAllowed",
    "SnapshotFeatureNotSupported",
    "ServiceLinkedRoleNotFound",
    "ReplicationGroupNotUnderMigration",
    "NoOperation",
    "DefaultUserRequired",
    "DefaultUserAssociatedToUserGroup",
    // ElastiCache's own InvalidCredentialsException concerns IAM auth of cache users, not ours.
    "InvalidCredentials",
    "ClusterQuotaForCustomerExceeded",
    "NodeQuotaForClusterExceeded",
    "NodeQuotaForCustomerExceeded",
    "NodeGroupsPerReplicationGroupQuotaExceeded",
    "TagQuotaPerResourceExceeded",
    "CacheParameterGroupQuotaExceeded",
    "QuotaExceeded.CacheSecurityGroup",
    "CacheSecurityGroupQuotaExceeded",
    "CacheSubnetGroupQuotaExceeded",
    "CacheSubnetQuotaExceeded",
    "SnapshotQuotaExceeded",
    "ReservedCacheNodeQuotaExceeded",
    "ServerlessCacheQuotaForCustomerExceeded",
    "ServerlessCacheSnapshotQuotaExceeded",
    "UserQuotaExceeded",
    "UserGroupQuotaExceeded",
    // STS
    "MalformedPolicyDocument",
    "PackedPolicyTooLarge",
    "RegionDisabled",
    "InvalidAuthorizationMessage",
    "InsufficientSessionLifetime",
    "JWTPayloadSizeExceeded",
    "OutboundWebIdentityFederationDisabled",
    "SessionDurationEscalation",
  ],
  AccessDenied: [
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "NotAuthorized",
  ],
  InvalidCredentials: [
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidAccessKeyId",
    "UnrecognizedClientException",
    "IncompleteSignature",
    "InvalidSignatureException",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "AuthFailure",
    "RequestExpired",
    "InvalidIdentityToken",
    "IDPRejectedClaim",
    "ExpiredTradeInToken",
    "InvalidContextAssertion",
    "InvalidSubjectCredentials",
  ],
  Unreachable: [],
};

const table = new Map<string, CloudErrorKind>();
for (const [kind, codes] of Object.entries(byKind) as Array<[CloudErrorKind, string[]]>) {
  for (const code of codes) table.set(codeKey(code), kind);
}

/** The kind a code belongs to, or undefined when no table lists it. */
export function kindOfCode(code: string): CloudErrorKind | undefined {
  return table.get(codeKey(code));
}

/** Every code of the table (tests check the service models against it). */
export function knownCodes(): string[] {
  return Object.values(byKind).flat();
}

/** Socket-level failures: nothing answered, so nothing was done. */
export const networkErrorCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNRESET",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);
