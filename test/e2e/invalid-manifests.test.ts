// The foundation's invalid-manifest table, proven against the real API server: each case is
// rejected at admission (OpenAPI schema and CEL rules of the generated CRDs) with its message.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { installCrds } from "../support/crds.ts";
import { kubectl } from "../support/kubectl.ts";
import type { Manifest } from "../support/manifests.ts";
import { createTestNamespace } from "../support/namespace.ts";
import { repoPath } from "../support/paths.ts";

interface InvalidCase {
  name: string;
  manifest: object;
  field: string;
  message: string;
}

// Loaded at run time by path: the table belongs to src/api/ and is checked for shape here.
const { invalidCases } = (await import(repoPath("src", "api", "invalid-cases.ts"))) as {
  invalidCases: InvalidCase[];
};

describe("invalid manifests are rejected by the API server", () => {
  let namespace: string;
  before(async () => {
    await installCrds(repoPath("config", "crd"));
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
      // Rejected by the server, not by kubectl: admission errors come back as "Error from server".
      assert.match(result.stderr, /Error from server|is invalid/, result.stderr);
      assert.ok(
        result.stderr.includes(invalid.message),
        `rejected, but without the expected message for ${invalid.field}\nexpected: ${invalid.message}\ngot: ${result.stderr}`,
      );
    });
  }
});
