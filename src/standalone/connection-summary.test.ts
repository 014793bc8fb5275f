import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ElastiCacheClusterSpec } from "../api/elasticache-cluster.ts";
import { connectionSummary } from "./connection-summary.ts";

const base: ElastiCacheClusterSpec = {
  providerRef: { name: "p" },
  clusterID: "c",
  engine: "redis",
  engineVersion: "7.1",
  nodeType: "cache.t3.micro",
  deletionPolicy: "Delete",
};

describe("connectionSummary", () => {
  it("prints a plain Redis endpoint, URL and PING command", () => {
    const lines = connectionSummary("c", base, {
      primaryEndpoint: { address: "127.0.0.1", port: 7000 },
      engineVersion: "7.1.0",
    });
    assert.deepEqual(lines, [
      "c: redis 7.1.0 at 127.0.0.1:7000",
      "  url:  redis://127.0.0.1:7000",
      "  try:  redis-cli -h 127.0.0.1 -p 7000 PING",
    ]);
  });

  it("names the token's Secret instead of the token, with TLS, CA and cluster mode", () => {
    const spec = {
      ...base,
      transitEncryptionEnabled: true,
      authTokenRef: { name: "redis-auth", key: "token" },
    };
    const lines = connectionSummary(
      "c",
      spec,
      { configurationEndpoint: { address: "127.0.0.1", port: 7001 } },
      { caFile: "/ca.crt" },
    );
    assert.equal(lines[1], "  url:  rediss://:<token from Secret redis-auth, key token>@127.0.0.1:7001");
    assert.match(
      lines[2] ?? "",
      /^ {2}try: {2}redis-cli -h 127\.0\.0\.1 -p 7001 -c --tls --cacert \/ca\.crt --askpass PING/,
    );
  });

  it("gives memcached its own URL, and says when no endpoint exists yet", () => {
    const lines = connectionSummary(
      "m",
      { ...base, engine: "memcached" },
      { configurationEndpoint: { address: "h", port: 11211 } },
    );
    assert.equal(lines[1], "  url:  memcached://h:11211");
    assert.deepEqual(connectionSummary("x", base, {}), ["x: no endpoint reported yet"]);
  });
});
