// The whole persisted state: one PersistedState per scope (account/region) and the temporary
// credentials STS issued (global, as IAM is). State saved before scopes existed (version 1) is
// split by the account and region in each resource's ARN.
import { parseElasticacheArn } from "../elasticache/arn.ts";
import { tokenDigest } from "../engines/redis-config.ts";
import { emptyState, type PersistedState, type TemporaryCredential } from "./records.ts";
import { defaultScope, scopeKey } from "./scope.ts";

export interface WorldState {
  version: 2;
  credentials: Record<string, TemporaryCredential>;
  /** By scope key "<account>/<region>". */
  scopes: Record<string, PersistedState>;
}

export function emptyWorld(): WorldState {
  return { version: 2, credentials: {}, scopes: {} };
}

/** Each scope's state with every collection present (fields added later default to empty). */
export function normalizeWorld(world: WorldState): WorldState {
  const scopes: Record<string, PersistedState> = {};
  for (const [key, state] of Object.entries(world.scopes ?? {})) {
    scopes[key] = { ...emptyState(), ...state };
    digestAuthTokens(scopes[key]);
  }
  return { version: 2, credentials: world.credentials ?? {}, scopes };
}

/**
 * State written before AUTH tokens were kept as digests held them in clear (`authTokens`): they
 * become digests on load, and the next save leaves no token on disk.
 */
function digestAuthTokens(state: PersistedState): void {
  for (const record of [...Object.values(state.clusters), ...Object.values(state.replicationGroups)]) {
    const old = record as unknown as { authTokens?: unknown; authTokenDigests?: string[] };
    if (Array.isArray(old.authTokens)) {
      old.authTokenDigests ??= old.authTokens.map((t) => tokenDigest(String(t)));
      delete old.authTokens;
    }
    old.authTokenDigests ??= [];
  }
}

/** Version 1 (one flat state): every record that carries an ARN goes to that ARN's scope. */
export function worldFromFlatState(flat: PersistedState): WorldState {
  const world = emptyWorld();
  world.credentials = flat.credentials ?? {};
  const scopeOf = (arn: unknown) => {
    const parsed = typeof arn === "string" ? parseElasticacheArn(arn) : undefined;
    const key = scopeKey(parsed ?? defaultScope);
    world.scopes[key] ??= emptyState();
    return world.scopes[key];
  };
  scopeOf(undefined);
  for (const [field, value] of Object.entries(flat)) {
    if (field === "version" || field === "credentials") continue;
    if (field === "events") {
      scopeOf(undefined).events = value as PersistedState["events"];
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    for (const [id, record] of Object.entries(value as Record<string, unknown>)) {
      // Tags are keyed by ARN; every other collection holds records with an `arn`.
      const arn = field === "tags" ? id : (record as { arn?: unknown } | null)?.arn;
      const target = scopeOf(arn) as unknown as Record<string, Record<string, unknown>>;
      target[field] ??= {};
      (target[field] as Record<string, unknown>)[id] = record;
    }
  }
  return normalizeWorld(world);
}
