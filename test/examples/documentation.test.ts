// examples/ holds every manifest of the product documentation, verbatim, one per file.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { documentedManifests } from "../support/documented-manifests.ts";

const SPEC = "../shared/spec/elasticache.md";

describe("documentation manifests", { skip: existsSync(SPEC) ? false : `${SPEC} not present` }, () => {
  it("each has its own file in examples/, identical to the documentation", () => {
    const manifests = documentedManifests(SPEC);
    assert.ok(manifests.length >= 13, `found ${manifests.length}`);
    for (const m of manifests) {
      const path = `examples/${m.name}.yaml`;
      assert.ok(existsSync(path), `${path} is missing (run: node scripts/extract-examples.ts ${SPEC})`);
      assert.equal(readFileSync(path, "utf8"), m.yaml, path);
    }
  });
});
