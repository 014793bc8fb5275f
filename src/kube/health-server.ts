// The operator's HTTP endpoints: /metrics (Prometheus text format), /healthz (liveness: restart
// me if this fails) and /readyz (readiness). Each probe runs named checks and answers 200 "ok",
// or 500 listing what failed; `?verbose` lists every check, as the API server's probes do.
// Metrics and health can listen on separate addresses: start one server per address and give
// each what it should serve.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type Logger, silentLogger } from "./logger.ts";
import { PROMETHEUS_CONTENT_TYPE, type Registry } from "./metrics.ts";

export interface HealthCheck {
  name: string;
  /** `undefined` when healthy, otherwise what is wrong. */
  check(): string | undefined;
}

export interface HealthServerOptions {
  /** Serves /metrics when given. */
  registry?: Registry;
  /** Serves /healthz when given. */
  liveness?: ReadonlyArray<HealthCheck>;
  /** Serves /readyz when given. */
  readiness?: ReadonlyArray<HealthCheck>;
  logger?: Logger;
}

export interface RunningHealthServer {
  /** The port bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** Parses "host:port" or ":port" (all interfaces) as the --metrics-addr style flags take it. */
export function parseListenAddress(value: string, flag: string): { host: string; port: number } {
  const m = /^(.*):(\d{1,5})$/.exec(value);
  const port = Number(m?.[2]);
  if (!m || port > 65_535)
    throw new Error(`${flag} "${value}" is not an address: use host:port or :port, e.g. :8080`);
  const host = (m[1] ?? "").replace(/^\[(.*)\]$/, "$1");
  return { host: host === "" ? "0.0.0.0" : host, port };
}

export async function startHealthServer(
  host: string,
  port: number,
  options: HealthServerOptions,
): Promise<RunningHealthServer> {
  const logger = options.logger ?? silentLogger;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET" && req.method !== "HEAD") {
      reply(res, 405, "text/plain; charset=utf-8", "only GET is served\n");
      return;
    }
    try {
      if (url.pathname === "/metrics" && options.registry) {
        reply(res, 200, PROMETHEUS_CONTENT_TYPE, options.registry.render());
      } else if (url.pathname === "/healthz" && options.liveness) {
        probe(res, options.liveness, url.searchParams.has("verbose"));
      } else if (url.pathname === "/readyz" && options.readiness) {
        probe(res, options.readiness, url.searchParams.has("verbose"));
      } else {
        reply(res, 404, "text/plain; charset=utf-8", "not found\n");
      }
    } catch (err) {
      logger.error("health server request failed", { path: url.pathname, err });
      reply(res, 500, "text/plain; charset=utf-8", "internal error\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === "EADDRINUSE"
            ? `cannot listen on ${host}:${port}: the address is in use; choose another port for the flag`
            : `cannot listen on ${host}:${port}: ${err.message}`,
        ),
      );
    });
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  logger.info("serving health and metrics", { address: `${host}:${bound}` });
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function probe(res: http.ServerResponse, checks: ReadonlyArray<HealthCheck>, verbose: boolean): void {
  const lines: string[] = [];
  let failed = false;
  for (const c of checks) {
    let problem: string | undefined;
    try {
      problem = c.check();
    } catch (err) {
      problem = `check threw: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (problem === undefined) {
      if (verbose) lines.push(`[+]${c.name} ok`);
    } else {
      failed = true;
      lines.push(`[-]${c.name} failed: ${problem}`);
    }
  }
  const body = failed || verbose ? `${lines.join("\n")}\n${failed ? "check failed" : "ok"}\n` : "ok\n";
  reply(res, failed ? 500 : 200, "text/plain; charset=utf-8", body);
}

function reply(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "Content-Type": contentType, "Cache-Control": "no-store" });
  res.end(body);
}
