// Verifies a SigV4-signed request: scope (service, region, date), clock skew or presigned expiry,
// signed headers, session token, and the signature itself. Answers with AWS's error codes.
import { timingSafeEqual } from "node:crypto";
import { AwsError } from "../protocol/errors.ts";
import {
  canonicalRequest,
  type SignableRequest,
  sha256Hex,
  signature,
  signingKey,
  stringToSign,
} from "./canonical.ts";
import { type ParsedAuth, parseAuth } from "./parse-auth.ts";

export interface KeyRecord {
  secretAccessKey: string;
  /** Temporary credentials carry a session token that must come with every request. */
  sessionToken?: string;
  expiration?: Date;
}

export interface VerifyOptions {
  services: string[];
  /** Allowed regions; any region when absent. */
  regions?: string[];
  now: Date;
  /** Allowed difference between the request's X-Amz-Date and now (AWS: 15 minutes). */
  maxSkewMs?: number;
  lookupKey(accessKeyId: string): KeyRecord | undefined;
}

export function amzDateToDate(amzDate: string): Date {
  const iso = `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`;
  return new Date(iso);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifySigV4(req: SignableRequest, options: VerifyOptions): ParsedAuth {
  const auth = parseAuth(req);
  if (!options.services.includes(auth.service)) {
    throw new AwsError(
      "SignatureDoesNotMatch",
      `Credential should be scoped to a valid service (${options.services.join(" or ")}), not '${auth.service}'`,
    );
  }
  if (options.regions && !options.regions.includes(auth.region)) {
    throw new AwsError(
      "SignatureDoesNotMatch",
      `Credential should be scoped to a valid region (${options.regions.join(", ")}), not '${auth.region}'`,
    );
  }
  if (auth.amzDate.slice(0, 8) !== auth.scopeDate) {
    throw new AwsError(
      "SignatureDoesNotMatch",
      `Credential scope date ${auth.scopeDate} does not match X-Amz-Date ${auth.amzDate}`,
    );
  }
  if (!auth.signedHeaders.includes("host")) {
    throw new AwsError("SignatureDoesNotMatch", "The host header must be signed (add it to SignedHeaders)");
  }
  if (
    !auth.presigned &&
    req.headers["x-amz-date"] !== undefined &&
    !auth.signedHeaders.includes("x-amz-date")
  ) {
    throw new AwsError("SignatureDoesNotMatch", "The x-amz-date header must be signed");
  }
  const signedAt = amzDateToDate(auth.amzDate);
  const nowMs = options.now.getTime();
  const skew = options.maxSkewMs ?? 15 * 60 * 1000;
  if (auth.presigned) {
    // Dated ahead of the clock (beyond the skew), a presigned URL would stay valid longer than it says.
    if (signedAt.getTime() - nowMs > skew) {
      throw new AwsError(
        "SignatureDoesNotMatch",
        `Request is not yet valid: it is signed for ${auth.amzDate}, more than ${skew / 60000} minutes after ${options.now.toISOString()}`,
      );
    }
    const expires = auth.expiresSeconds ?? 900;
    if (!Number.isFinite(expires) || expires < 1 || expires > 604800) {
      throw new AwsError("IncompleteSignature", "X-Amz-Expires must be between 1 and 604800 seconds");
    }
    if (nowMs > signedAt.getTime() + expires * 1000) {
      throw new AwsError(
        "RequestExpired",
        `Request has expired (signed at ${auth.amzDate}, valid ${expires} s)`,
      );
    }
  } else {
    if (Math.abs(nowMs - signedAt.getTime()) > skew) {
      throw new AwsError(
        "SignatureDoesNotMatch",
        `Signature expired: ${auth.amzDate} is outside the allowed clock skew of ${skew / 60000} minutes from ${options.now.toISOString()}; fix the client's clock`,
      );
    }
  }

  const key = options.lookupKey(auth.accessKeyId);
  if (key === undefined) {
    throw new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.");
  }
  if (key.sessionToken !== undefined) {
    if (auth.sessionToken === undefined || !same(auth.sessionToken, key.sessionToken)) {
      throw new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.");
    }
    if (key.expiration !== undefined && key.expiration.getTime() <= nowMs) {
      throw new AwsError("ExpiredToken", "The security token included in the request is expired");
    }
  }

  const payloadHeader = req.headers["x-amz-content-sha256"];
  const bodyHash = sha256Hex(req.body);
  // The Query protocol carries the action in the body: an unsigned body could be swapped.
  if (payloadHeader === "UNSIGNED-PAYLOAD") {
    throw new AwsError(
      "SignatureDoesNotMatch",
      "UNSIGNED-PAYLOAD is not accepted by this service (the body holds the action and its parameters); sign the body's SHA-256",
    );
  }
  if (payloadHeader !== undefined && payloadHeader !== bodyHash) {
    throw new AwsError(
      "SignatureDoesNotMatch",
      "The x-amz-content-sha256 header does not match the request body",
    );
  }
  const payloadHash = payloadHeader ?? bodyHash;
  const query = auth.presigned ? req.query.filter(([k]) => k !== "X-Amz-Signature") : req.query;
  const canonical = canonicalRequest({ ...req, query }, auth.signedHeaders, payloadHash);
  const scope = `${auth.scopeDate}/${auth.region}/${auth.service}/aws4_request`;
  const expected = signature(
    signingKey(key.secretAccessKey, auth.scopeDate, auth.region, auth.service),
    stringToSign(auth.amzDate, scope, canonical),
  );
  if (!same(expected, auth.signature)) {
    throw new AwsError(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    );
  }
  return auth;
}
