// `infra-operator validate -f FILE|DIR ...`: offline check of manifests with the CRD's own rules.
// Prints `file:document: field: message` per problem; exit 1 when any document is invalid.
import { parseArgs } from "node:util";
import { ManifestReadError, readManifests } from "../../api/manifests.ts";
import { validateManifest } from "../../api/validate.ts";

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      filename: { type: "string", short: "f", multiple: true },
      quiet: { type: "boolean", short: "q" },
    },
  });
  const paths = values.filename ?? [];
  if (paths.length === 0) {
    process.stderr.write("usage: infra-operator validate -f FILE|DIR [-f ...]\n");
    return 2;
  }
  let documents: ReturnType<typeof readManifests>;
  try {
    documents = readManifests(paths);
  } catch (err) {
    if (err instanceof ManifestReadError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  let invalid = 0;
  for (const doc of documents) {
    const errors = validateManifest(doc.object);
    if (errors.length > 0) invalid++;
    for (const e of errors) process.stdout.write(`${doc.file}:${doc.index}: ${e.path}: ${e.message}\n`);
  }
  if (!values.quiet) {
    process.stderr.write(`${documents.length - invalid} of ${documents.length} documents valid\n`);
  }
  return invalid > 0 ? 1 : 0;
}
