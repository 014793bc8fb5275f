import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareVersions, versionSatisfies } from "./versions.ts";

describe("engine versions", () => {
  it("match on the components the user wrote", () => {
    assert.equal(versionSatisfies("7.0", "7.0.7"), true);
    assert.equal(versionSatisfies("7.0", "7.0"), true);
    assert.equal(versionSatisfies("7", "7.1.0"), true);
    assert.equal(versionSatisfies("7.0", "7.1.0"), false);
    assert.equal(versionSatisfies("1.6.22", "1.6.17"), false);
  });

  it("order numerically, not as text", () => {
    assert.ok(compareVersions("6.2", "7.0.7") < 0);
    assert.ok(compareVersions("1.6.22", "1.6.17") > 0);
    assert.ok(compareVersions("10.0", "9.0") > 0);
    assert.equal(compareVersions("7.0", "7.0.7"), 0);
  });
});
