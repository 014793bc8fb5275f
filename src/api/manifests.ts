// Reading manifest files: multi-document YAML (or JSON), from files or whole folders,
// each document remembered with where it came from so errors can say `file:document`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export interface ManifestDocument {
  file: string;
  /** 1-based position of the document in its file. */
  index: number;
  object: unknown;
}

export class ManifestReadError extends Error {}

/**
 * The yaml package's limit on alias expansion (uses of an anchor times the aliases inside it; its
 * default, made explicit): real manifests stay far below it, a few lines of `&a [*a, *a, ...]`
 * would otherwise expand to gigabytes. Past it, toJS throws and we report one line.
 */
const MAX_ALIAS_COUNT = 100;

/** Expands folders (sorted, *.yaml|*.yml|*.json, not recursive) and parses every document. */
export function readManifests(paths: string[]): ManifestDocument[] {
  return expand(paths).flatMap((file) => parseManifests(readFileSync(file, "utf8"), file));
}

export function parseManifests(text: string, file: string): ManifestDocument[] {
  const docs: ManifestDocument[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) {
      throw new ManifestReadError(`${file}:${i + 1}: invalid YAML: ${oneLine(doc.errors[0]?.message ?? "")}`);
    }
    const where = `${file}:${i + 1}`;
    let object: unknown;
    try {
      object = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      throw new ManifestReadError(`${where}: invalid YAML: ${oneLine((err as Error).message)}`);
    }
    if (object === null || object === undefined) return;
    if (typeof object !== "object" || Array.isArray(object)) {
      throw new ManifestReadError(
        `${where}: a document must be a mapping (apiVersion, kind, metadata, ...), not ${Array.isArray(object) ? "a list" : `a ${typeof object}`}`,
      );
    }
    docs.push({ file, index: i + 1, object });
  });
  return docs;
}

/** The yaml package's messages carry a code excerpt over several lines; the first says it all. */
function oneLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function expand(paths: string[]): string[] {
  return paths.flatMap((p) => {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(p);
    } catch {
      throw new ManifestReadError(`${p}: no such file or folder`);
    }
    if (!stat.isDirectory()) return [p];
    return readdirSync(p)
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort()
      .map((f) => join(p, f));
  });
}
