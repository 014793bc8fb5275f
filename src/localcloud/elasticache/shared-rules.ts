// Rules several operations share: AUTH token update strategies and the tag limit.

import { tokenDigest } from "../engines/redis-config.ts";
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { QueryObject } from "../protocol/query-input.ts";
import type { Tag } from "../state/records.ts";
import { fault } from "./faults.ts";
import { validAuthToken } from "./validation.ts";

/**
 * The accepted tokens after an AuthToken change, as AWS applies AuthTokenUpdateStrategy:
 * ROTATE adds the new token and keeps the current one (both work until SET), SET keeps only the
 * new one, DELETE removes authentication. An AuthToken without a strategy is a SET.
 */
export function applyTokenStrategy(
  current: string[],
  transitEncryption: boolean,
  input: QueryObject,
): string[] {
  const strategy = (input.AuthTokenUpdateStrategy as string | undefined) ?? "SET";
  if (!transitEncryption) {
    throw invalidCombination(
      "The AUTH token can only be changed when encryption in transit (TransitEncryptionEnabled) is on.",
    );
  }
  if (strategy === "DELETE") {
    if (input.AuthToken !== undefined)
      throw invalidCombination("AuthToken must not be given with AuthTokenUpdateStrategy DELETE.");
    if (current.length === 0) throw invalidParameter("There is no AUTH token to delete.");
    return [];
  }
  if (input.AuthToken === undefined) {
    throw invalidParameter(`AuthTokenUpdateStrategy ${strategy} requires the new AuthToken.`);
  }
  // Compared and kept as digests: `current` holds digests (see CacheClusterRecord.authTokenDigests).
  const token = tokenDigest(validAuthToken(input.AuthToken));
  if (strategy === "ROTATE") {
    const kept = current.filter((t) => t !== token).slice(-1);
    return [...kept, token];
  }
  return [token];
}

export const maxTagsPerResource = 50;
export const maxTagKeyLength = 128;
export const maxTagValueLength = 256;

export function checkTagLimit(tags: Tag[]): void {
  if (tags.length > maxTagsPerResource) {
    throw fault("TagQuotaPerResourceExceeded", `A resource can have at most ${maxTagsPerResource} tags.`);
  }
  for (const t of tags) {
    if (!t.Key) throw invalidParameter("Tag keys must not be empty.");
    // Lengths are quoted, never the key or value: they could be anything, and very long.
    if (t.Key.length > maxTagKeyLength)
      throw invalidParameter(
        `A tag key is ${t.Key.length} characters long; AWS allows at most ${maxTagKeyLength}.`,
      );
    if ((t.Value ?? "").length > maxTagValueLength)
      throw invalidParameter(
        `The value of tag ${t.Key} is ${(t.Value ?? "").length} characters long; AWS allows at most ${maxTagValueLength}.`,
      );
    if (t.Key.toLowerCase().startsWith("aws:"))
      throw invalidParameter(`Tag key ${t.Key} uses the reserved prefix aws:.`);
  }
}

/**
 * Refuses parameters the local cloud does not implement, so a request never half-succeeds with a
 * setting silently dropped. `false`/empty values are harmless and pass.
 */
export function rejectUnsupported(input: QueryObject, parameters: string[]): void {
  for (const p of parameters) {
    const v = input[p];
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    throw invalidParameter(
      `${p} is not supported by the local cloud; leave it out (see docs/local-cloud.md, Limits).`,
    );
  }
}

export const unsupportedEverywhere = [
  "LogDeliveryConfigurations",
  "PreferredOutpostArn",
  "PreferredOutpostArns",
  "OutpostMode",
];
