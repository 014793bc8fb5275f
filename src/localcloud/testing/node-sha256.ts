// The hash the SigV4 signer of @smithy/signature-v4 needs (update + digest), on node:crypto, for
// tests that sign requests themselves.
import { createHash, createHmac } from "node:crypto";

export class NodeSha256 {
  #h;
  constructor(secret?: string | Uint8Array) {
    this.#h = secret === undefined ? createHash("sha256") : createHmac("sha256", secret);
  }
  update(data: string | Uint8Array): void {
    this.#h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.#h.digest();
  }
}
