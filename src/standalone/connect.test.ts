import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkEnginePrograms } from "./connect.ts";

describe("checkEnginePrograms", () => {
  it("names each missing program with its install command", () => {
    assert.throws(
      () => checkEnginePrograms(["redis", "memcached", "redis"], "/nonexistent"),
      (err: Error) => {
        assert.match(err.message, /redis-server not found: install it with 'apt-get install redis-server'/);
        assert.match(err.message, /memcached not found: install it with 'apt-get install memcached'/);
        assert.equal(err.message.split("\n").length, 2);
        return true;
      },
    );
  });
});
