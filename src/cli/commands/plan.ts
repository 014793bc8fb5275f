// `infra-operator plan -f FILE|DIR ...`: what apply would do, using read-only AWS calls.
import { parseArgs } from "node:util";
import { UserError } from "../../standalone/user-error.ts";
import { stateDirOption } from "../standalone-flags.ts";

export async function run(argv: string[]): Promise<number> {
  let values: { filename?: string[]; "state-dir"?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { filename: { type: "string", short: "f", multiple: true }, ...stateDirOption },
    }));
  } catch (e) {
    process.stderr.write(`infra-operator plan: ${(e as Error).message}\n`);
    return 2;
  }
  if (!values.filename?.length) {
    process.stderr.write("Usage: infra-operator plan -f FILE|DIR [-f ...] [--state-dir DIR]\n");
    return 2;
  }
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { planManifests } = await import("../../standalone/plan.ts");
  try {
    return await planManifests({
      files: values.filename,
      stateDir: stateDirFrom(values["state-dir"]),
      out: process.stdout,
    });
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`infra-operator plan: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
