// Accounts and regions are separate worlds, as on AWS: every ElastiCache resource lives in the
// scope (account, region) of the request that created it, and a request sees only its own scope.
// The scope of the running request travels with it (AsyncLocalStorage), background work included,
// so handlers read `cloud.state` and get their scope's resources without passing it around.
import { AsyncLocalStorage } from "node:async_hooks";

export interface Scope {
  accountId: string;
  region: string;
}

/** The LocalStack-style default account and region; its names stay unprefixed on disk. */
export const defaultScope: Scope = { accountId: "000000000000", region: "us-east-1" };

const storage = new AsyncLocalStorage<Scope>();

export function currentScope(): Scope {
  return storage.getStore() ?? defaultScope;
}

export function inScope<T>(scope: Scope, work: () => T): T {
  return storage.run(scope, work);
}

export function scopeKey(scope: Scope): string {
  return `${scope.accountId}/${scope.region}`;
}

export function parseScopeKey(key: string): Scope {
  const [accountId = defaultScope.accountId, region = defaultScope.region] = key.split("/");
  return { accountId, region };
}

/**
 * A name that is unique across scopes, for what the whole local cloud shares (engine node ids,
 * folders under the data dir): the scope's account and region first, except in the default scope.
 * Resource ids begin with a letter, so a prefixed name never equals an unprefixed one.
 */
export function scopedName(name: string, scope: Scope = currentScope()): string {
  if (scope.accountId === defaultScope.accountId && scope.region === defaultScope.region) return name;
  return `${scope.accountId}-${scope.region}--${name}`;
}
