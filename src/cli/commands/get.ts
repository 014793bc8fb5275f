// `infra-operator get [NAME] [-o yaml|json]`: ElastiCacheClusters recorded in the state dir.
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { splitName, stateDirOption } from "../standalone-flags.ts";

const usage = "Usage: infra-operator get [NAME|NAMESPACE/NAME] [-o yaml|json] [-A] [--state-dir DIR]\n";

export async function run(argv: string[]): Promise<number> {
  let parsed: {
    values: { output?: string; "all-namespaces"?: boolean; "state-dir"?: string };
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: "string", short: "o" },
        "all-namespaces": { type: "boolean", short: "A" },
        ...stateDirOption,
      },
    });
  } catch (e) {
    process.stderr.write(`infra-operator get: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.output !== undefined && !["yaml", "json", "wide"].includes(values.output)) {
    process.stderr.write(`infra-operator get: -o must be yaml or json, got "${values.output}"\n`);
    return 2;
  }
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { StateStore } = await import("../../standalone/state-store.ts");
  const { clusterTable } = await import("../../standalone/object-table.ts");
  const stateDir = stateDirFrom(values["state-dir"]);
  const store = new StateStore(stateDir);
  let objects = store.list("ElastiCacheCluster");
  if (positionals.length > 0) {
    const wanted = positionals.map((p) => splitName(p));
    const missing = wanted.filter((w) => store.get("ElastiCacheCluster", w.namespace, w.name) === undefined);
    if (missing.length > 0) {
      process.stderr.write(
        `infra-operator get: no ElastiCacheCluster ${missing.map((m) => `${m.namespace}/${m.name}`).join(", ")} in ${stateDir} (apply it first)\n`,
      );
      return 1;
    }
    objects = objects.filter((o) =>
      wanted.some((w) => w.name === o.metadata.name && w.namespace === o.metadata.namespace),
    );
  } else if (!values["all-namespaces"]) {
    objects = objects.filter((o) => o.metadata.namespace === "default");
  }
  // Events are the describe command's; -o shows the object as kubectl would.
  const plain = objects.map(({ events: _e, ...o }) => o);
  const single = positionals.length === 1 ? plain[0] : { apiVersion: "v1", kind: "List", items: plain };
  if (values.output === "json") {
    process.stdout.write(`${JSON.stringify(single, null, 2)}\n`);
  } else if (values.output === "yaml") {
    process.stdout.write(stringify(single));
  } else if (objects.length === 0) {
    process.stderr.write(`No ElastiCacheClusters in ${stateDir}.\n`);
  } else {
    process.stdout.write(`${clusterTable(objects, new Date(), values["all-namespaces"] === true)}\n`);
  }
  return 0;
}
