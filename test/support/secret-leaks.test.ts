import assert from "node:assert/strict";
import { test } from "node:test";
import { secretLeaks } from "./secret-leaks.ts";

test("finds a secret as written, JSON-escaped and URL-encoded, and names the line without the secret", () => {
  const token = 'Tok"en/with spaces!';
  const log = [
    "line one",
    `{"msg":"connecting","url":"redis://:${encodeURIComponent(token)}@127.0.0.1:6379"}`,
    `{"msg":"token","value":${JSON.stringify(token)}}`,
  ].join("\n");
  const leaks = secretLeaks(
    [
      ["log", log],
      ["Events", `plain ${token}`],
    ],
    [token],
  );
  assert.deepEqual(leaks, [
    "log, line 2: secret #1 (19 characters)",
    "Events, line 1: secret #1 (19 characters)",
  ]);
  for (const leak of leaks)
    assert.ok(!leak.includes(token.slice(0, 3)), "the report shows part of the secret");
});

test("clean text and very short values report nothing", () => {
  assert.deepEqual(secretLeaks([["log", "all fine here: abc"]], ["Secret-Value-123", "abc"]), []);
});
