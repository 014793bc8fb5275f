// A Secret's consent to be read from other namespaces. `--allow-cross-namespace-secrets` lets the
// operator read an auth token from another namespace at all; each such Secret must also say which
// namespaces may use it, so one team cannot point its cluster at another team's Secret and have
// the operator read it (and put it in the reader's connection Secret).
import { SHARED_WITH_ANNOTATION } from "../api/annotations.ts";
import type { SecretObject } from "./secret-values.ts";

export function sharedWith(secret: SecretObject): string[] {
  const value = secret.metadata?.annotations?.[SHARED_WITH_ANNOTATION] ?? "";
  return value
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
}

/** Why `reader` may not use `secret` (in another namespace), or undefined when it consents. */
export function consentRefusal(secret: SecretObject, reader: string): string | undefined {
  if (sharedWith(secret).includes(reader)) return undefined;
  const where = `${secret.metadata?.namespace}/${secret.metadata?.name}`;
  return `Secret ${where} (spec.authTokenRef) is in another namespace and is not shared with ${reader}: the Secret's owner adds ${reader} to its annotation ${SHARED_WITH_ANNOTATION} (comma-separated namespaces), or copy the Secret into ${reader}`;
}
