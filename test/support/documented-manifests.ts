// The manifests of the product documentation: every ```yaml block, split into documents,
// keeping those with apiVersion, kind and metadata.name (fragments are skipped).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

export interface DocumentedManifest {
  name: string;
  kind: string;
  /** The document's own text, as written in the documentation. */
  yaml: string;
}

export function documentedManifests(specPath: string): DocumentedManifest[] {
  const text = readFileSync(specPath, "utf8");
  const blocks = yamlBlocks(text);
  const out: DocumentedManifest[] = [];
  for (const block of blocks) {
    for (const part of block.split(/^---\s*$/m)) {
      const [doc] = parseAllDocuments(part);
      if (doc === undefined || doc.errors.length > 0) continue;
      const obj = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } } | null;
      if (obj?.apiVersion && obj.kind && obj.metadata?.name) {
        out.push({ name: obj.metadata.name, kind: obj.kind, yaml: `${part.trim()}\n` });
      }
    }
  }
  return out;
}

/** Contents of the ```yaml fenced blocks, dedented by the fence's own indentation. */
function yamlBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let indent: string | undefined;
  let lines: string[] = [];
  for (const line of markdown.split("\n")) {
    if (indent === undefined) {
      const open = /^(\s*)```yaml\s*$/.exec(line);
      if (open) {
        indent = open[1] ?? "";
        lines = [];
      }
    } else if (/^\s*```\s*$/.test(line)) {
      blocks.push(lines.join("\n"));
      indent = undefined;
    } else {
      lines.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
  }
  return blocks;
}
