// The pieces of AWS Signature Version 4 both sides compute: canonical request, string to sign,
// signing key. Kept free of I/O so it can be unit-tested against a real signer.
import { createHash, createHmac } from "node:crypto";

export interface SignableRequest {
  method: string;
  /** Path without the query string, as received (percent-encoded). */
  path: string;
  /** Query parameters in order of arrival, already decoded. */
  query: [string, string][];
  /** Lower-case header name -> value (repeated headers joined with ","). */
  headers: Record<string, string>;
  body: Buffer;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalPath(path: string): string {
  if (path === "" || path === "/") return "/";
  // Non-S3 services sign each segment encoded twice (once by the URL, once by the signer).
  return path
    .split("/")
    .map((segment) => uriEncode(segment))
    .join("/");
}

function canonicalQuery(query: [string, string][]): string {
  return query
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, " ");
}

export function canonicalRequest(req: SignableRequest, signedHeaders: string[], payloadHash: string): string {
  const headerLines = signedHeaders
    .map((h) => `${h}:${canonicalHeaderValue(req.headers[h] ?? "")}\n`)
    .join("");
  return [
    req.method.toUpperCase(),
    canonicalPath(req.path),
    canonicalQuery(req.query),
    headerLines,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonical)].join("\n");
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

export function signature(key: Buffer, toSign: string): string {
  return createHmac("sha256", key).update(toSign, "utf8").digest("hex");
}
