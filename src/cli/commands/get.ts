// `infra-operator get [NAME...|-f FILE] [-o yaml|json|wide|name]`: ElastiCacheClusters recorded
// in the state dir, printed as kubectl prints them.
import { stringify } from "yaml";
import { UserError } from "../../standalone/user-error.ts";
import { parseFlags, usageError } from "../parse-flags.ts";
import { splitName, stateDirOption } from "../standalone-flags.ts";

export const usage = `Usage: infra-operator get [KIND] [NAME|NAMESPACE/NAME... | -f FILE|DIR] [flags]

Lists the objects of the state dir with the columns of kubectl get. KIND is ElastiCacheCluster
(default) or a kind of the family, by name, plural or short name: elasticacheparametergroup,
elasticachesubnetgroup, elasticacheuser, elasticacheusergroup, elasticachesnapshot,
elasticacheserverlesscache (those this version serves).

Flags:
  -f, --filename FILE|DIR   the ElastiCacheClusters named in these manifests (repeatable)
  -o, --output FORMAT       yaml, json, wide (adds columns, e.g. the cost estimate) or name
  -A, --all-namespaces      every namespace (default: only "default", unless names are given)
  --state-dir DIR           default $INFRA_OPERATOR_STATE_DIR, else ~/.infra-operator
  -h, --help                this help

Exit codes: 0 listed, 1 a named cluster is not in the state dir, 2 a usage error.
`;

const FORMATS = ["yaml", "json", "wide", "name"];

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags<{
    filename?: string[];
    output?: string;
    "all-namespaces"?: boolean;
    "state-dir"?: string;
  }>(
    "get",
    usage,
    argv,
    {
      filename: { type: "string", short: "f", multiple: true },
      output: { type: "string", short: "o" },
      "all-namespaces": { type: "boolean", short: "A" },
      ...stateDirOption,
    },
    true,
  );
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const { splitKindArg } = await import("../../standalone/kind-arg.ts");
  const { kind, names: positionals } = splitKindArg(parsed.positionals);
  if (values.output !== undefined && !FORMATS.includes(values.output)) {
    return usageError("get", `-o must be one of ${FORMATS.join(", ")}, got "${values.output}"`, usage);
  }
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { StateStore } = await import("../../standalone/state-store.ts");
  const { clusterTable } = await import("../../standalone/object-table.ts");
  const { clusterRefsInFiles, objectName, selectClusters } = await import(
    "../../standalone/select-clusters.ts"
  );
  const stateDir = stateDirFrom(values["state-dir"]);
  const store = new StateStore(stateDir);
  const byName = positionals.length > 0 || values.filename !== undefined;
  let objects = store.list(kind.kind);
  let missing: Array<{ namespace: string; name: string }> = [];
  if (byName) {
    let refs: Array<{ namespace: string; name: string }>;
    try {
      refs = [
        ...positionals.map((p) => splitName(p)),
        ...clusterRefsInFiles(values.filename ?? [], kind.kind),
      ];
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      process.stderr.write(`infra-operator get: ${err.message}\n`);
      return err.exitCode;
    }
    ({ found: objects, missing } = selectClusters(store, refs, kind.kind));
  } else if (!values["all-namespaces"]) {
    objects = objects.filter((o) => o.metadata.namespace === "default");
  }
  // Events are the describe command's; -o shows the object as kubectl would.
  const plain = objects.map(({ events: _e, ...o }) => o);
  const single =
    positionals.length === 1 && values.filename === undefined && plain.length === 1
      ? plain[0]
      : { apiVersion: "v1", kind: "List", items: plain };
  if (values.output === "json") {
    process.stdout.write(`${JSON.stringify(single, null, 2)}\n`);
  } else if (values.output === "yaml") {
    process.stdout.write(stringify(single));
  } else if (values.output === "name") {
    for (const o of objects) process.stdout.write(`${objectName(o.kind, o.metadata.name)}\n`);
  } else if (objects.length === 0) {
    if (missing.length === 0) process.stderr.write(`No ${kind.kind}s in ${stateDir}.\n`);
  } else {
    const wide = values.output === "wide";
    process.stdout.write(
      `${clusterTable(objects, new Date(), values["all-namespaces"] === true, wide, kind)}\n`,
    );
  }
  for (const m of missing) {
    process.stderr.write(
      `infra-operator get: no ${kind.kind} ${m.namespace}/${m.name} in ${stateDir} (apply it first)\n`,
    );
  }
  return missing.length > 0 ? 1 : 0;
}
