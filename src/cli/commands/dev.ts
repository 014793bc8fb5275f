// `infra-operator dev [--dir DIR]` / `dev down`: the whole Kubernetes stack on this machine.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { UserError } from "../../standalone/user-error.ts";

const usage = `Usage: infra-operator dev [--dir DIR]        start a control plane, the local cloud, the CRDs,
                                             an AWSProvider "localstack" and the operator
       infra-operator dev down [--dir DIR]   stop all of it
DIR defaults to <state dir>/dev ($INFRA_OPERATOR_STATE_DIR, else ~/.infra-operator).
`;

export async function run(argv: string[]): Promise<number> {
  const down = argv[0] === "down";
  let values: { dir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: down ? argv.slice(1) : argv,
      options: { dir: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (e) {
    process.stderr.write(`infra-operator dev: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
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
