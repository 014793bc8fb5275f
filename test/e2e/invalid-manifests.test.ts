// The foundation's invalid-manifest table, proven against the real API server: each case is
// rejected at admission (OpenAPI schema and CEL rules of the generated CRDs) with its message.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { invalidCases } from "../../src/api/invalid-cases.ts";
import { installCrds } from "../support/crds.ts";
import { kubectl } from "../support/kubectl.ts";
import type { Manifest } from "../support/manifests.ts";
import { createTestNamespace } from "../support/namespace.ts";

describe("invalid manifests are rejected by the API server", () => {
  let namespace: string;
  before(async () => {
    await installCrds();
    namespace = await createTestNamespace();
  });

  test("the table is not empty", () => {
    assert.ok(
      Array.isArray(invalidCases) && invalidCases.length > 0,
      "src/api/invalid-cases.ts exports no cases",
    );
  });

  for (const invalid of invalidCases) {
    test(invalid.name, async () => {
      const manifest = structuredClone(invalid.manifest) as Manifest;
      manifest.metadata = { ...manifest.metadata, namespace };
      const result = await kubectl(["create", "-f", "-", "-o", "name"], { input: JSON.stringify(manifest) });
      assert.notEqual(
        result.code,
        0,
        `accepted although invalid (${invalid.field}): ${result.stdout.trim()}`,
      );
      // Rejected by the server, not by kubectl: 422 comes back as `The <Kind> "<name>" is invalid:`,
      // other refusals as "Error from server".
      assert.match(result.stderr, /^The \S+ "[^"]*" is invalid: |^Error from server/m, result.stderr);
      for (const expected of [invalid.field, invalid.message]) {
        assert.ok(
          result.stderr.includes(expected),
          `rejected, but the error lacks "${expected}" (case field ${invalid.field})\ngot: ${result.stderr}`,
        );
      }
    });
  }
});
