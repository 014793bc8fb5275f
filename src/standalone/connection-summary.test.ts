import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ElastiCacheClusterSpec } from "../api/elasticache-cluster.ts";
import type { ServerlessCacheSpec } from "../kinds/serverless-cache/schema.ts";
import { connectionSummary, serverlessConnectionSummary } from "./connection-summary.ts";

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

describe("serverlessConnectionSummary", () => {
  const spec: ServerlessCacheSpec = {
    providerRef: { name: "p" },
    serverlessCacheName: "s",
    engine: "valkey",
    majorEngineVersion: "8",
    deletionPolicy: "Delete",
  } as ServerlessCacheSpec;

  it("prints the TLS endpoint, the reader endpoint, a rediss URL and a PING command with the CA", () => {
    const lines = serverlessConnectionSummary(
      "s",
      spec,
      {
        endpoint: { address: "127.0.0.1", port: 7100 },
        readerEndpoint: { address: "127.0.0.1", port: 7101 },
        fullEngineVersion: "8.0.1",
      },
      { caFile: "/ca.crt" },
    );
    assert.deepEqual(lines, [
      "s: serverless valkey 8.0.1 at 127.0.0.1:7100 (TLS)",
      "  reader endpoint: 127.0.0.1:7101",
      "  url:  rediss://127.0.0.1:7100",
      "  try:  redis-cli -h 127.0.0.1 -p 7100 --tls --cacert /ca.crt PING",
    ]);
  });

  it("with a user group, names the group instead of any credential and asks for the password", () => {
    const lines = serverlessConnectionSummary(
      "s",
      { ...spec, userGroupID: "app-users" },
      {
        endpoint: { address: "h", port: 6379 },
      },
    );
    assert.equal(lines[1], "  url:  rediss://<user of user group app-users>:<its password>@h:6379");
    assert.equal(
      lines[2],
      "  try:  redis-cli -h h -p 6379 --tls --user <user> --askpass PING   (a user of user group app-users; enter its password when asked)",
    );
  });

  it("gives memcached a memcached URL over TLS, and says when no endpoint exists yet", () => {
    const lines = serverlessConnectionSummary(
      "m",
      { ...spec, engine: "memcached" },
      {
        endpoint: { address: "h", port: 11211 },
      },
    );
    assert.equal(lines[1], "  url:  memcached://h:11211");
    assert.equal(
      lines[2],
      "  try:  printf 'version\\r\\nquit\\r\\n' | openssl s_client -quiet -connect h:11211",
    );
    assert.deepEqual(serverlessConnectionSummary("x", spec, {}), ["x: no endpoint reported yet"]);
  });
});
