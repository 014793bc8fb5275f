// What status keeps of an auth token: a keyed fingerprint, HMAC-SHA-256 under a key only the
// operator (or the CLI's state dir) holds. Anyone who may read the object sees the fingerprint,
// so a plain hash would let them test guesses offline and see which caches share a token; without
// the key neither is possible. Form: `hmac-sha256:<key id>:<hex>`; the key id (a hash of the key,
// not the key) tells fingerprints of another key apart.
//
// Older status holds the unkeyed form (64 hex digits, SHA-256 of the token). A stored unkeyed
// hash that matches the current token is replaced by the token's fingerprint before planning, so
// the upgrade rewrites the status without a token rotation in AWS.
import { createHash, createHmac } from "node:crypto";
import type { Memory } from "./plan-types.ts";

export type TokenFingerprint = (token: string) => string;

const PREFIX = "hmac-sha256";
const UNKEYED = /^[0-9a-f]{64}$/;

/** Keys shorter than this are refused: the fingerprint would be guessable again. */
export const MIN_KEY_BYTES = 32;

export function keyedFingerprint(key: Buffer): TokenFingerprint {
  if (key.length < MIN_KEY_BYTES)
    throw new Error(
      `the token fingerprint key must be at least ${MIN_KEY_BYTES} bytes (it has ${key.length})`,
    );
  const id = createHash("sha256").update("infra-operator fingerprint key id\u0000").update(key).digest("hex");
  return (token) => `${PREFIX}:${id.slice(0, 8)}:${createHmac("sha256", key).update(token).digest("hex")}`;
}

export function isUnkeyedHash(value: string | undefined): boolean {
  return value !== undefined && UNKEYED.test(value);
}

/**
 * `memory` with every unkeyed hash of `token` replaced by its fingerprint. An unkeyed hash of
 * another token stays: that token really changed, and the planner rotates as before.
 */
export function migrateTokenHashes(
  memory: Memory,
  token: string | undefined,
  fingerprint: TokenFingerprint,
): Memory {
  if (token === undefined) return memory;
  const legacy = createHash("sha256").update(token).digest("hex");
  const migrate = (h: string | undefined) => (isUnkeyedHash(h) && h === legacy ? fingerprint(token) : h);
  const out: Memory = { ...memory };
  if (memory.authTokenHash !== undefined) out.authTokenHash = migrate(memory.authTokenHash);
  if (memory.pendingAuthTokenHash !== undefined)
    out.pendingAuthTokenHash = migrate(memory.pendingAuthTokenHash);
  return out;
}

/** For a cluster without a token: nothing is ever fingerprinted (a call is a bug, and says so). */
export const NO_TOKEN_FINGERPRINT: TokenFingerprint = () => {
  throw new Error("no auth token to fingerprint");
};
