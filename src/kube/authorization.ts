// The Authorization header for a kubeconfig's credentials. Token files are re-read now and then
// because projected service account tokens are rotated by the kubelet (about hourly); a failed
// re-read keeps the last token, which stays valid for a while, rather than failing every request.
import { readFileSync } from "node:fs";
import { execCredentialToken } from "./exec-credential.ts";
import type { KubeCredentials } from "./kubeconfig.ts";

export class Authorization {
  readonly #credentials: KubeCredentials;
  readonly #now: () => number;
  #token: string | undefined;
  #readAt = 0;
  readonly #exec = execCredentialToken();

  constructor(credentials: KubeCredentials, now: () => number = Date.now) {
    this.#credentials = credentials;
    this.#now = now;
  }

  /** The header value, or undefined when the credentials are none (or a client certificate). */
  header(): string | undefined {
    const c = this.#credentials;
    switch (c.kind) {
      case "none":
        return undefined;
      case "token":
        return `Bearer ${c.token}`;
      case "basic":
        return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
      case "tokenFile":
        return `Bearer ${this.#fileToken(c.path, c.refreshMs)}`;
      case "exec":
        return `Bearer ${this.#exec.token(c, this.#now)}`;
    }
  }

  #fileToken(file: string, refreshMs: number): string {
    if (this.#token !== undefined && this.#now() - this.#readAt < refreshMs) return this.#token;
    try {
      const token = readFileSync(file, "utf8").trim();
      if (token === "") throw new Error("the file is empty");
      this.#token = token;
      this.#readAt = this.#now();
    } catch (err) {
      if (this.#token === undefined) {
        throw new Error(`cannot read the Kubernetes token file ${file}: ${(err as Error).message}`);
      }
      // Keep the previous token and retry on the next request.
    }
    return this.#token;
  }
}
