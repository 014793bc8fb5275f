import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import { defaultUserRules, passwordHashRule, quoteConfigArg, renderRedisConfig } from "./redis-config.ts";

const admin = { user: "localcloud-admin", secret: "s3cret-of-the-host-0123456789abcdef" };
const base = {
  host: "127.0.0.1",
  port: 21000,
  nodeDir: "/data/n1",
  maxMemoryMb: 64,
  passwordRules: [],
  admin,
};

test("a plain node listens on its port with no auth, no persistence but save on shutdown", () => {
  const text = renderRedisConfig(base);
  assert.match(text, /^port 21000$/m);
  assert.match(text, /^bind 127\.0\.0\.1$/m);
  assert.match(text, /^daemonize no$/m);
  assert.match(text, /^save ""$/m);
  assert.match(text, /^appendonly no$/m);
  assert.match(text, /^shutdown-on-sigterm "save now"$/m);
  assert.match(text, /^maxmemory 64mb$/m);
  assert.match(text, /^user default on nopass ~\* &\* \+@all$/m);
  assert.doesNotMatch(text, /cluster-enabled|tls-port|replicaof/);
});

test("auth tokens become hashed passwords of the default user; the tokens are not written", () => {
  const rules = ["first-token-123456", "second-token-12345"].map(passwordHashRule);
  const text = renderRedisConfig({ ...base, passwordRules: rules });
  const hash = (t: string) => createHash("sha256").update(t).digest("hex");
  assert.match(
    text,
    new RegExp(`^user default on #${hash("first-token-123456")} #${hash("second-token-12345")} `, "m"),
  );
  assert.doesNotMatch(text, /first-token-123456/);
});

test("the host's own user logs replicas in to their primary, independent of customer tokens", () => {
  const text = renderRedisConfig(base);
  assert.match(
    text,
    new RegExp(`^user localcloud-admin on ${passwordHashRule(admin.secret)} ~\\* &\\* \\+@all$`, "m"),
  );
  assert.match(text, /^masteruser localcloud-admin$/m);
  assert.match(text, new RegExp(`^masterauth "${admin.secret}"$`, "m"));
});

test("TLS serves on tls-port only, clients need only the CA", () => {
  const tls = { caFile: "/ca.crt", certFile: "/s.crt", keyFile: "/s.key" };
  const text = renderRedisConfig({ ...base, tls });
  assert.match(text, /^port 0$/m);
  assert.match(text, /^tls-port 21000$/m);
  assert.match(text, /^tls-auth-clients no$/m);
  assert.match(text, /^tls-replication yes$/m);
  assert.doesNotMatch(text, /tls-cluster/);
  assert.match(renderRedisConfig({ ...base, tls, cluster: { busPort: 22000 } }), /^tls-cluster yes$/m);
});

test("cluster mode keeps nodes.conf in the node folder and an explicit bus port; no replicaof line", () => {
  const text = renderRedisConfig({
    ...base,
    cluster: { busPort: 22000 },
    replicaOf: { host: "127.0.0.1", port: 1 },
  });
  assert.match(text, /^cluster-enabled yes$/m);
  assert.match(text, /^cluster-config-file nodes\.conf$/m);
  assert.match(text, /^cluster-port 22000$/m);
  assert.doesNotMatch(text, /replicaof/);
});

test("replicas follow their primary across restarts", () => {
  assert.match(
    renderRedisConfig({ ...base, replicaOf: { host: "127.0.0.1", port: 21001 } }),
    /^replicaof 127\.0\.0\.1 21001$/m,
  );
});

test("config arguments are quoted so spaces, quotes and backslashes survive", () => {
  assert.equal(quoteConfigArg('a b"c\\d'), '"a b\\"c\\\\d"');
  assert.deepEqual(defaultUserRules([]), ["on", "nopass", "~*", "&*", "+@all"]);
});
