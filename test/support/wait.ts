// Bounded polling for e2e tests: the operator and AWS converge asynchronously.

/**
 * Calls `read` every `everyMs` until `ok` accepts its result and returns it; after `timeoutMs`
 * fails naming `what` and the last value seen (errors thrown by `read` count as "not yet").
 */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 90_000,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      lastError = undefined;
      if (ok(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const seen = lastError !== undefined ? `error ${(lastError as Error).message}` : JSON.stringify(last);
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${seen?.slice(0, 2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
