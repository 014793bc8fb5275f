// The local cloud as its own process (`infra-operator local-cloud`), as users run it, so that its
// CPU is not the benchmark's and the benchmark's own work never delays its answers. One account per
// operator under test (each with its own access key): listings, events and tags never mix fleets,
// and the call counter tells the operators apart by key.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { CallCounts } from "../../src/localcloud/admin/call-counter.ts";
import { adminRequest } from "../../src/localcloud/admin/client.ts";
import { adminTokenFile } from "../../src/localcloud/admin/token.ts";
import { repoPath } from "../../test/support/paths.ts";

export const REGION = "us-east-1";

export interface BenchAccount {
  id: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface CloudProcess {
  url: string;
  pid: number;
  dataDir: string;
  logFile: string;
  calls(): Promise<CallCounts>;
  stop(): Promise<void>;
}

const allowAll = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Account n (1-based) of a run: 12 digits, with a key pair that names it. */
export function benchAccount(n: number, label: string): BenchAccount {
  const tag = label
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, 8);
  return {
    id: String(100_000_000_000 + n),
    accessKeyId: `AKIABENCH${String(n).padStart(3, "0")}${tag}`.padEnd(20, "X").slice(0, 20),
    secretAccessKey: `bench-secret-${n}-${label}`,
  };
}

export async function startCloudProcess(options: {
  accounts: BenchAccount[];
  engines: "real" | "simulated";
}): Promise<CloudProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "bench-cloud-"));
  const configFile = path.join(dataDir, "..", `${path.basename(dataDir)}.config.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      accounts: [
        {
          id: "000000000000",
          users: [{ name: "root", accessKeys: [{ id: "test", secret: "test" }], policies: [allowAll] }],
        },
        ...options.accounts.map((a) => ({
          id: a.id,
          users: [
            {
              name: "root",
              accessKeys: [{ id: a.accessKeyId, secret: a.secretAccessKey }],
              policies: [allowAll],
            },
          ],
        })),
      ],
      engines: options.engines,
    }),
  );
  const logFile = `${dataDir}.log`;
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(
      process.execPath,
      [
        repoPath("bin", "infra-operator.js"),
        "local-cloud",
        "--port",
        "0",
        "--data-dir",
        dataDir,
        "--config",
        configFile,
        "--engines",
        options.engines,
      ],
      { stdio: ["ignore", "pipe", fd] },
    );
  } finally {
    closeSync(fd);
  }
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`the local cloud did not start within 60 s: ${out}`)),
      60_000,
    );
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the local cloud exited (${code}) while starting; log: ${logFile}`));
    });
  });
  const token = readFileSync(adminTokenFile(dataDir), "utf8").trim();
  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: child.pid ?? 0,
    dataDir,
    logFile,
    calls: async () => {
      const res = await adminRequest(url, token, "GET", "calls");
      if (!res.ok) throw new Error(`local cloud admin GET calls answered ${res.status}`);
      return res.body as CallCounts;
    },
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
          await exited;
          clearTimeout(timer);
        }
        process.off("exit", killOnExit);
        await rm(dataDir, { recursive: true, force: true });
        await rm(configFile, { force: true });
      })();
      return stopping;
    },
  };
}
