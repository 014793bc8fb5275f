// The standalone CLI's key of the auth-token fingerprints in status (engine/token-fingerprint.ts):
// 32 random bytes in <state dir>/token-fingerprint.key, readable by its owner only, made on first
// use. The state dir is the CLI's whole world, so the key lives with the status it protects.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { keyedFingerprint, MIN_KEY_BYTES, type TokenFingerprint } from "../planner/token-fingerprint.ts";
import { UserError } from "./user-error.ts";

export function fingerprintKeyPath(stateDir: string): string {
  return join(stateDir, "token-fingerprint.key");
}

export function stateDirFingerprint(stateDir: string): TokenFingerprint {
  const file = fingerprintKeyPath(stateDir);
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    mkdirSync(stateDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32), { mode: 0o600, flag: "wx" });
    } catch (e) {
      // Another CLI run made it first.
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    key = readFileSync(file);
  }
  if (key.length < MIN_KEY_BYTES)
    throw new UserError(
      `${file} is not a token fingerprint key (${key.length} bytes, needs ${MIN_KEY_BYTES}): delete it and apply again (clusters with an auth token then rotate once to the same token)`,
    );
  return keyedFingerprint(key);
}
