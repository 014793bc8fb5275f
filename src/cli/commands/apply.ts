// `infra-operator apply -f FILE|DIR ...`: standalone mode, no Kubernetes needed (docs/standalone.md).
import { parseArgs } from "node:util";
import { UserError } from "../../standalone/user-error.ts";
import { parseDuration } from "../duration.ts";
import { stateDirOption, takeWaitFlag } from "../standalone-flags.ts";

const usage = `Usage: infra-operator apply -f FILE|DIR [-f ...] [--wait=false] [--state-dir DIR] [--timeout 10m]

Reads AWSProvider, Secret and ElastiCacheCluster documents, creates or changes the caches and
waits until each is Ready, then prints endpoints and a client command. Without an AWSProvider (or
with endpoint: local) the caches live in the embedded local cloud, started in the background.
State (never secrets) is kept in --state-dir (default $INFRA_OPERATOR_STATE_DIR, else ~/.infra-operator).
`;

export async function run(argv: string[]): Promise<number> {
  const { wait, rest } = takeWaitFlag(argv);
  let values: {
    filename?: string[];
    "state-dir"?: string;
    timeout?: string;
    help?: boolean;
    "token-rotation-grace"?: string;
  };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        filename: { type: "string", short: "f", multiple: true },
        ...stateDirOption,
        timeout: { type: "string", default: "10m" },
        "token-rotation-grace": { type: "string", default: "60s" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    process.stderr.write(`infra-operator apply: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (!values.filename?.length) {
    process.stderr.write(`infra-operator apply: -f FILE|DIR is required\n\n${usage}`);
    return 2;
  }
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { applyManifests } = await import("../../standalone/apply.ts");
  const stateDir = stateDirFrom(values["state-dir"]);
  try {
    return await applyManifests({
      files: values.filename,
      stateDir,
      wait,
      timeoutMs: parseDuration(values.timeout ?? "10m", "--timeout"),
      rotationGraceSeconds:
        parseDuration(values["token-rotation-grace"] ?? "60s", "--token-rotation-grace") / 1000,
      out: process.stdout,
      err: (line) => process.stderr.write(`${line}\n`),
      onStarted: (view) => {
        process.once("SIGINT", () => {
          view.stop();
          process.stderr.write(
            `\ninterrupted: progress is saved in ${stateDir}; run the same apply again to resume\n`,
          );
          process.exit(130);
        });
      },
    });
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`infra-operator apply: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
