// `infra-operator validate -f FILE|DIR ...`: offline check of manifests with the CRD's own rules.
// Prints `file:document: field: message` per problem; exit 1 when any document is invalid.
import { ManifestReadError, readManifests } from "../../api/manifests.ts";
import { validateManifest } from "../../api/validate.ts";
import { parseFlags, usageError } from "../parse-flags.ts";

export const usage = `Usage: infra-operator validate -f FILE|DIR [-f ...] [flags]

Checks AWSProvider and ElastiCacheCluster documents offline with the CRD's own schema and CEL rules;
prints "file:document: field: message" for each problem.

Flags:
  -f, --filename FILE|DIR   manifests to check (repeatable)
  -q, --quiet               no "N of M documents valid" summary
  -h, --help                this help

Exit codes: 0 all valid, 1 a document is invalid or a file unreadable, 2 a usage error.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags<{ filename?: string[]; quiet?: boolean }>("validate", usage, argv, {
    filename: { type: "string", short: "f", multiple: true },
    quiet: { type: "boolean", short: "q" },
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const paths = values.filename ?? [];
  if (paths.length === 0) return usageError("validate", "-f FILE|DIR is required", usage);
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
