// Temporary credentials (AssumeRole, web identity) fetched once, shared by every call, and fetched
// again before they expire: a refresh that fails while the old credentials are still valid must not
// break calls, and many calls arriving together must cause one STS request, not many.

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type CredentialSource = () => Promise<AwsCredentials>;

/** Refresh this long before expiry (more than the SDK's own 5-minute margin, so it never asks twice). */
export const REFRESH_MARGIN_MS = 6 * 60_000;

export class RefreshingCredentials {
  readonly #fetch: CredentialSource;
  readonly #now: () => number;
  #current: AwsCredentials | undefined;
  #issuedAt = 0;
  #inflight: Promise<AwsCredentials> | undefined;

  constructor(fetch: CredentialSource, now: () => number = Date.now) {
    this.#fetch = fetch;
    this.#now = now;
  }

  /** Valid credentials: the cached ones while fresh, else fetched (once for all concurrent callers). */
  get(): Promise<AwsCredentials> {
    const current = this.#current;
    if (current !== undefined && !this.#needsRefresh(current)) return Promise.resolve(current);
    this.#inflight ??= this.#refresh(current).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Forgets the cached credentials (after AWS rejected them as expired, for instance). */
  invalidate(): void {
    this.#current = undefined;
  }

  #needsRefresh(c: AwsCredentials): boolean {
    if (c.expiration === undefined) return false;
    const expiresAt = c.expiration.getTime();
    // Short-lived credentials are refreshed at half their life rather than on every call.
    const margin = Math.min(REFRESH_MARGIN_MS, (expiresAt - this.#issuedAt) / 2);
    return this.#now() >= expiresAt - margin;
  }

  async #refresh(previous: AwsCredentials | undefined): Promise<AwsCredentials> {
    const issuedAt = this.#now();
    try {
      const fresh = await this.#fetch();
      this.#current = fresh;
      this.#issuedAt = issuedAt;
      return fresh;
    } catch (e) {
      // Keep working on the old credentials while they last; the next call tries again.
      if (previous?.expiration !== undefined && previous.expiration.getTime() > this.#now()) return previous;
      throw e;
    }
  }
}
