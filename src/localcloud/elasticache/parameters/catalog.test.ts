import assert from "node:assert/strict";
import { test } from "node:test";
import { allowsValue, checkParameterValue, familyDefaults, knownFamilies } from "./catalog.ts";

test("AllowedValues as AWS writes them: lists, ranges, open ranges, exact negatives", () => {
  assert.ok(allowsValue("yes,no", "yes", false));
  assert.ok(!allowsValue("yes,no", "maybe", false));
  assert.ok(allowsValue("1-75", "75", true));
  assert.ok(!allowsValue("1-75", "76", true));
  assert.ok(allowsValue("0-", "123456", true));
  assert.ok(allowsValue("0,20-", "0", true));
  assert.ok(!allowsValue("0,20-", "5", true));
  assert.ok(allowsValue("-5,-4,-3,-2,-1,1-", "-3", true));
  assert.ok(!allowsValue("-5,-4,-3,-2,-1,1-", "0", true), "-5 is a value, not a range up to 5");
  assert.ok(allowsValue("1.01-2", "1.25", true));
  assert.ok(allowsValue("-", "-1", true));
});

test("a value is checked for modifiability, type and AllowedValues, naming the parameter", () => {
  const redis7 = familyDefaults("redis7") ?? [];
  const find = (n: string) => redis7.find((d) => d.ParameterName === n);
  assert.doesNotThrow(() => checkParameterValue(find("maxmemory-policy"), "maxmemory-policy", "allkeys-lfu"));
  assert.throws(
    () => checkParameterValue(find("maxmemory-policy"), "maxmemory-policy", "lru"),
    /allowed values/,
  );
  assert.throws(() => checkParameterValue(find("timeout"), "timeout", "ten"), /not an integer/);
  assert.throws(
    () => checkParameterValue(find("activerehashing"), "activerehashing", "no"),
    /not modifiable/,
  );
  assert.throws(() => checkParameterValue(undefined, "nope", "1"), /Unknown parameter: nope/);
});

test("every family file is complete: AWS's fields on every parameter", () => {
  assert.deepEqual(knownFamilies().sort(), ["memcached1.6", "redis6.x", "redis7", "valkey7", "valkey8"]);
  for (const family of knownFamilies()) {
    for (const p of familyDefaults(family) ?? []) {
      assert.ok(p.ParameterName && p.DataType && p.MinimumEngineVersion, `${family} ${p.ParameterName}`);
      assert.ok(["immediate", "requires-reboot"].includes(p.ChangeType), `${family} ${p.ParameterName}`);
      assert.equal(typeof p.IsModifiable, "boolean");
    }
  }
  const names = (f: string) => (familyDefaults(f) ?? []).map((p) => p.ParameterName);
  assert.ok(
    names("redis7").includes("hash-max-listpack-entries") &&
      !names("redis7").includes("hash-max-ziplist-entries"),
  );
  assert.ok(
    names("valkey8").includes("extended-redis-compatibility") &&
      !names("valkey8").includes("lazyfree-lazy-eviction"),
  );
});
