// `infra-operator describe NAME...|-f FILE`: status, conditions, cost estimate and recent events
// from the state dir, as kubectl describe shows an object.
import { UserError } from "../../standalone/user-error.ts";
import { parseFlags, usageError } from "../parse-flags.ts";
import { splitName, stateDirOption } from "../standalone-flags.ts";

export const usage = `Usage: infra-operator describe [KIND] NAME|NAMESPACE/NAME... | -f FILE|DIR [flags]

Shows each object's spec, status (for an ElastiCacheCluster also its estimated on-demand cost),
its Ready and Synced conditions and its last events, from the state dir. KIND as for get
(default ElastiCacheCluster).

Flags:
  -f, --filename FILE|DIR   the ElastiCacheClusters named in these manifests (repeatable)
  --state-dir DIR           default $INFRA_OPERATOR_STATE_DIR, else ~/.infra-operator
  -h, --help                this help

Exit codes: 0 described, 1 a cluster is not in the state dir, 2 a usage error.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags<{ filename?: string[]; "state-dir"?: string }>(
    "describe",
    usage,
    argv,
    { filename: { type: "string", short: "f", multiple: true }, ...stateDirOption },
    true,
  );
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const { splitKindArg } = await import("../../standalone/kind-arg.ts");
  const { kind, names: positionals } = splitKindArg(parsed.positionals);
  if (positionals.length === 0 && values.filename === undefined) {
    return usageError("describe", "give NAME or -f FILE|DIR", usage);
  }
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { StateStore } = await import("../../standalone/state-store.ts");
  const { describeCluster } = await import("../../standalone/describe-object.ts");
  const { clusterRefsInFiles, selectClusters } = await import("../../standalone/select-clusters.ts");
  const stateDir = stateDirFrom(values["state-dir"]);
  let refs: Array<{ namespace: string; name: string }>;
  try {
    refs = [...positionals.map((p) => splitName(p)), ...clusterRefsInFiles(values.filename ?? [], kind.kind)];
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    process.stderr.write(`infra-operator describe: ${err.message}\n`);
    return err.exitCode;
  }
  const { found, missing } = selectClusters(new StateStore(stateDir), refs, kind.kind);
  process.stdout.write(found.map((o) => describeCluster(o, new Date())).join("\n"));
  for (const m of missing) {
    process.stderr.write(
      `infra-operator describe: no ${kind.kind} ${m.namespace}/${m.name} in ${stateDir}; \`infra-operator get ${kind.singular}\` lists what is there\n`,
    );
  }
  return missing.length > 0 ? 1 : 0;
}
