// `infra-operator local-cloud`: serves the ElastiCache- and STS-compatible local cloud until
// SIGINT/SIGTERM, then stops every engine process it started.
import { parseFlags } from "../parse-flags.ts";

export const usage = `Usage: infra-operator local-cloud [flags]
       infra-operator local-cloud stop [--state-dir DIR]   (stops the one the standalone CLI started)

Serves ElastiCache (2015-02-02) and STS (2011-06-15) on the AWS Query protocol, backed by real
redis-server / memcached processes. Default credentials: access key "test", secret "test".
See docs/local-cloud.md.

Flags:
  --host ADDR       address to listen on (default 127.0.0.1)
  --port N          port (default 4566; 0 picks a free one)
  --data-dir DIR    where the caches' data and TLS files live
  --config FILE     engine programs and settings (docs/local-cloud.md)
  --engines MODE    real (default: a process per node) or simulated (no processes, endpoints
                    not connectable; for benchmarks and scale tests); overrides the config file
  --state-dir DIR   (stop) the state dir whose local cloud to stop
  -h, --help        this help

Exit codes: 0 stopped cleanly, 1 an error (e.g. the port is taken), 2 a usage error.
`;

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === "stop") return stop(argv.slice(1));
  const parsed = parseFlags<{
    host?: string;
    port?: string;
    "data-dir"?: string;
    config?: string;
    engines?: string;
  }>("local-cloud", usage, argv, {
    host: { type: "string" },
    port: { type: "string" },
    "data-dir": { type: "string" },
    config: { type: "string" },
    engines: { type: "string" },
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const port = values.port === undefined ? 4566 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `infra-operator local-cloud: --port must be a number between 0 and 65535, got "${values.port}"\n`,
    );
    return 2;
  }
  if (values.engines !== undefined && values.engines !== "real" && values.engines !== "simulated") {
    process.stderr.write(
      `infra-operator local-cloud: --engines must be "real" or "simulated", got "${values.engines}"\n`,
    );
    return 2;
  }
  const engines = values.engines as "real" | "simulated" | undefined;
  // Loaded lazily so other commands never pay for the local cloud's modules.
  const { startLocalCloud } = await import("../../localcloud/index.ts");
  let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
  try {
    cloud = await startLocalCloud({
      port,
      ...(values.host ? { host: values.host } : {}),
      ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
      ...(values.config ? { config: values.config } : {}),
      ...(engines ? { engines } : {}),
      handleSignals: true,
    });
  } catch (e) {
    process.stderr.write(`infra-operator local-cloud: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(
    `local cloud listening on ${cloud.url}\n` +
      `data dir: ${cloud.dataDir}\n` +
      `CA certificate (TLS endpoints): ${cloud.caFile}\n` +
      // The token itself only on a terminal: the standalone CLI sends this output to a log file.
      `admin token (/_localcloud/*, Authorization: Bearer): ${process.stdout.isTTY ? cloud.adminToken : `in ${cloud.adminTokenFile}`}\n` +
      `try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --region us-east-1 --endpoint-url ${cloud.url} elasticache describe-cache-clusters\n`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    // Kept registered (not `once`): the engine host's own guard then leaves the exit to us.
    process.on("SIGINT", () => resolve("SIGINT"));
    process.on("SIGTERM", () => resolve("SIGTERM"));
  });
  process.stderr.write(`local cloud: ${signal} received, stopping engines...\n`);
  await cloud.stop();
  return 0;
}

/** `local-cloud stop`: ends the local cloud that apply started for a state dir, and its engines. */
async function stop(argv: string[]): Promise<number> {
  const parsed = parseFlags<{ "state-dir"?: string }>("local-cloud stop", usage, argv, {
    "state-dir": { type: "string" },
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { stopLocalCloud } = await import("../../standalone/local-cloud-daemon.ts");
  const stateDir = stateDirFrom(values["state-dir"]);
  const pid = await stopLocalCloud(stateDir);
  process.stdout.write(
    pid === undefined
      ? `no local cloud is running for ${stateDir}\n`
      : `stopped the local cloud (pid ${pid}) and its engines\n`,
  );
  return 0;
}
