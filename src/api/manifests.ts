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

/** Expands folders (sorted, *.yaml|*.yml|*.json, not recursive) and parses every document. */
export function readManifests(paths: string[]): ManifestDocument[] {
  return expand(paths).flatMap((file) => parseManifests(readFileSync(file, "utf8"), file));
}

export function parseManifests(text: string, file: string): ManifestDocument[] {
  const docs: ManifestDocument[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) {
      throw new ManifestReadError(`${file}:${i + 1}: invalid YAML: ${doc.errors[0]?.message}`);
    }
    const object = doc.toJS();
    if (object !== null && object !== undefined) docs.push({ file, index: i + 1, object });
  });
  return docs;
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
