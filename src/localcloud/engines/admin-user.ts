// The ACL user the engine host itself logs in as on every Redis/Valkey node. Customers'
// AuthTokens belong to the `default` user and change with ROTATE/SET/DELETE; the host's own
// access (admin commands, replication, MIGRATE between shards) must not depend on them.
// The secret is generated once per data dir and stored there, readable by its owner only.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const adminUserName = "localcloud-admin";

export function loadOrCreateAdminSecret(dataDir: string): string {
  const file = path.join(dataDir, "engine-admin.secret");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: create it below
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(24).toString("hex");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
