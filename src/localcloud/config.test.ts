import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultConfig, parseConfig } from "./config.ts";

test("the default config has the test/test key with full access in account 000000000000", () => {
  const c = defaultConfig();
  assert.equal(c.accounts[0]?.id, "000000000000");
  assert.deepEqual(c.accounts[0]?.users[0]?.accessKeys, [{ id: "test", secret: "test" }]);
  assert.equal(c.transitionDelayMs, 0);
});

test("invalid configs name the wrong field", () => {
  assert.throws(
    () => parseConfig({ accounts: [{ id: "12" }] }, "x.yaml"),
    /accounts.*\n?.*12 digits|12 digits/s,
  );
  assert.throws(
    () =>
      parseConfig(
        { accounts: [{ id: "000000000000" }], oidcIssuers: [{ url: "https://i.example" }] },
        "x.yaml",
      ),
    /public key/,
  );
  const dup = {
    id: "000000000000",
    users: [
      {
        name: "a",
        accessKeys: [
          { id: "key1", secret: "s" },
          { id: "key1", secret: "t" },
        ],
      },
    ],
  };
  assert.throws(() => parseConfig({ accounts: [dup] }, "x.yaml"), /key1 is declared twice/);
});
