// `infra-operator apply -f FILE|DIR ...`: standalone mode, no Kubernetes needed (docs/standalone.md).
import { UserError } from "../../standalone/user-error.ts";
import { parseDuration } from "../duration.ts";
import { parseFlags, usageError } from "../parse-flags.ts";
import { stateDirOption, takeWaitFlag } from "../standalone-flags.ts";

export const usage = `Usage: infra-operator apply -f FILE|DIR [-f ...] [flags]

Reads AWSProvider, Secret and ElastiCacheCluster documents, prints for each object whether it was
created, configured (and what changed) or unchanged, creates or changes the caches and waits until
each is Ready, then prints endpoints and a client command. Without an AWSProvider (or with
endpoint: local) the caches live in the embedded local cloud, started in the background.

Flags:
  -f, --filename FILE|DIR           manifests to apply (repeatable; a folder's *.yaml, *.yml, *.json)
  --wait=true|false                 wait until every cache is Ready (default true)
  --timeout DURATION                give up waiting after this long (default 10m)
  --token-rotation-grace DURATION   time between adding a new auth token and removing the old one (default 60s)
  --state-dir DIR                   state (never secrets); default $INFRA_OPERATOR_STATE_DIR, else ~/.infra-operator
  -h, --help                        this help

Exit codes: 0 every cache Ready (or submitted with --wait=false), 1 an error, 2 a usage error.
`;

export async function run(argv: string[]): Promise<number> {
  const { wait, rest } = takeWaitFlag(argv);
  const parsed = parseFlags<{
    filename?: string[];
    "state-dir"?: string;
    timeout: string;
    "token-rotation-grace": string;
  }>("apply", usage, rest, {
    filename: { type: "string", short: "f", multiple: true },
    ...stateDirOption,
    timeout: { type: "string", default: "10m" },
    "token-rotation-grace": { type: "string", default: "60s" },
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  if (!values.filename?.length) return usageError("apply", "-f FILE|DIR is required", usage);
  let timeoutMs: number;
  let graceMs: number;
  try {
    timeoutMs = parseDuration(values.timeout, "--timeout");
    graceMs = parseDuration(values["token-rotation-grace"], "--token-rotation-grace");
  } catch (e) {
    return usageError("apply", (e as Error).message, usage);
  }
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { applyManifests } = await import("../../standalone/apply.ts");
  const stateDir = stateDirFrom(values["state-dir"]);
  try {
    return await applyManifests({
      files: values.filename,
      stateDir,
      wait,
      timeoutMs,
      rotationGraceSeconds: graceMs / 1000,
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
