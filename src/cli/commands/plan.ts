// `infra-operator plan -f FILE|DIR ...`: what apply would do, using read-only AWS calls.
import { UserError } from "../../standalone/user-error.ts";
import { parseFlags, usageError } from "../parse-flags.ts";
import { stateDirOption } from "../standalone-flags.ts";

export const usage = `Usage: infra-operator plan -f FILE|DIR [-f ...] [flags]

Shows what apply would do, with read-only AWS calls: + create, ~ modify (each field), ! refused
(changes AWS cannot make), or no changes; and the estimated on-demand cost of each cache per hour
and per month, with the difference a change makes. Writes nothing.

Flags:
  -f, --filename FILE|DIR   manifests to plan (repeatable)
  --state-dir DIR           default $INFRA_OPERATOR_STATE_DIR, else ~/.infra-operator
  -h, --help                this help

Exit codes: 0 planned, 1 an error or a refused change, 2 a usage error.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags<{ filename?: string[]; "state-dir"?: string }>("plan", usage, argv, {
    filename: { type: "string", short: "f", multiple: true },
    ...stateDirOption,
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  if (!values.filename?.length) return usageError("plan", "-f FILE|DIR is required", usage);
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
