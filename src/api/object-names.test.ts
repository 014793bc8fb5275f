import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isName, isNamespace, nameProblem, namespaceProblem } from "./object-names.ts";

describe("object names", () => {
  it("accepts DNS-1123 subdomains up to 253 characters as names", () => {
    for (const ok of ["a", "my-cache", "a.b.c", "0x", "a".repeat(253)]) assert.ok(isName(ok), ok);
    for (const bad of ["", "A", "-a", "a-", "a..b", ".a", "a/b", "../x", "a_b", "a".repeat(254), 7]) {
      assert.ok(!isName(bad), String(bad));
    }
  });

  it("accepts DNS-1123 labels up to 63 characters as namespaces", () => {
    for (const ok of ["default", "team-1", "a".repeat(63)]) assert.ok(isNamespace(ok), ok);
    for (const bad of ["", "a.b", "x/../../../../escaped", "..", "Default", "a".repeat(64), undefined]) {
      assert.ok(!isNamespace(bad), String(bad));
    }
  });

  it("names the field and the rule in one line, whatever the value holds", () => {
    assert.match(nameProblem("a\nb") ?? "", /^metadata\.name: "a\\nb" must be a DNS-1123 subdomain/);
    assert.match(namespaceProblem("x/..") ?? "", /^metadata\.namespace: "x\/\.\." must be a DNS-1123 label/);
    assert.ok(!(nameProblem("x".repeat(10_000)) ?? "").includes("\n"));
    assert.ok((nameProblem("x".repeat(10_000)) ?? "").length < 300);
  });
});
