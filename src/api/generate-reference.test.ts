import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { allCrds, type JsonObject } from "./crd.ts";
import { referenceMarkdown } from "./generate-reference.ts";

interface Node {
  properties?: Record<string, Node>;
  items?: Node;
}

function paths(node: Node, prefix: string, out: string[]): void {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}.${name}`;
    out.push(path);
    paths(child, path, out);
    if (child.items) paths(child.items, `${path}[]`, out);
  }
}

describe("docs/reference.md", () => {
  it("is the committed file (run `npm run generate` after changing src/api)", () => {
    assert.equal(
      readFileSync(new URL("../../docs/reference.md", import.meta.url), "utf8"),
      referenceMarkdown(),
    );
  });

  it("has a row for every spec and status field of both kinds", () => {
    const text = referenceMarkdown();
    let count = 0;
    for (const crd of allCrds()) {
      const version = ((crd.spec as JsonObject).versions as JsonObject[])[0] as JsonObject;
      const root = (version.schema as unknown as { openAPIV3Schema: Node }).openAPIV3Schema;
      const all: string[] = [];
      for (const part of ["spec", "status"]) {
        const node = root.properties?.[part];
        assert.ok(node, `${part} schema`);
        paths(node, part, all);
      }
      for (const path of all) {
        assert.ok(text.includes(`| \`${path}\` |`), `${path} is documented`);
        count++;
      }
    }
    assert.ok(count > 60, `found ${count} fields`);
  });

  it("shows the validation messages users see from the API server", () => {
    const text = referenceMarkdown();
    assert.match(text, /accessKeyIDRef and secretAccessKeyRef must be set together/);
    assert.match(text, /engine cannot be changed after creation/);
  });
});
