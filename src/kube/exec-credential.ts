// Exec credential plugins (client.authentication.k8s.io): the kubeconfig names a program, such as
// `aws eks get-token`, that prints an ExecCredential with a bearer token and its expiry. The token is
// cached until shortly before it expires; the program runs synchronously (it is short-lived and
// runs about once per token lifetime) so that every request can simply ask for a header.
import { execFileSync } from "node:child_process";
import { globalRedactor } from "../secrets/redact.ts";
import type { KubeCredentials } from "./kubeconfig.ts";

type ExecCredentials = Extract<KubeCredentials, { kind: "exec" }>;

/** Without an expirationTimestamp the token is asked for again after this long. */
const DEFAULT_LIFETIME_MS = 5 * 60_000;
/** Renew this long before the stated expiry. */
const MARGIN_MS = 60_000;

export function execCredentialToken() {
  let cached: { token: string; renewAt: number } | undefined;
  return {
    token(c: ExecCredentials, now: () => number): string {
      if (cached !== undefined && now() < cached.renewAt) return cached.token;
      const out = run(c);
      const status = (parse(out, c) as { status?: { token?: unknown; expirationTimestamp?: unknown } })
        .status;
      const token = typeof status?.token === "string" ? status.token : "";
      if (token === "") {
        throw new Error(
          `${c.where}: ${c.command} returned no status.token (exec plugins that return client certificates are not supported)`,
        );
      }
      globalRedactor.add(token);
      const expiry =
        typeof status?.expirationTimestamp === "string" ? Date.parse(status.expirationTimestamp) : Number.NaN;
      const renewAt = Number.isFinite(expiry) ? expiry - MARGIN_MS : now() + DEFAULT_LIFETIME_MS;
      cached = { token, renewAt };
      return token;
    },
  };
}

function run(c: ExecCredentials): string {
  const info = { apiVersion: c.apiVersion, kind: "ExecCredential", spec: { interactive: false } };
  try {
    return execFileSync(c.command, c.args, {
      env: { ...process.env, ...c.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) },
      encoding: "utf8",
      timeout: 60_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    const detail =
      e.code === "ENOENT"
        ? `${c.command} is not installed or not on PATH`
        : (e.stderr ?? "").trim().split("\n")[0] || e.message;
    throw new Error(`${c.where}: running the credential plugin failed: ${detail}`);
  }
}

function parse(out: string, c: ExecCredentials): unknown {
  try {
    return JSON.parse(out);
  } catch {
    throw new Error(`${c.where}: ${c.command} did not print an ExecCredential (JSON)`);
  }
}
