// Verifies an OIDC web identity token (RS256 JWT) against the configured issuers' public keys.
// Only what AssumeRoleWithWebIdentity needs: signature, issuer, audience, expiry, not-before.
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import type { OidcIssuerConfig } from "../config.ts";
import { AwsError } from "../protocol/errors.ts";

export interface VerifiedToken {
  issuer: OidcIssuerConfig;
  claims: Record<string, unknown> & { sub: string; aud: string | string[]; iss: string; exp: number };
}

function invalid(message: string): AwsError {
  return new AwsError("InvalidIdentityToken", message, 400);
}

function decodePart(part: string | undefined, what: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw invalid(`The web identity token's ${what} is not base64url-encoded JSON`);
  }
}

function issuerKeys(issuer: OidcIssuerConfig): { kid?: string; key: KeyObject }[] {
  if (issuer.publicKeyPem) return [{ key: createPublicKey(issuer.publicKeyPem) }];
  if (issuer.publicKeyFile) return [{ key: createPublicKey(readFileSync(issuer.publicKeyFile, "utf8")) }];
  const jwks =
    issuer.jwks ??
    (JSON.parse(readFileSync(issuer.jwksFile as string, "utf8")) as { keys: Record<string, unknown>[] });
  return jwks.keys.map((jwk) => ({
    ...(typeof jwk.kid === "string" ? { kid: jwk.kid } : {}),
    key: createPublicKey({ key: jwk as never, format: "jwk" }),
  }));
}

export function verifyWebIdentityToken(token: string, issuers: OidcIssuerConfig[], now: Date): VerifiedToken {
  const parts = token.split(".");
  if (parts.length !== 3) throw invalid("The web identity token is not a JWT (header.payload.signature)");
  const header = decodePart(parts[0], "header");
  const claims = decodePart(parts[1], "payload");
  if (header.alg !== "RS256")
    throw invalid(`Unsupported JWT algorithm ${String(header.alg)}; the local cloud verifies RS256`);
  const issuer = issuers.find(
    (i) => i.url.replace(/\/$/, "") === String(claims.iss ?? "").replace(/\/$/, ""),
  );
  if (issuer === undefined) {
    throw invalid(
      `No OpenIDConnect provider found in your account for ${String(claims.iss)}; add it to oidcIssuers in the config`,
    );
  }
  const keys = issuerKeys(issuer).filter(
    (k) => header.kid === undefined || k.kid === undefined || k.kid === header.kid,
  );
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2] ?? "", "base64url");
  if (!keys.some((k) => verify("RSA-SHA256", signed, k.key, signature))) {
    throw invalid("The web identity token's signature does not verify with the issuer's keys");
  }
  const nowSeconds = now.getTime() / 1000;
  if (typeof claims.exp !== "number") throw invalid("The web identity token has no exp claim");
  if (claims.exp <= nowSeconds)
    throw new AwsError(
      "ExpiredTokenException",
      "Token expired: current date/time is after the token's exp",
      400,
    );
  if (typeof claims.nbf === "number" && claims.nbf > nowSeconds + 60)
    throw invalid("The web identity token is not valid yet (nbf)");
  if (typeof claims.sub !== "string" || claims.sub === "")
    throw invalid("The web identity token has no sub claim");
  const audiences = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud ?? "")];
  if (!audiences.some((a) => issuer.audiences.includes(a))) {
    throw invalid(
      `Incorrect token audience ${audiences.join(",")}; expected ${issuer.audiences.join(" or ")}`,
    );
  }
  return { issuer, claims: claims as VerifiedToken["claims"] };
}
