// Reading one key of a Secret from the informer cache, with errors that say which Secret and key.
import type { KubeObject } from "../kube/rest.ts";

export interface SecretObject extends KubeObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface SecretLookup {
  get(key: string): SecretObject | undefined;
}

export class SecretValueError extends Error {
  readonly reason = "SecretNotFound";
}

/** The decoded value of `key` in Secret `namespace/name`; the field names the referencing spec field. */
export function secretValue(
  secrets: SecretLookup,
  namespace: string,
  ref: { name: string; key: string },
  field: string,
): string {
  const secret = secrets.get(`${namespace}/${ref.name}`);
  if (secret === undefined) {
    throw new SecretValueError(
      `Secret ${namespace}/${ref.name} (referenced by ${field}) does not exist: create it`,
    );
  }
  const encoded = secret.data?.[ref.key];
  if (encoded === undefined) {
    const keys = Object.keys(secret.data ?? {}).sort();
    throw new SecretValueError(
      `Secret ${namespace}/${ref.name} has no key "${ref.key}" (referenced by ${field}); its keys: ${keys.join(", ") || "none"}`,
    );
  }
  return Buffer.from(encoded, "base64").toString("utf8");
}
