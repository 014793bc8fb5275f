import assert from "node:assert/strict";
import { createSign, generateKeyPairSync } from "node:crypto";
import { test } from "node:test";
import type { OidcIssuerConfig } from "../config.ts";
import { AwsError } from "../protocol/errors.ts";
import { verifyWebIdentityToken } from "./jwt.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" };
const issuer: OidcIssuerConfig = {
  url: "https://issuer.test",
  audiences: ["sts.amazonaws.com"],
  jwks: { keys: [jwk] },
};
const now = new Date("2025-06-01T00:00:00Z");
const t = now.getTime() / 1000;

function token(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: "RS256", kid: "k1" },
): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${part(header)}.${part(claims)}`;
  return `${body}.${createSign("RSA-SHA256").update(body).sign(privateKey).toString("base64url")}`;
}

const claims = {
  iss: "https://issuer.test",
  sub: "system:serviceaccount:a:b",
  aud: "sts.amazonaws.com",
  exp: t + 60,
};
const code = (c: string) => (e: unknown) => e instanceof AwsError && e.code === c;

test("accepts a token signed by a JWKS key of the issuer", () => {
  const v = verifyWebIdentityToken(token(claims), [issuer], now);
  assert.equal(v.claims.sub, "system:serviceaccount:a:b");
  assert.equal(v.issuer, issuer);
});

test("refuses other algorithms, unknown kids, wrong audiences, expired and malformed tokens", () => {
  assert.throws(
    () => verifyWebIdentityToken(token(claims, { alg: "HS256" }), [issuer], now),
    code("InvalidIdentityToken"),
  );
  assert.throws(
    () => verifyWebIdentityToken(token(claims, { alg: "RS256", kid: "other" }), [issuer], now),
    code("InvalidIdentityToken"),
  );
  assert.throws(
    () => verifyWebIdentityToken(token({ ...claims, aud: "x" }), [issuer], now),
    /Incorrect token audience/,
  );
  assert.throws(
    () => verifyWebIdentityToken(token({ ...claims, exp: t - 1 }), [issuer], now),
    code("ExpiredTokenException"),
  );
  assert.throws(() => verifyWebIdentityToken("a.b", [issuer], now), code("InvalidIdentityToken"));
  assert.throws(() => verifyWebIdentityToken(token({ ...claims, sub: "" }), [issuer], now), /sub/);
});
