// Signs requests with the AWS SDK's own signer and checks that the verifier agrees (and refuses
// tampering, wrong keys, stale dates, wrong scope, missing or expired session tokens).
import assert from "node:assert/strict";
import { test } from "node:test";
import { SignatureV4 } from "@smithy/signature-v4";
import { AwsError } from "../protocol/errors.ts";
import { NodeSha256 } from "../testing/node-sha256.ts";
import type { SignableRequest } from "./canonical.ts";
import { type KeyRecord, verifySigV4 } from "./verify.ts";

const now = new Date("2025-06-01T12:00:00Z");
const keys: Record<string, KeyRecord> = {
  AKIDEXAMPLE: { secretAccessKey: "secret-1" },
  ASIATEMP: {
    secretAccessKey: "secret-2",
    sessionToken: "tok",
    expiration: new Date("2025-06-01T13:00:00Z"),
  },
};

async function signed(options: {
  accessKeyId?: string;
  secret?: string;
  sessionToken?: string;
  service?: string;
  at?: Date;
  body?: string;
  presign?: boolean;
  unsignedPayload?: boolean;
}): Promise<SignableRequest> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId ?? "AKIDEXAMPLE",
      secretAccessKey: options.secret ?? "secret-1",
      ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    },
    region: "us-east-1",
    service: options.service ?? "elasticache",
    // The signer only calls update() and digest(); its declared type wants more than that.
    sha256: NodeSha256 as never,
  });
  const body = options.body ?? "Action=DescribeCacheClusters&Version=2015-02-02";
  const request = {
    method: options.presign ? "GET" : "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path: "/",
    query: options.presign ? { Action: "GetCallerIdentity", Version: "2011-06-15" } : {},
    headers: options.presign
      ? { host: "127.0.0.1:4566" }
      : {
          host: "127.0.0.1:4566",
          "content-type": "application/x-www-form-urlencoded; charset=utf-8",
          ...(options.unsignedPayload ? { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } : {}),
        },
    body: options.presign ? undefined : body,
  };
  const at = options.at ?? now;
  const out = (
    options.presign
      ? await signer.presign(request as never, { signingDate: at, expiresIn: 60 })
      : await signer.sign(request as never, { signingDate: at })
  ) as { method: string; path: string; headers: Record<string, string>; query?: Record<string, string> };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) headers[k.toLowerCase()] = String(v);
  const query: [string, string][] = [];
  for (const [k, v] of Object.entries(out.query ?? {})) query.push([k, String(v)]);
  return {
    method: out.method,
    path: out.path,
    query,
    headers,
    body: Buffer.from(options.presign ? "" : body),
  };
}

function verify(req: SignableRequest, at = now) {
  return verifySigV4(req, { services: ["elasticache", "sts"], now: at, lookupKey: (id) => keys[id] });
}

function refusedWith(code: string) {
  return (e: unknown) => e instanceof AwsError && e.code === code;
}

test("accepts a request signed by the SDK signer and reports its scope", async () => {
  const auth = verify(await signed({}));
  assert.equal(auth.accessKeyId, "AKIDEXAMPLE");
  assert.equal(auth.region, "us-east-1");
  assert.equal(auth.service, "elasticache");
});

test("accepts presigned query-string requests until they expire", async () => {
  const req = await signed({ presign: true, service: "sts" });
  assert.equal(verify(req).presigned, true);
  assert.throws(() => verify(req, new Date(now.getTime() + 120_000)), refusedWith("RequestExpired"));
});

test("refuses a tampered body, a wrong secret and an unknown key", async () => {
  const req = await signed({});
  assert.throws(
    () => verify({ ...req, body: Buffer.from("Action=DeleteCacheCluster") }),
    refusedWith("SignatureDoesNotMatch"),
  );
  const wrongSecret = await signed({ secret: "wrong" });
  assert.throws(() => verify(wrongSecret), refusedWith("SignatureDoesNotMatch"));
  const unknownKey = await signed({ accessKeyId: "AKIDUNKNOWN" });
  assert.throws(() => verify(unknownKey), refusedWith("InvalidClientTokenId"));
});

test("refuses a date outside the clock skew window and a wrong service scope", async () => {
  const stale = await signed({ at: new Date(now.getTime() - 20 * 60_000) });
  assert.throws(() => verify(stale), refusedWith("SignatureDoesNotMatch"));
  const s3 = await signed({ service: "s3" });
  assert.throws(
    () => verify(s3),
    (e: unknown) => e instanceof AwsError && /service/.test(e.message),
  );
});

test("temporary keys need their session token and expire", async () => {
  const ok = await signed({ accessKeyId: "ASIATEMP", secret: "secret-2", sessionToken: "tok" });
  assert.equal(verify(ok).accessKeyId, "ASIATEMP");
  const noToken = await signed({ accessKeyId: "ASIATEMP", secret: "secret-2" });
  assert.throws(() => verify(noToken), refusedWith("InvalidClientTokenId"));
  const late = new Date("2025-06-01T13:05:00Z");
  const lateReq = await signed({
    accessKeyId: "ASIATEMP",
    secret: "secret-2",
    sessionToken: "tok",
    at: late,
  });
  assert.throws(() => verify(lateReq, late), refusedWith("ExpiredToken"));
});

test("a malformed Authorization header is IncompleteSignature", async () => {
  const req = await signed({});
  req.headers.authorization =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250601/us-east-1/elasticache/aws4_request";
  assert.throws(() => verify(req), refusedWith("IncompleteSignature"));
});

test("refuses a presigned request dated in the future", async () => {
  const ahead = await signed({ presign: true, service: "sts", at: new Date(now.getTime() + 60 * 60_000) });
  assert.throws(
    () => verify(ahead),
    (e: unknown) =>
      e instanceof AwsError && e.code === "SignatureDoesNotMatch" && /not yet valid/.test(e.message),
  );
});

test("refuses UNSIGNED-PAYLOAD, so a signed request's body cannot be swapped", async () => {
  const req = await signed({ unsignedPayload: true });
  assert.throws(() => verify(req), refusedWith("SignatureDoesNotMatch"));
  const swapped = {
    ...req,
    body: Buffer.from("Action=DeleteCacheCluster&CacheClusterId=prod&Version=2015-02-02"),
  };
  assert.throws(() => verify(swapped), refusedWith("SignatureDoesNotMatch"));
});
