// Reads the SigV4 authentication of a request, from the Authorization header or from the
// presigned query string (X-Amz-Algorithm, X-Amz-Credential, ...). Malformed input is refused
// with the codes AWS uses (IncompleteSignature, MissingAuthenticationToken).
import { AwsError } from "../protocol/errors.ts";
import type { SignableRequest } from "./canonical.ts";

export interface ParsedAuth {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** YYYYMMDD'T'HHMMSS'Z' from X-Amz-Date. */
  amzDate: string;
  sessionToken: string | undefined;
  /** Presigned URL lifetime in seconds (query-string signing only). */
  expiresSeconds: number | undefined;
  presigned: boolean;
}

const amzDatePattern = /^\d{8}T\d{6}Z$/;

function parseCredential(
  credential: string,
): Pick<ParsedAuth, "accessKeyId" | "scopeDate" | "region" | "service"> {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || !/^\d{8}$/.test(parts[1] ?? "")) {
    throw new AwsError(
      "IncompleteSignature",
      `Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request, got '${credential.split("/").slice(1).join("/")}'`,
    );
  }
  const [accessKeyId, scopeDate, region, service] = parts as [string, string, string, string];
  return { accessKeyId, scopeDate, region, service };
}

export function hasAuthentication(req: SignableRequest): boolean {
  return req.headers.authorization !== undefined || req.query.some(([k]) => k === "X-Amz-Algorithm");
}

export function parseAuth(req: SignableRequest): ParsedAuth {
  const header = req.headers.authorization;
  if (header !== undefined) return parseHeader(header, req);
  return parsePresigned(req);
}

function parseHeader(header: string, req: SignableRequest): ParsedAuth {
  if (!header.startsWith("AWS4-HMAC-SHA256 ")) {
    throw new AwsError(
      "IncompleteSignature",
      "Only the AWS4-HMAC-SHA256 algorithm is supported in the Authorization header",
    );
  }
  const fields: Record<string, string> = {};
  for (const part of header.slice("AWS4-HMAC-SHA256 ".length).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((f) => !fields[f]);
  if (missing.length > 0) {
    throw new AwsError(
      "IncompleteSignature",
      `Authorization header requires ${missing.join(", ")} parameter(s)`,
    );
  }
  const amzDate = req.headers["x-amz-date"];
  if (amzDate === undefined || !amzDatePattern.test(amzDate)) {
    throw new AwsError(
      "IncompleteSignature",
      "Authorization header requires an X-Amz-Date header of the form YYYYMMDDTHHMMSSZ",
    );
  }
  return {
    ...parseCredential(fields.Credential as string),
    signedHeaders: (fields.SignedHeaders as string).split(";"),
    signature: fields.Signature as string,
    amzDate,
    sessionToken: req.headers["x-amz-security-token"],
    expiresSeconds: undefined,
    presigned: false,
  };
}

function parsePresigned(req: SignableRequest): ParsedAuth {
  const q = new Map(req.query);
  if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") {
    throw new AwsError("IncompleteSignature", "X-Amz-Algorithm must be AWS4-HMAC-SHA256");
  }
  const missing = ["X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"].filter(
    (k) => !q.get(k),
  );
  if (missing.length > 0)
    throw new AwsError("IncompleteSignature", `Presigned request requires ${missing.join(", ")}`);
  const amzDate = q.get("X-Amz-Date") as string;
  if (!amzDatePattern.test(amzDate))
    throw new AwsError("IncompleteSignature", "X-Amz-Date must be YYYYMMDDTHHMMSSZ");
  const expires = q.get("X-Amz-Expires");
  return {
    ...parseCredential(q.get("X-Amz-Credential") as string),
    signedHeaders: (q.get("X-Amz-SignedHeaders") as string).split(";"),
    signature: q.get("X-Amz-Signature") as string,
    amzDate,
    sessionToken: q.get("X-Amz-Security-Token"),
    expiresSeconds: expires === undefined ? undefined : Number(expires),
    presigned: true,
  };
}
