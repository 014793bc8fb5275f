// The admin token: what a caller of /_localcloud/* must present (Authorization: Bearer <token>), so
// that a web page (DNS rebinding, a form posting to localhost) cannot change faults or pace. It is
// generated once per data dir and kept there, readable by its owner only; the CLI, the standalone
// daemon and the test support read it from the data dir.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export function adminTokenFile(dataDir: string): string {
  return path.join(dataDir, "admin-token");
}

/** The data dir's admin token; undefined when the local cloud never started there. */
export function readAdminToken(dataDir: string): string | undefined {
  try {
    const token = readFileSync(adminTokenFile(dataDir), "utf8").trim();
    return token.length >= 32 ? token : undefined;
  } catch {
    return undefined;
  }
}

export function loadOrCreateAdminToken(dataDir: string): string {
  const existing = readAdminToken(dataDir);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString("hex");
  writeFileSync(adminTokenFile(dataDir), `${token}\n`, { mode: 0o600 });
  return token;
}

/** Whether an Authorization header carries `token` (compared in constant time). */
export function presentsToken(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (m === null) return false;
  const given = Buffer.from(m[1] as string);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
