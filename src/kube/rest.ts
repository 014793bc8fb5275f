// A small JSON client for the Kubernetes REST API on node:https, with the connection settings of
// kubeconfig.ts (certificates, bearer token or basic auth). The kit uses it rather than generated
// typed clients because one code path then serves every resource, built-in or custom,
// subresources and every patch type, and every failure surfaces as one error type with the HTTP
// status.

import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { Authorization } from "./authorization.ts";
import type { ObjectRef } from "./keys.ts";
import type { KubeConfig } from "./kubeconfig.ts";
import { type RateLimit, TokenBucket } from "./rate-limit.ts";
import { type ResourceType, resourcePath } from "./resource.ts";

export const PatchType = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A failed API call; `status` is the HTTP status (404 not found, 409 conflict, 410 gone, ...). */
export class KubeApiError extends Error {
  readonly status: number;
  /** The Status object's reason, e.g. "NotFound", "Conflict", "Expired", "Invalid". */
  readonly reason: string;
  /** The Retry-After header, when the server sent one (429, 503). */
  retryAfterSeconds: number | undefined;

  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = "KubeApiError";
    this.status = status;
    this.reason = reason;
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof KubeApiError && e.status === 404;
export const isConflict = (e: unknown): boolean => e instanceof KubeApiError && e.status === 409;
export const isAlreadyExists = (e: unknown): boolean =>
  e instanceof KubeApiError && e.status === 409 && e.reason === "AlreadyExists";
export const isGone = (e: unknown): boolean => e instanceof KubeApiError && e.status === 410;

const MAX_429_ATTEMPTS = 5;
const IDLE_SOCKET_MS = 15_000;

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** Default 30 s; watches are not bounded by it. */
  timeoutMs?: number;
}

