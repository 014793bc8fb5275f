// `infra-operator dev [--dir DIR]` / `dev down`: the whole Kubernetes stack on this machine.
import { join } from "node:path";
import { UserError } from "../../standalone/user-error.ts";
import { parseFlags } from "../parse-flags.ts";

export const usage = `Usage: infra-operator dev [--dir DIR]        start a control plane, the local cloud, the CRDs,
                                             an AWSProvider "localstack" and the operator
       infra-operator dev down [--dir DIR]   stop all of it

Flags:
  --dir DIR    where it all lives (default <state dir>/dev: $INFRA_OPERATOR_STATE_DIR, else ~/.infra-operator)
  -h, --help   this help

Exit codes: 0 done, 1 an error (e.g. Go missing for the first control plane build), 2 a usage error.
`;

export async function run(argv: string[]): Promise<number> {
  const down = argv[0] === "down";
  const parsed = parseFlags<{ dir?: string }>("dev", usage, down ? argv.slice(1) : argv, {
    dir: { type: "string" },
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { devUp, devDown } = await import("../../standalone/dev-stack.ts");
  const { resolve } = await import("node:path");
  const dir = values.dir ? resolve(values.dir) : join(stateDirFrom(undefined), "dev");
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    if (down) {
      await devDown(dir, log);
      return 0;
    }
    const paths = await devUp(dir, log);
    process.stdout.write(
      `export KUBECONFIG=${paths.kubeconfig}\n` +
        `# then: kubectl apply -f examples/e2e-redis-simple.yaml && kubectl get elasticacheclusters -w\n` +
        `# stop everything with: infra-operator dev down --dir ${dir}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`infra-operator dev: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
