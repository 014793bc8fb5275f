// Reading a kubeconfig file or the in-cluster service account into what `KubeRest` needs to
// connect: the server URL, TLS material and one way to authenticate (token, token file, basic,
// client certificate, or an exec credential plugin such as `aws eks get-token` that returns a
// token). Fields it cannot honour (auth providers, proxies, exec plugins that return client
// certificates) fail with an error that names the field, rather than being ignored.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import path from "node:path";
import type { parse as parseYaml } from "yaml";

// The YAML parser is loaded only when a kubeconfig file is read: in a pod the operator uses the
// service account and never needs it (a few MiB less memory there).
const requireLazily = createRequire(import.meta.url);
const parse = (text: string): unknown => (requireLazily("yaml") as { parse: typeof parseYaml }).parse(text);

/** How requests authenticate (besides a client certificate, which lives in `tls`). */
export type KubeCredentials =
  | { kind: "none" }
  | { kind: "token"; token: string }
  /** A token read from a file and re-read every `refreshMs` (projected tokens rotate). */
  | { kind: "tokenFile"; path: string; refreshMs: number }
  | { kind: "basic"; username: string; password: string }
  /** client.authentication.k8s.io exec plugin: run `command` for an ExecCredential with a token. */
  | {
      kind: "exec";
      command: string;
      args: string[];
      env: Record<string, string>;
      apiVersion: string;
      where: string;
    };

export interface KubeTls {
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  /** False when the kubeconfig says insecure-skip-tls-verify. */
  rejectUnauthorized: boolean;
  /** tls-server-name: the name the server's certificate is checked against (and sent as SNI). */
  serverName?: string | undefined;
}

/** One resolved cluster + user: everything needed to talk to the API server. */
export interface KubeConfig {
  /** The API server URL without a trailing slash, e.g. https://10.0.0.1:443. */
  server: string;
  tls: KubeTls;
  credentials: KubeCredentials;
  /** The context's namespace, or the service account's namespace in a pod. */
  namespace?: string | undefined;
  /** Where it came from, for error messages: a file path or "in-cluster". */
  origin: string;
}

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** Like client-go: a rotated projected token is picked up within a minute. */
export const TOKEN_REFRESH_MS = 60_000;

/** The in-cluster configuration: the service account's token, CA and namespace. */
export function inClusterConfig(env: NodeJS.ProcessEnv, dir: string = SERVICE_ACCOUNT_DIR): KubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new Error(
      "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set " +
        "(pass --kubeconfig when running outside a pod)",
    );
  }
  const tokenPath = path.join(dir, "token");
  if (!existsSync(tokenPath)) {
    throw new Error(
      `in-cluster service account token ${tokenPath} is missing: mount the service account token ` +
        "(automountServiceAccountToken) or pass --kubeconfig",
    );
  }
  const caPath = path.join(dir, "ca.crt");
  const namespacePath = path.join(dir, "namespace");
  return {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    tls: { ca: existsSync(caPath) ? readFileSync(caPath) : undefined, rejectUnauthorized: true },
    credentials: { kind: "tokenFile", path: tokenPath, refreshMs: TOKEN_REFRESH_MS },
    namespace: existsSync(namespacePath) ? readFileSync(namespacePath, "utf8").trim() : undefined,
    origin: "in-cluster",
  };
}

