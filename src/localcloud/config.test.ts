import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultConfig, loadConfigFile, parseConfig } from "./config.ts";

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

test("config files load from YAML or JSON and bad files say what is wrong", () => {
  const dir = mkdtempSync(join(tmpdir(), "lc-config-"));
  try {
    const yamlFile = join(dir, "cloud.yaml");
    writeFileSync(
      yamlFile,
      [
        "transitionDelayMs: 250",
        "accounts:",
        '  - id: "123456789012"',
        "    users:",
        "      - name: dev",
        "        accessKeys: [{ id: AKIADEV1, secret: s3cret }]",
        "        policies:",
        '          - Statement: [{ Effect: Allow, Action: "elasticache:Describe*", Resource: "*" }]',
      ].join("\n"),
    );
    const c = loadConfigFile(yamlFile);
    assert.equal(c.transitionDelayMs, 250);
    assert.equal(c.accounts[0]?.users[0]?.accessKeys[0]?.id, "AKIADEV1");
    const jsonFile = join(dir, "cloud.json");
    writeFileSync(jsonFile, JSON.stringify({ accounts: [{ id: "123456789012" }] }));
    assert.equal(loadConfigFile(jsonFile).accounts[0]?.id, "123456789012");
    writeFileSync(jsonFile, "{ not json");
    assert.throws(() => loadConfigFile(jsonFile), /is not valid JSON/);
    assert.throws(() => loadConfigFile(join(dir, "missing.yaml")), /cannot read local cloud config/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a policy naming a condition operator the local cloud does not evaluate is refused at load", () => {
  const withCondition = (Condition: Record<string, Record<string, string>>) => ({
    accounts: [
      {
        id: "000000000000",
        users: [
          {
            name: "dev",
            policies: [{ Statement: { Effect: "Deny", Action: "*", Resource: "*", Condition } }],
          },
        ],
      },
    ],
  });
  assert.throws(
    () => parseConfig(withCondition({ StringMatches: { "aws:PrincipalArn": "x" } }), "x.yaml"),
    /x\.yaml[\s\S]*StringMatches[\s\S]*not one the local cloud evaluates/,
  );
  assert.doesNotThrow(() =>
    parseConfig(withCondition({ "ForAnyValue:ArnLike": { "aws:PrincipalArn": "arn:*" } }), "x.yaml"),
  );
});

test("engines are real by default, simulated on request, and nothing else", () => {
  assert.equal(defaultConfig().engines, "real");
  const accounts = [{ id: "000000000000" }];
  assert.equal(parseConfig({ accounts, engines: "simulated" }, "x.yaml").engines, "simulated");
  assert.throws(() => parseConfig({ accounts, engines: "fake" }, "x.yaml"), /engines/);
});
