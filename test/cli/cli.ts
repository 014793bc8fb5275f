// Running the real `bin/infra-operator.js` as a subprocess against a temp state dir, and reading
// the local cloud it started (its URL from the state dir, its call counter).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { adminRequest } from "../../src/localcloud/admin/client.ts";
import { readAdminToken } from "../../src/localcloud/admin/token.ts";
import { repoPath } from "../support/paths.ts";

export const BIN = repoPath("bin", "infra-operator.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * For a suite that applies folders of manifests: a fresh state dir (`S` names it to the CLI), its
 * `manifests` folder, and an ElastiCache client on the local cloud the CLI starts there (made on
 * first use). Both go after the suite.
 */
export function cliWorkspace() {
  const state = tempStateDir();
  const folder = join(state.dir, "manifests");
  mkdirSync(folder, { recursive: true });
  let client: ElastiCacheClient | undefined;
  after(async () => {
    client?.destroy();
    await state.cleanup();
  });
  const aws = () => {
    client ??= new ElastiCacheClient({
      region: "us-east-1",
      endpoint: localCloudUrl(state.dir),
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    return client;
  };
  return { state, S: ["--state-dir", state.dir], folder, aws };
}

/** A fresh state dir; `cleanup` stops its local cloud (and engines) and removes it. */
export function tempStateDir(prefix = "infra-operator-cli-"): { dir: string; cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    async cleanup() {
      await cli(["local-cloud", "stop", "--state-dir", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function cli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 180_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function localCloudUrl(stateDir: string): string {
  return (JSON.parse(readFileSync(join(stateDir, "local-cloud.json"), "utf8")) as { url: string }).url;
}

export interface CallCounts {
  total: number;
  byAction: Record<string, number>;
  byErrorCode: Record<string, number>;
}

export async function calls(stateDir: string): Promise<CallCounts> {
  return (await localCloudAdmin(stateDir, "GET", "calls")) as CallCounts;
}

export async function resetCalls(stateDir: string): Promise<void> {
  await localCloudAdmin(stateDir, "DELETE", "calls");
}

/** An admin call to the local cloud apply started for `stateDir` (its token is in its data dir). */
export async function localCloudAdmin(
  stateDir: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const token = readAdminToken(join(stateDir, "local-cloud")) ?? "";
  const res = await adminRequest(localCloudUrl(stateDir), token, method, path, body);
  if (!res.ok) throw new Error(`local cloud admin ${method} ${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const READ_ONLY = /^elasticache:(Describe|List)|^sts:GetCallerIdentity$|^tagging:GetResources$/;

/** Calls that change something in AWS, by action. */
export function mutating(counts: CallCounts): Record<string, number> {
  return Object.fromEntries(Object.entries(counts.byAction).filter(([action]) => !READ_ONLY.test(action)));
}

/** The `redis-cli ... PING` line apply printed, run as is. */
export function runPrintedPing(stdout: string, token?: string): string {
  const line = stdout.split("\n").find((l) => l.includes("redis-cli"));
  if (line === undefined) throw new Error(`apply printed no redis-cli command:\n${stdout}`);
  const command = line.replace(/^.*try:\s+/, "").replace(/\s+\(enter.*$/, "");
  const [program, ...args] = command.split(/\s+/);
  // --askpass reads the token from a terminal; redis-cli also takes it from REDISCLI_AUTH.
  const result = spawnSync(program ?? "redis-cli", token ? args.filter((a) => a !== "--askpass") : args, {
    encoding: "utf8",
    timeout: 10_000,
    env: { ...process.env, ...(token ? { REDISCLI_AUTH: token } : {}) },
  });
  return `${result.stdout}${result.stderr}`.trim();
}

/** Processes whose command line mentions the state dir (the local cloud and its engines). */
export function processesOf(stateDir: string): string[] {
  const out = spawnSync("pgrep", ["-af", stateDir], { encoding: "utf8" }).stdout;
  return out.split("\n").filter((l) => l.trim() !== "" && !l.includes("pgrep"));
}
