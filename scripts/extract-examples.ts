// Writes every Kubernetes manifest of the product documentation to examples/<metadata.name>.yaml
// (one document per file). Run after the documentation changes:
//   node scripts/extract-examples.ts ../shared/spec/elasticache.md
import { writeFileSync } from "node:fs";
import { documentedManifests } from "../test/support/documented-manifests.ts";

const spec = process.argv[2] ?? "../shared/spec/elasticache.md";
for (const { name, yaml } of documentedManifests(spec)) {
  writeFileSync(`examples/${name}.yaml`, yaml);
  process.stdout.write(`examples/${name}.yaml\n`);
}
