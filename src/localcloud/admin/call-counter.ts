// Counts calls per action and per access key (benchmarks read it through GET /_localcloud/calls).

export interface CallCounts {
  total: number;
  byAction: Record<string, number>;
  byAccessKey: Record<string, number>;
  /** Answered with an error, per error code. */
  byErrorCode: Record<string, number>;
  since: string;
}

export class CallCounter {
  #counts: CallCounts = CallCounter.#empty();

  static #empty(): CallCounts {
    return { total: 0, byAction: {}, byAccessKey: {}, byErrorCode: {}, since: new Date().toISOString() };
  }

  record(
    service: string,
    action: string,
    accessKeyId: string | undefined,
    errorCode: string | undefined,
  ): void {
    const c = this.#counts;
    c.total += 1;
    const a = `${service}:${action}`;
    c.byAction[a] = (c.byAction[a] ?? 0) + 1;
    const k = accessKeyId ?? "anonymous";
    c.byAccessKey[k] = (c.byAccessKey[k] ?? 0) + 1;
    if (errorCode !== undefined) c.byErrorCode[errorCode] = (c.byErrorCode[errorCode] ?? 0) + 1;
  }

  snapshot(): CallCounts {
    return structuredClone(this.#counts);
  }

  reset(): void {
    this.#counts = CallCounter.#empty();
  }
}
