import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManifestReadError, parseManifests } from "./manifests.ts";

const refused = (text: string, line: RegExp) =>
  assert.throws(
    () => parseManifests(text, "f.yaml"),
    (err: unknown) => {
      assert.ok(err instanceof ManifestReadError);
      assert.ok(!err.message.includes("\n"), `one line: ${err.message}`);
      assert.match(err.message, line);
      return true;
    },
  );

describe("parseManifests", () => {
  it("reads every mapping document with its index, skipping empty ones", () => {
    const docs = parseManifests("a: 1\n---\n---\nb: *x\n".replace("*x", "2"), "f.yaml");
    assert.deepEqual(
      docs.map((d) => [d.index, d.object]),
      [
        [1, { a: 1 }],
        [3, { b: 2 }],
      ],
    );
  });

  it("refuses an alias bomb in one line naming the file and document", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      bomb.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    refused(`kind: Secret\n---\n${bomb.join("\n")}\n`, /^f\.yaml:2: invalid YAML: .*alias/i);
  });

  it("refuses a document that is not a mapping", () => {
    refused("a: 1\n---\n- a\n- b\n", /^f\.yaml:2: a document must be a mapping .*not a list$/);
    refused("just text\n", /^f\.yaml:1: a document must be a mapping .*not a string$/);
  });

  it("gives a syntax error in one line", () => {
    refused("a: 1\n---\na: [1, 2\nb: {\n", /^f\.yaml:2: invalid YAML: /);
  });
});
