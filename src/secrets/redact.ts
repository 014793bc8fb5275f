// A guard against secrets leaking into logs and Events. Callers register the secret values they
// handle (auth tokens, AWS secret keys, session tokens); every log line and Event message passes
// through `redact` before it leaves the process. It is a safety net, not a licence to log secrets.

const MASK = "[REDACTED]";
// Shorter values would mask ordinary words; real secrets are far longer.
const MIN_SECRET_LENGTH = 6;
// Bounded so a long-running operator that rotates tokens does not grow without limit.
const MAX_SECRETS = 10_000;

export class SecretRedactor {
  #secrets = new Set<string>();

  /** Registers values that must never be printed. Short or empty values are ignored. */
  add(...values: Array<string | undefined>): void {
    for (const v of values) {
      if (v === undefined || v.length < MIN_SECRET_LENGTH) continue;
      if (this.#secrets.size >= MAX_SECRETS) {
        const oldest = this.#secrets.values().next().value;
        if (oldest !== undefined) this.#secrets.delete(oldest);
      }
      this.#secrets.add(v);
    }
  }

  /** Returns `text` with every registered secret (and every extra one passed here) masked. */
  redact(text: string, extra: ReadonlyArray<string> = []): string {
    let out = text;
    for (const s of extra) if (s.length > 0) out = out.split(s).join(MASK);
    for (const s of this.#secrets) if (out.includes(s)) out = out.split(s).join(MASK);
    return out;
  }
}

/** The process-wide redactor the logger and the event recorder use unless given another. */
export const globalRedactor = new SecretRedactor();
