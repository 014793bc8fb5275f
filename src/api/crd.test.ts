import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { evaluateRule } from "./cel.ts";
import { VALIDATIONS_KEY } from "./cel-rule.ts";
import { allCrds, type JsonObject } from "./crd.ts";
import { generatedFiles } from "./generate.ts";

const FORBIDDEN = ["$ref", "const", "allOf", "anyOf", "oneOf", "not", "propertyNames", "$schema"];

function* nodes(schema: JsonObject, path = ""): Generator<[string, JsonObject]> {
  yield [path, schema];
  for (const [name, sub] of Object.entries((schema.properties ?? {}) as JsonObject)) {
    yield* nodes(sub as JsonObject, `${path}.${name}`);
  }
  if (typeof schema.items === "object") yield* nodes(schema.items as JsonObject, `${path}[]`);
  if (typeof schema.additionalProperties === "object")
    yield* nodes(schema.additionalProperties as JsonObject, `${path}{}`);
}

function versionOf(crd: JsonObject): JsonObject {
  const version = ((crd.spec as JsonObject).versions as JsonObject[])[0];
  assert.ok(version, "a CRD has one version");
  return version;
}
const schemaOf = (crd: JsonObject) => (versionOf(crd).schema as JsonObject).openAPIV3Schema as JsonObject;

describe("generated CRDs", () => {
  it("equal the committed files (run `npm run generate` after changing src/api)", () => {
    for (const [path, content] of generatedFiles()) assert.equal(readFileSync(path, "utf8"), content, path);
  });

  it("round-trip through YAML unchanged", () => {
    const files = [...generatedFiles().entries()].filter(([p]) => !p.endsWith("kustomization.yaml"));
    files.forEach(([, content], i) => {
      assert.deepEqual(parse(content), allCrds()[i]);
    });
  });

  it("are structural: typed nodes, no forbidden keywords, no additionalProperties: false", () => {
    for (const crd of allCrds()) {
      for (const [path, node] of nodes(schemaOf(crd))) {
        for (const key of FORBIDDEN) assert.ok(!(key in node), `${path} has ${key}`);
        assert.notEqual(node.additionalProperties, false, path);
        assert.ok(typeof node.type === "string", `${path} has no type`);
      }
    }
  });

  it("give every CEL rule a message, and every rule compiles", () => {
    let count = 0;
    for (const crd of allCrds()) {
      for (const [path, node] of nodes(schemaOf(crd))) {
        for (const rule of (node[VALIDATIONS_KEY] ?? []) as Array<{ rule: string; message: string }>) {
          count++;
          assert.ok(rule.message.length > 10, `${path}: ${rule.rule}`);
          const outcome = evaluateRule(rule, new Map(), new Map());
          // On an empty object a rule may pass, fail or miss a field; it must not fail to parse.
          if (typeof outcome === "object")
            assert.doesNotMatch(outcome.error, /syntax|parse|unbound function/i, rule.rule);
        }
      }
    }
    assert.ok(count >= 40, `only ${count} rules`);
  });

  it("print the documented columns", () => {
    const columns = (crd: JsonObject, wide = false) =>
      (versionOf(crd).additionalPrinterColumns as JsonObject[])
        .filter((c) => (c.priority ?? 0) === (wide ? 1 : 0))
        .map((c) => String(c.name).toUpperCase());
    const [provider, cluster] = allCrds() as [JsonObject, JsonObject];
    assert.deepEqual(columns(cluster), [
      "CLUSTER-ID",
      "ENGINE",
      "VERSION",
      "NODE-TYPE",
      "STATUS",
      "ENDPOINT",
      "READY",
      "AGE",
    ]);
    assert.deepEqual(
      columns(cluster, true),
      ["PROVIDER", "TOPOLOGY", "USD-MONTH"],
      "kubectl get -o wide adds these",
    );
    assert.deepEqual(columns(provider), ["REGION", "ACCOUNT", "READY", "AGE"]);
  });
});
