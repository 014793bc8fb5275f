// `infra-operator delete NAME... | -f FILE`: deletes through the same reconcile step as the operator.
import { UserError } from "../../standalone/user-error.ts";
import { parseDuration } from "../duration.ts";
import { parseFlags, usageError } from "../parse-flags.ts";
import { splitName, stateDirOption } from "../standalone-flags.ts";

export const usage = `Usage: infra-operator delete [KIND] NAME|NAMESPACE/NAME... | -f FILE|DIR [flags]

Honours each cluster's deletionPolicy (Delete: removed in AWS, waits until gone; Retain: left
running; Orphan: left running without infra-operator's tags), then removes it from the state dir
and prints "elasticachecluster/NAME deleted". With -f, the ElastiCacheClusters of the files (and
their AWSProviders and Secrets, once every cluster is gone), and the family's objects
(parameter groups, subnet groups, ...): all at once, a Delete of what another object still
names waiting until that one is gone. KIND as for get (default ElastiCacheCluster).

Flags:
  -f, --filename FILE|DIR   delete the objects of these manifests (repeatable)
  --timeout DURATION        give up waiting after this long (default 10m)
  --state-dir DIR           default $INFRA_OPERATOR_STATE_DIR, else ~/.infra-operator
  -h, --help                this help

Exit codes: 0 all deleted, 1 an error (e.g. no such cluster), 2 a usage error.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags<{ filename?: string[]; "state-dir"?: string; timeout: string }>(
    "delete",
    usage,
    argv,
    {
      filename: { type: "string", short: "f", multiple: true },
      timeout: { type: "string", default: "10m" },
      ...stateDirOption,
    },
    true,
  );
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const { splitKindArg } = await import("../../standalone/kind-arg.ts");
  const { kind, names: positionals } = splitKindArg(parsed.positionals);
  if (positionals.length === 0 && !values.filename?.length) {
    return usageError("delete", "give NAME or -f FILE|DIR", usage);
  }
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(values.timeout, "--timeout");
  } catch (e) {
    return usageError("delete", (e as Error).message, usage);
  }
  const { stateDirFrom } = await import("../../standalone/state-dir.ts");
  const { deleteClusters } = await import("../../standalone/delete.ts");
  try {
    return await deleteClusters({
      names: kind.kind === "ElastiCacheCluster" ? positionals.map((p) => splitName(p)) : [],
      familyNames:
        kind.kind === "ElastiCacheCluster"
          ? []
          : positionals.map((p) => ({ kind: kind.kind, ...splitName(p) })),
      files: values.filename ?? [],
      stateDir: stateDirFrom(values["state-dir"]),
      timeoutMs,
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
