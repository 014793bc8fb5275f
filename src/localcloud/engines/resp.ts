// A small RESP2 client for the admin commands the engine host sends to redis-server /
// valkey-server (AUTH, REPLICAOF, CLUSTER ..., CONFIG SET, ACL SETUSER, SAVE, INFO).
// Not a general-purpose client: no pub/sub, no RESP3, no reconnects. Commands may be
// pipelined (replies are matched to commands in order), which the slot migration uses.
import net from "node:net";
import tls from "node:tls";

/** An error reply (`-ERR ...`) from the server. */
export class RespReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RespReplyError";
  }
}

export type RespValue = string | number | null | RespReplyError | RespValue[];

export interface RespConnectOptions {
  host: string;
  port: number;
  /** Connect with TLS, trusting this CA (PEM text). */
  tlsCa?: string;
  /** Bounds connecting and every single command. */
  timeoutMs?: number;
}

/** Encodes one command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly (string | number | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const data = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg));
    parts.push(Buffer.from(`$${data.length}\r\n`), data, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

const incomplete = Symbol("incomplete");

/**
 * Incremental RESP2 parser: feed it chunks, take complete values out.
 * Bulk strings are decoded as UTF-8 (admin replies are text).
 */
export class RespParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): RespValue[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const values: RespValue[] = [];
    for (;;) {
      const result = this.parseAt(0);
      if (result === incomplete) break;
      values.push(result.value);
      this.buffer = this.buffer.subarray(result.next);
    }
    return values;
  }

  private parseAt(offset: number): { value: RespValue; next: number } | typeof incomplete {
    const lineEnd = this.buffer.indexOf("\r\n", offset);
    if (lineEnd < 0) return incomplete;
    const type = String.fromCharCode(this.buffer[offset] ?? 0);
    const line = this.buffer.toString("utf8", offset + 1, lineEnd);
    const afterLine = lineEnd + 2;
    switch (type) {
      case "+":
        return { value: line, next: afterLine };
      case "-":
        return { value: new RespReplyError(line), next: afterLine };
      case ":":
        return { value: Number(line), next: afterLine };
      case "$": {
        const length = Number(line);
        if (length < 0) return { value: null, next: afterLine };
        if (this.buffer.length < afterLine + length + 2) return incomplete;
        return {
          value: this.buffer.toString("utf8", afterLine, afterLine + length),
          next: afterLine + length + 2,
        };
      }
      case "*": {
        const count = Number(line);
        if (count < 0) return { value: null, next: afterLine };
        const items: RespValue[] = [];
        let next = afterLine;
        for (let i = 0; i < count; i++) {
          const item = this.parseAt(next);
          if (item === incomplete) return incomplete;
          items.push(item.value);
          next = item.next;
        }
        return { value: items, next };
      }
      default:
        throw new Error(`unexpected RESP type byte ${JSON.stringify(type)} from the server`);
    }
  }
}

interface Pending {
  resolve: (value: RespValue) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  name: string;
}

/** One connection to one node. Commands are answered in order. */
export class RespConnection {
  private readonly socket: net.Socket;
  private readonly parser = new RespParser();
  private readonly pending: Pending[] = [];
  private readonly timeoutMs: number;
  private readonly label: string;
  private closedError: Error | undefined;

  private constructor(socket: net.Socket, timeoutMs: number, label: string) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    this.label = label;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (error) => this.failAll(new Error(`connection to ${label} failed: ${error.message}`)));
    socket.on("close", () => this.failAll(new Error(`connection to ${label} closed`)));
  }

  static connect(options: RespConnectOptions): Promise<RespConnection> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const label = `${options.host}:${options.port}${options.tlsCa ? " (TLS)" : ""}`;
    return new Promise((resolve, reject) => {
      const socket = options.tlsCa
        ? tls.connect({ host: options.host, port: options.port, ca: options.tlsCa })
        : net.connect({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connecting to ${label} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const onError = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`cannot connect to ${label}: ${error.message}`));
      };
      socket.once("error", onError);
      socket.once(options.tlsCa ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        socket.off("error", onError);
        socket.setNoDelay(true);
        resolve(new RespConnection(socket, timeoutMs, label));
      });
    });
  }

  /** Sends a command; resolves with the reply, rejects on an error reply, timeout or closed link. */
  async command(args: readonly (string | number | Buffer)[]): Promise<RespValue> {
    const reply = await this.send(args);
    if (reply instanceof RespReplyError) throw reply;
    return reply;
  }

  /** Sends a command; an error reply is returned (not thrown), as a RespReplyError value. */
  send(args: readonly (string | number | Buffer)[]): Promise<RespValue> {
    if (this.closedError) return Promise.reject(this.closedError);
    // The command name only (never its arguments: they may hold passwords) for error messages.
    const name = String(args[0] ?? "").toUpperCase();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failAll(new Error(`${name} to ${this.label} timed out after ${this.timeoutMs} ms`));
        this.socket.destroy();
      }, this.timeoutMs);
      this.pending.push({ resolve, reject, timer, name });
      this.socket.write(encodeCommand(args));
    });
  }

  close(): void {
    this.closedError ??= new Error(`connection to ${this.label} closed by the client`);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let values: RespValue[];
    try {
      values = this.parser.push(chunk);
    } catch (error) {
      this.failAll(error as Error);
      this.socket.destroy();
      return;
    }
    for (const value of values) {
      const next = this.pending.shift();
      if (!next) continue;
      clearTimeout(next.timer);
      next.resolve(value);
    }
  }

  private failAll(error: Error): void {
    this.closedError ??= error;
    for (const entry of this.pending.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }
}

/** Parses the `key:value` lines of an INFO reply. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}
