// `infra-operator describe NAME`: status, conditions and recent events from the state dir.
import { parseArgs } from "node:util";
import { splitName, stateDirOption } from "../standalone-flags.ts";

export async function run(argv: string[]): Promise<number> {
  let parsed: { values: { "state-dir"?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...stateDirOption } });
  } catch (e) {
    process.stderr.write(`infra-operator describe: ${(e as Error).message}\n`);
    return 2;
  }
  if (parsed.positionals.length === 0) {
    process.stderr.write("Usage: infra-operator describe NAME|NAMESPACE/NAME [--state-dir DIR]\n");
    return 2;
  }
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { StateStore } = await import("../../standalone/state-store.ts");
  const { describeCluster } = await import("../../standalone/describe-object.ts");
  const stateDir = stateDirFrom(parsed.values["state-dir"]);
  const store = new StateStore(stateDir);
  let code = 0;
  for (const arg of parsed.positionals) {
    const { namespace, name } = splitName(arg);
    const object = store.get("ElastiCacheCluster", namespace, name);
    if (object === undefined) {
      process.stderr.write(
        `infra-operator describe: no ElastiCacheCluster ${namespace}/${name} in ${stateDir}; \`infra-operator get\` lists what is there\n`,
      );
      code = 1;
      continue;
    }
    process.stdout.write(describeCluster(object, new Date()));
  }
  return code;
}
