import assert from "node:assert/strict";
import { test } from "node:test";
import { validAuthToken, validIdentifier, validNodeType } from "./validation.ts";

test("identifiers follow AWS's rules and are lower-cased", () => {
  assert.equal(validIdentifier("My-Cache-1", "CacheClusterId", 50), "my-cache-1");
  for (const bad of ["", "1abc", "a--b", "abc-", "a_b", "a".repeat(51)]) {
    assert.throws(() => validIdentifier(bad, "CacheClusterId", 50), /CacheClusterId/);
  }
});

test('auth tokens: 16-128 printable characters without / " @', () => {
  assert.equal(validAuthToken("MyToken123!MyToken123!"), "MyToken123!MyToken123!");
  for (const bad of [
    "short",
    "has space in it 123",
    "with/slash-1234567",
    'quote"1234567890123',
    "at@1234567890123456",
  ]) {
    assert.throws(() => validAuthToken(bad), /AuthToken/);
  }
});

test("node types look like cache.<family>.<size>", () => {
  assert.equal(validNodeType("cache.t3.micro"), "cache.t3.micro");
  assert.throws(() => validNodeType("t3.micro"), /CacheNodeType/);
});
