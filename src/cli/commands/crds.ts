// `infra-operator crds`: prints the CustomResourceDefinitions, for `| kubectl apply -f -`.
import { stringify } from "yaml";
import { allCrds } from "../../api/crd.ts";
import { parseFlags } from "../parse-flags.ts";

export const usage = `Usage: infra-operator crds

Prints the AWSProvider and ElastiCacheCluster CustomResourceDefinitions as YAML, e.g. for
infra-operator crds | kubectl apply --server-side -f -

Flags:
  -h, --help   this help
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags("crds", usage, argv, {});
  if (typeof parsed === "number") return parsed;
  process.stdout.write(
    allCrds()
      .map((crd) => stringify(crd, { lineWidth: 0 }))
      .join("---\n"),
  );
  return 0;
}
