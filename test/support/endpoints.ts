// Talking to the cache nodes behind an endpoint, as a client would: Redis PING (after AUTH when a
// token is set, over TLS with the local CA when in-transit encryption is on) and memcached `version`.
import { talk } from "../../src/aws/testing.ts";

export interface Endpoint {
  address: string;
  port: number;
}

function resp(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join("")}`;
}

/**
 * Sends (AUTH token,) PING and returns the server's answer lines: ["+PONG"] without a token,
 * ["+OK", "+PONG"] with a good one, an error line ("-WRONGPASS ...", "-NOAUTH ...") otherwise.
 */
export async function redisPing(
  endpoint: Endpoint,
  options: { token?: string; caFile?: string } = {},
): Promise<string[]> {
  const request = (options.token !== undefined ? resp("AUTH", options.token) : "") + resp("PING");
  const expected = options.token !== undefined ? 2 : 1;
  const reply = await talk(
    endpoint,
    request,
    (text) => text.split("\r\n").filter((l) => l !== "").length >= expected,
    { caFile: options.caFile, timeoutMs: 10_000 },
  );
  return reply.split("\r\n").filter((l) => l !== "");
}

/** True when PING answers PONG (with the token, when given). */
export async function redisAnswers(
  endpoint: Endpoint,
  options: { token?: string; caFile?: string } = {},
): Promise<boolean> {
  const lines = await redisPing(endpoint, options);
  return lines.at(-1) === "+PONG" && lines.every((l) => !l.startsWith("-"));
}

/** memcached's `version` answer, e.g. "VERSION 1.6.18". */
export async function memcachedVersion(endpoint: Endpoint): Promise<string> {
  const reply = await talk(endpoint, "version\r\n", (text) => text.endsWith("\r\n"), { timeoutMs: 10_000 });
  return reply.trim();
}

/** A Redis setting as the engine has it now (`CONFIG GET name`); undefined when it has none. */
export async function redisConfigGet(endpoint: Endpoint, name: string): Promise<string | undefined> {
  const reply = await talk(
    endpoint,
    resp("CONFIG", "GET", name),
    (text) => text.startsWith("-") || text.startsWith("*0") || text.split("\r\n").length >= 5,
    { timeoutMs: 10_000 },
  );
  if (reply.startsWith("-")) throw new Error(`CONFIG GET ${name}: ${reply.trim()}`);
  return reply.split("\r\n")[4];
}

/**
 * AUTH <user> <password> on a new connection: the server's answer line ("+OK", "-WRONGPASS ...").
 * One connection per call, as a client that starts after the change would connect.
 */
export async function redisAuth(
  endpoint: Endpoint,
  user: string,
  password: string,
  options: { caFile?: string } = {},
): Promise<string> {
  const reply = await talk(endpoint, resp("AUTH", user, password), (text) => text.includes("\r\n"), {
    caFile: options.caFile,
    timeoutMs: 10_000,
  });
  return reply.split("\r\n")[0] ?? "";
}
