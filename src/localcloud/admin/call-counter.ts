// Counts calls per action, per access key (also by action) and per client (benchmarks read it through GET
// /_localcloud/calls). A client is the app id its SDK puts in the user agent (`app/<id>`, the SDK's
// userAgentAppId): the operator sends its leader-election identity, so tests can tell replicas apart.

export interface CallCounts {
  total: number;
  byAction: Record<string, number>;
  byAccessKey: Record<string, number>;
  /** Per access key ("anonymous" without one), per action: tells operators in one run apart. */
  byAccessKeyAction: Record<string, Record<string, number>>;
  /** Answered with an error, per error code. */
  byErrorCode: Record<string, number>;
  /** Per client app id ("-" without one), per action: every call received, answered or not. */
  byClient: Record<string, Record<string, number>>;
  since: string;
}

export class CallCounter {
  #counts: CallCounts = CallCounter.#empty();

  static #empty(): CallCounts {
    return {
      total: 0,
      byAction: {},
      byAccessKey: {},
      byAccessKeyAction: {},
      byErrorCode: {},
      byClient: {},
      since: new Date().toISOString(),
    };
  }

  record(
    service: string,
    action: string,
    accessKeyId: string | undefined,
    errorCode: string | undefined,
    clientId = "-",
  ): void {
    const c = this.#counts;
    c.total += 1;
    const a = `${service}:${action}`;
    c.byAction[a] = (c.byAction[a] ?? 0) + 1;
    const k = accessKeyId ?? "anonymous";
    c.byAccessKey[k] = (c.byAccessKey[k] ?? 0) + 1;
    const perKey = c.byAccessKeyAction[k] ?? {};
    perKey[a] = (perKey[a] ?? 0) + 1;
    c.byAccessKeyAction[k] = perKey;
    if (errorCode !== undefined) c.byErrorCode[errorCode] = (c.byErrorCode[errorCode] ?? 0) + 1;
    const client = c.byClient[clientId] ?? {};
    client[a] = (client[a] ?? 0) + 1;
    c.byClient[clientId] = client;
  }

  snapshot(): CallCounts {
    return structuredClone(this.#counts);
  }

  reset(): void {
    this.#counts = CallCounter.#empty();
  }
}

/** The `app/<id>` of an AWS SDK user agent (x-amz-user-agent, else user-agent), or undefined. */
export function clientAppId(headers: Record<string, string | string[] | undefined>): string | undefined {
  for (const name of ["x-amz-user-agent", "user-agent"]) {
    const value = headers[name];
    const match = /(?:^|\s)app\/([^\s]+)/.exec(Array.isArray(value) ? value.join(" ") : (value ?? ""));
    if (match?.[1]) {
      try {
        return decodeURIComponent(match[1]);
      } catch {
        return match[1];
      }
    }
  }
  return undefined;
}
