// The SDK clients of one provider, and a cache of them keyed by provider uid + generation + a hash of
// the secret values: a changed Secret or spec yields new clients (and new credentials), while every
// reconcile of an unchanged provider reuses the same ones (their connections and cached credentials).
import { createHash } from "node:crypto";
import type { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import type { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type CallHook, callAws } from "./call.ts";
import {
  type CredentialMethod,
  type CredentialOptions,
  type ProviderAuth,
  type ResolvedCredentials,
  resolveCredentials,
  sdkClientConfig,
} from "./credentials.ts";
import { CloudError } from "./errors.ts";
import { autoScalingSdk, taggingSdk } from "./lazy-import.ts";
import { installMutationFence, type MutationFence } from "./mutation-fence.ts";

export interface ClientOptions extends CredentialOptions {
  /** Asked right before every mutating ElastiCache request goes out; false refuses it unsent. */
  fence?: MutationFence;
  /** Sent as the SDK's user agent app id (`app/<id>`): which replica made a call (at most 50 characters). */
  appId?: string;
}

import { type AwsTimeouts, DEFAULT_AWS_TIMEOUTS } from "./timeouts.ts";

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export class AwsClients {
  readonly elasticache: ElastiCacheClient;
  readonly sts: STSClient;
  /** Application Auto Scaling (spec.autoScaling), imported and created on first use. */
  #autoScaling: ApplicationAutoScalingClient | undefined;
  /** The Resource Groups Tagging API (batched tag reads), imported and created on first use. */
  #tagging: ResourceGroupsTaggingAPIClient | undefined;
  readonly #config: ReturnType<typeof sdkClientConfig>;
  readonly #fence: ClientOptions["fence"];
  readonly #appId: string | undefined;
  readonly method: CredentialMethod;
  readonly region: string;
  /** Every call through these clients reports here (the caller's hook, after the proof below). */
  readonly onCall: CallHook;
  /** When a call signed with these credentials last succeeded: they worked then. */
  #provenAt: number | undefined;
  /** What GetCallerIdentity last answered. */
  #identity: CallerIdentity | undefined;
  readonly #now: () => number;
  readonly timeouts: AwsTimeouts;
  readonly #credentials: ResolvedCredentials;

  constructor(auth: ProviderAuth, options: ClientOptions = {}) {
    this.#credentials = resolveCredentials(auth, options);
    this.method = this.#credentials.method;
    this.region = auth.region;
    this.#now = options.now ?? Date.now;
    const hook = options.onCall;
    this.onCall = (operation, outcome, ms) => {
      if (outcome === "ok") this.#provenAt = this.#now();
      hook?.(operation, outcome, ms);
    };
    this.timeouts = options.timeouts ?? DEFAULT_AWS_TIMEOUTS;
    const config = sdkClientConfig(auth, this.#credentials.source, options.maxAttempts, this.timeouts);
    this.#config = config;
    this.#fence = options.fence;
    this.#appId = options.appId;
    this.elasticache = new ElastiCacheClient({
      ...config,
      ...(options.appId !== undefined ? { userAgentAppId: options.appId.slice(-50) } : {}),
    });
    if (options.fence !== undefined) installMutationFence(this.elasticache, options.fence);
    this.sts = new STSClient(config);
  }

  async autoScaling(): Promise<ApplicationAutoScalingClient> {
    const { ApplicationAutoScalingClient } = await autoScalingSdk();
    if (this.#autoScaling === undefined) {
      const client = new ApplicationAutoScalingClient({
        ...this.#config,
        ...(this.#appId !== undefined ? { userAgentAppId: this.#appId.slice(-50) } : {}),
      });
      // The fence reads only the command name from the middleware context, the same for every client.
      if (this.#fence !== undefined)
        installMutationFence(client as unknown as ElastiCacheClient, this.#fence);
      this.#autoScaling = client;
    }
    return this.#autoScaling;
  }

  async tagging(): Promise<ResourceGroupsTaggingAPIClient> {
    const { ResourceGroupsTaggingAPIClient } = await taggingSdk();
    // Read-only (GetResources): no mutation fence needed.
    this.#tagging ??= new ResourceGroupsTaggingAPIClient({
      ...this.#config,
      ...(this.#appId !== undefined ? { userAgentAppId: this.#appId.slice(-50) } : {}),
    });
    return this.#tagging;
  }

  /**
   * Who these credentials are, by STS GetCallerIdentity (also proves they work). With
   * `provenWithinMs`, an identity already known is answered without a call when any call signed
   * with these credentials succeeded that recently: a periodic re-check costs nothing while the
   * caches' own calls keep proving the credentials (so a quiet provider costs at most one call per
   * period, a busy one none).
   */
  async verifyIdentity(options: { provenWithinMs?: number } = {}): Promise<CallerIdentity> {
    const within = options.provenWithinMs;
    if (
      within !== undefined &&
      this.#identity !== undefined &&
      this.#provenAt !== undefined &&
      this.#now() - this.#provenAt < within
    )
      return this.#identity;
    const out = await callAws(
      "GetCallerIdentity",
      this.onCall,
      (abortSignal) => this.sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
      this.timeouts.callMs,
    );
    if (!out.Account || !out.Arn || !out.UserId) {
      throw new CloudError({
        kind: "Transient",
        code: "IncompleteResponse",
        action: "GetCallerIdentity",
        message: "GetCallerIdentity answered without Account, Arn or UserId; retrying",
      });
    }
    this.#identity = { account: out.Account, arn: out.Arn, userId: out.UserId };
    return this.#identity;
  }

  destroy(): void {
    this.elasticache.destroy();
    this.sts.destroy();
    this.#autoScaling?.destroy();
    this.#tagging?.destroy();
    this.#credentials.dispose();
  }
}

export interface ProviderRef {
  /** metadata.uid of the AWSProvider (or any stable name for the CLI). */
  uid: string;
  /** metadata.generation: a spec change makes new clients. */
  generation: number;
}

/** Hash of everything that changes the clients; secret values enter only hashed. */
export function clientKey(ref: ProviderRef, auth: ProviderAuth): string {
  const h = createHash("sha256");
  for (const v of [
    auth.region,
    auth.endpoint,
    auth.roleARN,
    auth.externalID,
    auth.accessKeyId,
    auth.secretAccessKey,
    auth.sessionToken,
    auth.roleSessionName,
  ]) {
    h.update(v ?? "\u0000");
    h.update("\u0001");
  }
  return `${ref.uid}/${ref.generation}/${h.digest("hex").slice(0, 32)}`;
}

export class ClientCache {
  readonly #byUid = new Map<string, { key: string; clients: AwsClients }>();
  readonly #options: ClientOptions;

  constructor(options: ClientOptions = {}) {
    this.#options = options;
  }

  /** The clients for this provider state; replaces (and closes) the provider's older clients. */
  get(ref: ProviderRef, auth: ProviderAuth): AwsClients {
    const key = clientKey(ref, auth);
    const cached = this.#byUid.get(ref.uid);
    if (cached?.key === key) return cached.clients;
    // Calls of the old clients may still be in flight: close them a little later.
    if (cached !== undefined) setTimeout(() => cached.clients.destroy(), 60_000).unref();
    const clients = new AwsClients(auth, this.#options);
    this.#byUid.set(ref.uid, { key, clients });
    return clients;
  }

  /** Closes and forgets the clients of a provider that was deleted. */
  forget(uid: string): void {
    this.#byUid.get(uid)?.clients.destroy();
    this.#byUid.delete(uid);
  }

  get size(): number {
    return this.#byUid.size;
  }

  clear(): void {
    for (const uid of [...this.#byUid.keys()]) this.forget(uid);
  }
}
