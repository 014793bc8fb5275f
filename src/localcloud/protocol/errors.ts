// An error answered to the client as an AWS Query-protocol <ErrorResponse>.

/** HTTP statuses of the common (not service-modelled) AWS error codes. */
const commonStatus: Record<string, number> = {
  AccessDenied: 403,
  IncompleteSignature: 400,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  InvalidParameterCombination: 400,
  InvalidParameterValue: 400,
  MalformedQueryString: 400,
  MissingAction: 400,
  MissingAuthenticationToken: 403,
  MissingParameter: 400,
  RequestExpired: 400,
  SignatureDoesNotMatch: 403,
  ExpiredToken: 403,
  Throttling: 400,
  ServiceUnavailable: 503,
  InternalFailure: 500,
  ValidationError: 400,
};

export class AwsError extends Error {
  readonly code: string;
  /** When absent the server takes it from the service model, then from the common table, else 400. */
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number) {
    super(message);
    this.code = code;
    this.status = status ?? commonStatus[code];
  }
}

export function invalidParameter(message: string): AwsError {
  return new AwsError("InvalidParameterValue", message);
}

export function invalidCombination(message: string): AwsError {
  return new AwsError("InvalidParameterCombination", message);
}
