// The key of the auth-token fingerprints in status (engine/token-fingerprint.ts): 32 random bytes
// in a Secret the operator owns, in its own namespace, made on first use. Every replica reads the
// same Secret, so they agree on fingerprints; losing it changes every fingerprint (each cache with a
// token then rotates once to the same token), so it is never deleted by the operator.
import { randomBytes } from "node:crypto";
import { coreResources } from "../kube/resource.ts";
import { isAlreadyExists, isNotFound, type KubeRest } from "../kube/rest.ts";
import { keyedFingerprint, MIN_KEY_BYTES, type TokenFingerprint } from "../planner/token-fingerprint.ts";
import { globalRedactor } from "../secrets/redact.ts";
import type { SecretObject } from "../secrets/secret-values.ts";

export const FINGERPRINT_KEY_SECRET = "infra-operator-token-fingerprint-key";
const DATA_KEY = "key";

export class FingerprintKeyError extends Error {
  readonly reason = "FingerprintKeyUnavailable";
}

async function read(rest: KubeRest, namespace: string, name: string): Promise<Buffer | undefined> {
  let secret: SecretObject;
  try {
    secret = await rest.get<SecretObject>(coreResources.secrets, { namespace, name });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const encoded = secret.data?.[DATA_KEY];
  const key = encoded === undefined ? undefined : Buffer.from(encoded, "base64");
  if (key === undefined || key.length < MIN_KEY_BYTES)
    throw new FingerprintKeyError(
      `Secret ${namespace}/${name} has no ${MIN_KEY_BYTES}-byte "${DATA_KEY}": delete it and the operator makes a new one (every cache with an auth token then rotates once to the same token)`,
    );
  return key;
}

/** Reads the key Secret, or creates it with a fresh random key when there is none. */
export async function loadOrCreateFingerprintKey(
  rest: KubeRest,
  namespace: string,
  name = FINGERPRINT_KEY_SECRET,
): Promise<Buffer> {
  try {
    const existing = await read(rest, namespace, name);
    if (existing !== undefined) return existing;
    const key = randomBytes(32);
    try {
      await rest.create(coreResources.secrets, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name,
          namespace,
          labels: { "app.kubernetes.io/managed-by": "infra-operator" },
          annotations: {
            "infra-operator.runner.codes/purpose":
              "key of the auth token fingerprints in ElastiCacheCluster status; deleting it makes every cache with a token rotate once",
          },
        },
        type: "Opaque",
        data: { [DATA_KEY]: key.toString("base64") },
      } as SecretObject);
      return key;
    } catch (err) {
      // Another replica made it first: use theirs.
      if (!isAlreadyExists(err)) throw err;
      const theirs = await read(rest, namespace, name);
      if (theirs === undefined) throw err;
      return theirs;
    }
  } catch (err) {
    if (err instanceof FingerprintKeyError) throw err;
    throw new FingerprintKeyError(
      `cannot read or create the token fingerprint key Secret ${namespace}/${name}: ${(err as Error).message}; the operator needs get and create on Secrets in ${namespace}`,
    );
  }
}

/** The fingerprint function, loading the key once (on first use) and again only after a failure. */
export function lazyFingerprint(load: () => Promise<Buffer>): () => Promise<TokenFingerprint> {
  let pending: Promise<TokenFingerprint> | undefined;
  return () => {
    pending ??= load().then(
      (key) => {
        globalRedactor.add(key.toString("base64"));
        return keyedFingerprint(key);
      },
      (err) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
}
