// `infra-operator delete NAME... | -f FILE`: deletes through the same reconcile step as the operator.
import { parseArgs } from "node:util";
import { UserError } from "../../standalone/user-error.ts";
import { parseDuration } from "../duration.ts";
import { splitName, stateDirOption } from "../standalone-flags.ts";

const usage = `Usage: infra-operator delete NAME|NAMESPACE/NAME... | -f FILE|DIR [--state-dir DIR] [--timeout 10m]

Honours each cluster's deletionPolicy (Delete: removed in AWS, waits until gone; Retain: left
running; Orphan: left running without infra-operator's tags), then removes it from the state dir.
`;

export async function run(argv: string[]): Promise<number> {
  let parsed: {
    values: { filename?: string[]; "state-dir"?: string; timeout?: string };
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        filename: { type: "string", short: "f", multiple: true },
        timeout: { type: "string", default: "10m" },
        ...stateDirOption,
      },
    });
  } catch (e) {
    process.stderr.write(`infra-operator delete: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0 && !values.filename?.length) {
    process.stderr.write(usage);
    return 2;
  }
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { deleteClusters } = await import("../../standalone/delete.ts");
  try {
    return await deleteClusters({
      names: positionals.map((p) => splitName(p)),
      files: values.filename ?? [],
      stateDir: stateDirFrom(values["state-dir"]),
      timeoutMs: parseDuration(values.timeout ?? "10m", "--timeout"),
      out: process.stdout,
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`infra-operator delete: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
