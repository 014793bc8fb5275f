// Admin endpoints under /_localcloud/ (see docs/local-cloud.md). Every request needs the admin token
// (Authorization: Bearer <token>, see token.ts); a request that changes something needs a JSON
// content type, which a browser cannot send to another origin without a preflight we never answer.
//   GET  /_localcloud/health                    {"status":"ok", ...}
//   GET  /_localcloud/faults, POST (JSON body)  fault injection settings
//   GET  /_localcloud/calls, DELETE (reset)     call counts per action / access key
//   GET  /_localcloud/pace, POST {"transitionDelayMs": N}
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallCounter } from "./call-counter.ts";
import type { FaultInjector } from "./faults.ts";
import { presentsToken } from "./token.ts";

export interface AdminState {
  /** The token callers present; in <data-dir>/admin-token. */
  token: string;
  faults: FaultInjector;
  calls: CallCounter;
  getPace(): number;
  setPace(ms: number): void;
  health(): Record<string, unknown>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

function parseJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    throw new Error("the body must be JSON");
  }
}

type Reply = [status: number, body: unknown];

function route(method: string, path: string, body: Buffer, admin: AdminState): Reply {
  if (path === "/_localcloud/health" && method === "GET") return [200, admin.health()];
  if (path === "/_localcloud/faults") {
    if (method === "GET") return [200, admin.faults.config];
    if (method === "POST" || method === "PUT") return [200, admin.faults.update(parseJson(body))];
  }
  if (
    (path === "/_localcloud/calls" && method === "DELETE") ||
    (path === "/_localcloud/calls/reset" && method === "POST")
  ) {
    admin.calls.reset();
    return [200, admin.calls.snapshot()];
  }
  if (path === "/_localcloud/calls" && method === "GET") return [200, admin.calls.snapshot()];
  if (path === "/_localcloud/pace") {
    if (method === "GET") return [200, { transitionDelayMs: admin.getPace() }];
    if (method === "POST" || method === "PUT") {
      const ms = (parseJson(body) as { transitionDelayMs?: unknown }).transitionDelayMs;
      if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 0 || ms > 600_000) {
        throw new Error("transitionDelayMs must be an integer number of milliseconds between 0 and 600000");
      }
      admin.setPace(ms);
      return [200, { transitionDelayMs: ms }];
    }
  }
  return [404, { error: `no admin endpoint ${method} ${path}; see docs/local-cloud.md` }];
}

/** Answers an admin request; false when the path is not an admin path. */
export function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  admin: AdminState,
): boolean {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (!path.startsWith("/_localcloud/")) return false;
  if (!presentsToken(req.headers.authorization, admin.token)) {
    json(res, 401, {
      error:
        "admin endpoints need the admin token (printed at start, in <data-dir>/admin-token) as Authorization: Bearer <token>",
    });
    return true;
  }
  const method = req.method ?? "GET";
  const type = req.headers["content-type"] ?? "";
  if (method !== "GET" && method !== "HEAD" && !/^application\/json\s*(;|$)/i.test(type)) {
    json(res, 415, { error: `admin ${method} requests must be sent as Content-Type: application/json` });
    return true;
  }
  try {
    const [status, reply] = route(req.method ?? "GET", path, body, admin);
    json(res, status, reply);
  } catch (e) {
    json(res, 400, { error: (e as Error).message });
  }
  return true;
}
