import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { test } from "node:test";
import { isUnkeyedHash, keyedFingerprint, migrateTokenHashes } from "./token-fingerprint.ts";

const TOKEN = "Token-For-Fingerprints-0001";
const unkeyed = (t: string) => createHash("sha256").update(t).digest("hex");

test("the fingerprint depends on the key, not only on the token, and never contains the plain hash", () => {
  const a = keyedFingerprint(randomBytes(32));
  const b = keyedFingerprint(randomBytes(32));
  assert.equal(a(TOKEN), a(TOKEN), "stable for one key");
  assert.notEqual(a(TOKEN), b(TOKEN), "another key, another fingerprint");
  assert.match(a(TOKEN), /^hmac-sha256:[0-9a-f]{8}:[0-9a-f]{64}$/);
  assert.ok(!a(TOKEN).includes(unkeyed(TOKEN)));
  assert.equal(isUnkeyedHash(a(TOKEN)), false);
  assert.equal(isUnkeyedHash(unkeyed(TOKEN)), true);
});

test("a short key is refused", () => {
  assert.throws(() => keyedFingerprint(Buffer.alloc(8)), /at least 32 bytes/);
});

test("an unkeyed hash of the current token migrates; one of another token stays (it is a real change)", () => {
  const f = keyedFingerprint(randomBytes(32));
  const migrated = migrateTokenHashes(
    {
      authTokenHash: unkeyed(TOKEN),
      pendingAuthTokenHash: unkeyed("Another-Token-0000001"),
      topology: "ReplicationGroup",
    },
    TOKEN,
    f,
  );
  assert.equal(migrated.authTokenHash, f(TOKEN));
  assert.equal(migrated.pendingAuthTokenHash, unkeyed("Another-Token-0000001"));
  assert.equal(migrated.topology, "ReplicationGroup");
});

test("keyed fingerprints and absent tokens are left as they are", () => {
  const f = keyedFingerprint(randomBytes(32));
  const memory = { authTokenHash: f(TOKEN) };
  assert.deepEqual(migrateTokenHashes(memory, TOKEN, f), memory);
  const legacy = { authTokenHash: unkeyed(TOKEN) };
  assert.deepEqual(migrateTokenHashes(legacy, undefined, f), legacy);
  assert.deepEqual(migrateTokenHashes({}, TOKEN, f), {});
});
