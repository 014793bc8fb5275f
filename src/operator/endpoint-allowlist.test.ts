// The endpoint allowlist as `run --allowed-endpoints` parses it and providers are checked against it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { endpointRefusal, isLoopback, parseAllowedEndpoints } from "./endpoint-allowlist.ts";

describe("endpoint allowlist", () => {
  const allowed = parseAllowedEndpoints(" http://127.0.0.1:4566 , https://cloud.example.com/aws/");

  test("an endpoint under a listed prefix is allowed; anything else is EndpointNotAllowed", () => {
    assert.equal(endpointRefusal("http://127.0.0.1:4566", allowed), undefined);
    assert.equal(endpointRefusal("http://127.0.0.1:4566/", allowed), undefined);
    assert.equal(endpointRefusal("https://cloud.example.com/aws/sts", allowed), undefined);
    for (const endpoint of [
      "http://127.0.0.1:45660", // another port that merely starts with the same digits
      "http://127.0.0.1:4567",
      "https://127.0.0.1:4566", // another scheme
      "https://cloud.example.com/awsx",
      "https://cloud.example.com.evil.test/aws/",
      "https://cloud.example.com@evil.test/aws/",
    ]) {
      assert.equal(endpointRefusal(endpoint, allowed)?.reason, "EndpointNotAllowed", endpoint);
    }
  });

  test("AWS's own https endpoints are always allowed, even with an empty list", () => {
    assert.equal(endpointRefusal("https://sts.us-east-1.amazonaws.com", []), undefined);
    assert.equal(endpointRefusal("https://elasticache.cn-north-1.amazonaws.com.cn", []), undefined);
    assert.equal(endpointRefusal("https://sts.amazonaws.com.evil.test", [])?.reason, "EndpointNotAllowed");
    assert.equal(
      endpointRefusal("https://sts.us-east-1.amazonaws.com:8443", [])?.reason,
      "EndpointNotAllowed",
    );
  });

  test("plain http to a host that is not loopback is refused, listed or not", () => {
    assert.equal(endpointRefusal("http://sts.us-east-1.amazonaws.com", [])?.reason, "InsecureEndpoint");
    assert.equal(endpointRefusal("http://localstack:4566", allowed)?.reason, "InsecureEndpoint");
    assert.throws(() => parseAllowedEndpoints("http://localstack:4566"), /plain http.*use https/);
  });

  test("the refusal tells the admin which flag to set and lists what is allowed", () => {
    const refusal = endpointRefusal("http://127.0.0.1:9", allowed);
    assert.match(refusal?.message ?? "", /spec\.endpoint http:\/\/127\.0\.0\.1:9 is not an allowed endpoint/);
    assert.match(refusal?.message ?? "", /--allowed-endpoints/);
    assert.match(refusal?.message ?? "", /http:\/\/127\.0\.0\.1:4566, https:\/\/cloud\.example\.com\/aws\//);
    assert.match(endpointRefusal("http://127.0.0.1:9", [])?.message ?? "", /AWS's own endpoints and none/);
  });

  test("malformed list entries are refused at start-up, naming the entry", () => {
    assert.deepEqual(parseAllowedEndpoints(""), []);
    assert.throws(
      () => parseAllowedEndpoints("127.0.0.1:4566"),
      /"127\.0\.0\.1:4566" is not an http\(s\) URL prefix/,
    );
    assert.throws(() => parseAllowedEndpoints("https://user:pw@x.example"), /not an http\(s\) URL prefix/);
    assert.throws(() => parseAllowedEndpoints("ftp://x.example"), /not an http\(s\) URL prefix/);
  });

  test("loopback is 127.0.0.0/8, ::1 and localhost", () => {
    assert.ok(
      isLoopback("127.0.0.1") && isLoopback("127.1.2.3") && isLoopback("[::1]") && isLoopback("localhost"),
    );
    assert.ok(!isLoopback("128.0.0.1") && !isLoopback("localhost.evil.test") && !isLoopback("10.0.0.1"));
  });
});
