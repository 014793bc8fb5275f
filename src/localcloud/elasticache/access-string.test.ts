import assert from "node:assert/strict";
import { test } from "node:test";
import { accessRules, validAccessString } from "./access-string.ts";

test("access strings split into ACL rules, a selector staying one rule", () => {
  assert.deepEqual(accessRules("on ~app:* -@all +get"), ["on", "~app:*", "-@all", "+get"]);
  assert.deepEqual(accessRules("  on  (~x +get  +set) "), ["on", "(~x +get  +set)"]);
  assert.deepEqual(validAccessString("off %R~cache:* &* +@read +config|get"), [
    "off",
    "%R~cache:*",
    "&*",
    "+@read",
    "+config|get",
  ]);
});

test("passwords, nopass and reset are refused without echoing the password", () => {
  for (const bad of [
    "on >hunter2hunter2 ~*",
    "on #abc",
    "on nopass",
    "on resetpass",
    "reset on",
    "on <old",
  ]) {
    assert.throws(
      () => validAccessString(bad),
      (e: Error) =>
        /InvalidParameterValue|must not contain/.test(`${(e as { code?: string }).code} ${e.message}`) &&
        !e.message.includes("hunter2"),
      bad,
    );
  }
  assert.throws(() => validAccessString(""), /must not be empty/);
  assert.throws(() => validAccessString("on keys:*"), /unknown rule 'keys:\*'/);
  assert.throws(() => validAccessString("on ~* +@al"), /unknown command category '@al'/);
  assert.throws(() => validAccessString("on ~* -@all +gett"), /unknown command 'gett'/);
  assert.deepEqual(validAccessString("on ~* -@all +GET +client|setname -flushall"), [
    "on",
    "~*",
    "-@all",
    "+GET",
    "+client|setname",
    "-flushall",
  ]);
});
