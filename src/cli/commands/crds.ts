// `infra-operator crds`: prints the CustomResourceDefinitions, for `| kubectl apply -f -`.
import { stringify } from "yaml";
import { allCrds } from "../../api/crd.ts";

export async function run(_argv: string[]): Promise<number> {
  process.stdout.write(
    allCrds()
      .map((crd) => stringify(crd, { lineWidth: 0 }))
      .join("---\n"),
  );
  return 0;
}