/** One event of a watch stream. */
export interface WatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    deletionTimestamp?: string | Date;
    finalizers?: string[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface KubeList<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

export class KubeRest {
  readonly config: KubeConfig;
  readonly #server: URL;
  readonly #agent: http.Agent;
  readonly #authorization: Authorization;
  readonly #limiter: TokenBucket | undefined;

  constructor(config: KubeConfig, options: { rateLimit?: RateLimit } = {}) {
    this.config = config;
    this.#limiter =
      options.rateLimit && options.rateLimit.qps > 0 ? new TokenBucket(options.rateLimit) : undefined;
    this.#server = new URL(config.server);
    const tls = config.tls;
    // One keep-alive agent: requests reuse connections, watches hold their own. Idle connections
    // are closed after IDLE_SOCKET_MS, well before the API server drops them, so a request is
    // not sent on a connection the server is closing.
    this.#agent =
      this.#server.protocol === "http:"
        ? new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS })
        : new https.Agent({
            keepAlive: true,
            timeout: IDLE_SOCKET_MS,
            ca: tls.ca,
            cert: tls.cert,
            key: tls.key,
            rejectUnauthorized: tls.rejectUnauthorized,
            ...(tls.serverName ? { servername: tls.serverName } : {}),
          });
    this.#authorization = new Authorization(config.credentials);
  }

  /** Closes idle keep-alive connections (open watches end through their signals). */
  close(): void {
    this.#agent.destroy();
  }

  /** Sends one request and returns the parsed JSON body; throws KubeApiError on a non-2xx status. */
  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    // 429 means the server did not process the request (overload, or storage warming up after
    // a CRD is created); like client-go, retry a few times after the Retry-After it names.
    for (let attempt = 1; ; attempt++) {
      await this.#limiter?.take(options.signal);
      try {
        return await this.#requestOnce<T>(method, path, options);
      } catch (err) {
        if (!(err instanceof KubeApiError) || err.status !== 429 || attempt >= MAX_429_ATTEMPTS) throw err;
        if (options.signal?.aborted) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(5, err.retryAfterSeconds ?? 1) * 1000));
      }
    }
  }

  async #requestOnce<T>(method: HttpMethod, path: string, options: RequestOptions): Promise<T> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const response = await this.#send(method, path, options.query, signal, body, options.contentType);
    const text = await readText(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const err = apiError(method, path, status, text);
      const retryAfter = Number(response.headers["retry-after"]);
      if (Number.isFinite(retryAfter) && retryAfter > 0) err.retryAfterSeconds = retryAfter;
      throw err;
    }
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  get<T extends KubeObject>(type: ResourceType, ref: ObjectRef, options?: RequestOptions): Promise<T> {
    return this.request("GET", resourcePath(type, ref), options);
  }

  list<T extends KubeObject>(type: ResourceType, namespace?: string, query?: Query): Promise<KubeList<T>> {
    return this.request("GET", resourcePath(type, { namespace }), { query });
  }

  create<T extends KubeObject>(type: ResourceType, obj: T): Promise<T> {
    return this.request("POST", resourcePath(type, { namespace: obj.metadata?.namespace }), { body: obj });
  }

  /** PUT; carries `metadata.resourceVersion`, so a stale object gets 409 Conflict. */
  replace<T extends KubeObject>(type: ResourceType, obj: T, subresource?: string): Promise<T> {
    const ref = { namespace: obj.metadata?.namespace, name: requiredName(obj), subresource };
    return this.request("PUT", resourcePath(type, ref), { body: obj });
  }

  patch<T extends KubeObject>(
    type: ResourceType,
    ref: ObjectRef & { subresource?: string },
    patch: unknown,
    patchType: PatchType = PatchType.merge,
  ): Promise<T> {
    return this.request("PATCH", resourcePath(type, ref), { body: patch, contentType: patchType });
  }

  delete(type: ResourceType, ref: ObjectRef, body?: unknown): Promise<unknown> {
    return this.request("DELETE", resourcePath(type, ref), { body });
  }

  /**
   * Opens a watch (`?watch=true` is added) and calls `onEvent` for each event until the server
   * ends the stream (resolves) or it fails (rejects, e.g. KubeApiError 410 when the
   * resourceVersion is too old). Abort `signal` to close it; that resolves too.
   */
  async watch<T>(path: string, query: Query, onEvent: (event: WatchEvent<T>) => void, signal: AbortSignal) {
    let response: IncomingMessage;
    try {
      response = await this.#send("GET", path, { ...query, watch: true }, signal);
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    if (response.statusCode !== 200) {
      throw apiError("GET", path, response.statusCode ?? 0, await readText(response));
    }
    const decoder = new TextDecoder();
    let buffered = "";
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        buffered += decoder.decode(chunk, { stream: true });
        let nl = buffered.indexOf("\n");
        while (nl >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line !== "") onEvent(JSON.parse(line) as WatchEvent<T>);
          nl = buffered.indexOf("\n");
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    } finally {
      response.destroy();
    }
  }

  /** Starts one request and resolves with the response once its headers arrived. */
  #send(
    method: HttpMethod,
    path: string,
    query: Query | undefined,
    signal: AbortSignal,
    body?: string,
    contentType?: string,
  ): Promise<IncomingMessage> {
    // Kept relative to the server URL's own path (a server may sit below a path prefix).
    const url = new URL(this.#server.href.replace(/\/+$/, "") + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: http.OutgoingHttpHeaders = { Accept: "application/json" };
    const authorization = this.#authorization.header();
    if (authorization !== undefined) headers.Authorization = authorization;
    if (body !== undefined) {
      headers["Content-Type"] = contentType ?? "application/json";
      headers["Content-Length"] = Buffer.byteLength(body);
    }
    const send = url.protocol === "http:" ? http.request : https.request;
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.#agent, signal }, resolve);
      req.on("error", reject);
      req.end(body);
    });
  }
}

/** Reads a whole response body as UTF-8; rejects when the request's signal aborts mid-body. */
async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function requiredName(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error("object has no metadata.name");
  return name;
}

// The API server answers failures with a Status object; keep its reason and message.
function apiError(method: string, path: string, status: number, body: string): KubeApiError {
  let reason = "Unknown";
  let message = body.slice(0, 500);
  try {
    const s = JSON.parse(body) as { reason?: string; message?: string };
    reason = s.reason ?? reason;
    message = s.message ?? message;
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the start of the text.
  }
  return new KubeApiError(status, reason, `${method} ${path}: ${status} ${reason}: ${message}`);
}
