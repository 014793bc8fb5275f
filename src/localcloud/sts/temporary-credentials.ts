// Issues temporary credentials the way STS shapes them: an ASIA... key id, a 40-character secret,
// an opaque session token and an expiration.
import { randomBytes } from "node:crypto";
import type { TemporaryCredential } from "../state/records.ts";

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function issueCredential(
  fields: Omit<TemporaryCredential, "accessKeyId" | "secretAccessKey" | "sessionToken" | "expiration">,
  now: Date,
  durationSeconds: number,
): TemporaryCredential {
  return {
    ...fields,
    accessKeyId: `ASIA${randomFrom(upperAlnum, 16)}`,
    secretAccessKey: randomBytes(30).toString("base64"),
    sessionToken: `LC${randomBytes(96).toString("base64")}`,
    expiration: new Date(now.getTime() + durationSeconds * 1000).toISOString(),
  };
}