/** Reads a kubeconfig file; `context` defaults to its current-context. */
export function kubeConfigFromFile(file: string, context?: string): KubeConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read kubeconfig ${file}: ${(err as Error).message}`);
  }
  return kubeConfigFromString(text, { origin: file, baseDir: path.dirname(file), context });
}

export interface ParseOptions {
  /** Named in errors (the file path). */
  origin?: string;
  /** Relative certificate and token file paths are resolved against it (the file's folder). */
  baseDir?: string;
  /** A context name instead of current-context. */
  context?: string | undefined;
}

/** Parses kubeconfig YAML and resolves the chosen context to a cluster and a user. */
export function kubeConfigFromString(text: string, options: ParseOptions = {}): KubeConfig {
  const origin = options.origin ?? "kubeconfig";
  const baseDir = options.baseDir ?? process.cwd();
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`kubeconfig ${origin} is not valid YAML: ${(err as Error).message}`);
  }
  const root = asRecord(doc) ?? {};
  const contextName = options.context ?? str(root["current-context"]);
  if (!contextName) {
    throw new Error(
      `kubeconfig ${origin} has no current-context: set one (kubectl config use-context NAME) or pass another kubeconfig`,
    );
  }
  const context = named(root, "contexts", "context", contextName, origin);
  const clusterName = str(context.cluster);
  if (!clusterName) throw new Error(`kubeconfig ${origin}: context "${contextName}" names no cluster`);
  const cluster = named(root, "clusters", "cluster", clusterName, origin);
  const userName = str(context.user);
  // A context without a user is valid (anonymous access, or a client certificate-less plain server).
  const user = userName ? named(root, "users", "user", userName, origin) : {};

  const server = str(cluster.server);
  if (!server) {
    throw new Error(
      `kubeconfig ${origin}: clusters[${clusterName}].cluster.server is empty: set the API server URL`,
    );
  }
  if (cluster["proxy-url"] !== undefined) {
    throw new Error(
      `kubeconfig ${origin}: clusters[${clusterName}].cluster.proxy-url is not supported: connect to the API server directly`,
    );
  }
  const where = `kubeconfig ${origin}: users[${userName}].user`;
  if (user["auth-provider"] !== undefined) {
    throw new Error(
      `${where}.auth-provider is not supported: use a kubeconfig with a token, tokenFile or client certificate (e.g. a ServiceAccount token)`,
    );
  }

  const fileOrData = (record: Record<string, unknown>, field: string, label: string): Buffer | undefined => {
    const data = str(record[`${field}-data`]);
    if (data) return Buffer.from(data, "base64");
    const file = str(record[field]);
    if (!file) return undefined;
    const resolved = path.resolve(baseDir, file);
    try {
      return readFileSync(resolved);
    } catch (err) {
      throw new Error(
        `${label}.${field} ${resolved} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  };
  const clusterLabel = `kubeconfig ${origin}: clusters[${clusterName}].cluster`;
  const cert = fileOrData(user, "client-certificate", where);
  const key = fileOrData(user, "client-key", where);
  if ((cert === undefined) !== (key === undefined)) {
    throw new Error(
      `${where} has a client certificate without a key (or the reverse): set both client-certificate and client-key`,
    );
  }
  return {
    server: server.replace(/\/+$/, ""),
    tls: {
      ca: fileOrData(cluster, "certificate-authority", clusterLabel),
      cert,
      key,
      rejectUnauthorized: cluster["insecure-skip-tls-verify"] !== true,
      serverName: str(cluster["tls-server-name"]),
    },
    credentials: credentialsOf(user, baseDir, where),
    namespace: str(context.namespace),
    origin,
  };
}

function credentialsOf(user: Record<string, unknown>, baseDir: string, where: string): KubeCredentials {
  const exec = asRecord(user.exec);
  if (exec !== undefined) return execCredentials(exec, baseDir, `${where}.exec`);
  const token = str(user.token);
  if (token) return { kind: "token", token };
  const tokenFile = str(user.tokenFile);
  if (tokenFile)
    return { kind: "tokenFile", path: path.resolve(baseDir, tokenFile), refreshMs: TOKEN_REFRESH_MS };
  const username = str(user.username);
  if (username) return { kind: "basic", username, password: str(user.password) ?? "" };
  return { kind: "none" };
}

function execCredentials(exec: Record<string, unknown>, baseDir: string, where: string): KubeCredentials {
  const command = str(exec.command);
  if (!command) throw new Error(`${where}.command is empty: name the credential plugin to run`);
  const env: Record<string, string> = {};
  for (const entry of Array.isArray(exec.env) ? exec.env : []) {
    const e = asRecord(entry);
    const name = str(e?.name);
    if (name) env[name] = str(e?.value) ?? "";
  }
  return {
    kind: "exec",
    // Like kubectl: a relative command path is relative to the kubeconfig's folder.
    command: command.includes("/") ? path.resolve(baseDir, command) : command,
    args: Array.isArray(exec.args) ? exec.args.map(String) : [],
    env,
    apiVersion: str(exec.apiVersion) ?? "client.authentication.k8s.io/v1",
    where,
  };
}

/** Finds `{name, <field>: {...}}` in the list `list`; errors name the missing entry. */
function named(
  root: Record<string, unknown>,
  list: string,
  field: string,
  name: string,
  origin: string,
): Record<string, unknown> {
  const entries = Array.isArray(root[list]) ? (root[list] as unknown[]) : [];
  for (const entry of entries) {
    const record = asRecord(entry);
    if (record && record.name === name) return asRecord(record[field]) ?? {};
  }
  throw new Error(
    `kubeconfig ${origin} has no ${list} entry named "${name}": fix the context or pass another kubeconfig`,
  );
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** KUBECONFIG's first entry (further entries are not merged), else ~/.kube/config. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const first = (env.KUBECONFIG ?? "").split(path.delimiter).find((p) => p !== "");
  return first ?? path.join(env.HOME || home, ".kube", "config");
}
