// A serverless cache through the standalone CLI: apply prints its connection as it does a cluster's
// (the TLS endpoint, the reader endpoint, a rediss URL, a redis-cli command with the local cloud's
// CA) in place of the operator's connection Secret, and the printed command answers PONG; with a
// user group the URL names the group, never a credential; get shows the endpoint; delete removes it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DescribeServerlessCachesCommand } from "@aws-sdk/client-elasticache";
import { cli, cliWorkspace, runPrintedPing } from "./cli.ts";
import { provider, writeManifest } from "./manifests.ts";

const serverless = (name: string, extra = "") => `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheServerlessCache
metadata:
  name: ${name}
  namespace: default
spec:
  providerRef:
    name: local-test
  serverlessCacheName: ${name}
  engine: redis
${extra}`;

const userGroup = `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheUserGroup
metadata:
  name: cli-sls-users
  namespace: default
spec:
  providerRef:
    name: local-test
  userGroupID: cli-sls-users
  engine: redis
  userIDs: [default]
`;

describe("standalone CLI and a serverless cache", () => {
  const { S, folder, aws } = cliWorkspace();

  it("apply prints the endpoints, URL and a redis-cli command that answers PONG", async () => {
    writeManifest(folder, "provider.yaml", provider("local-test"));
    writeManifest(folder, "cache.yaml", serverless("cli-sessions"));
    const applied = await cli(["apply", ...S, "-f", folder, "--timeout", "3m"]);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    const out = await aws().send(
      new DescribeServerlessCachesCommand({ ServerlessCacheName: "cli-sessions" }),
    );
    const endpoint = out.ServerlessCaches?.[0]?.Endpoint;
    const reader = out.ServerlessCaches?.[0]?.ReaderEndpoint;
    assert.ok(endpoint?.Address && endpoint.Port && reader?.Port, JSON.stringify(out.ServerlessCaches));
    const hostPort = `${endpoint.Address}:${endpoint.Port}`;
    assert.match(applied.stdout, new RegExp(`cli-sessions: serverless redis \\S+ at ${hostPort} \\(TLS\\)`));
    assert.ok(applied.stdout.includes(`  reader endpoint: ${reader.Address}:${reader.Port}`), applied.stdout);
    assert.ok(applied.stdout.includes(`  url:  rediss://${hostPort}`), applied.stdout);
    assert.match(applied.stdout, /try: {2}redis-cli .* --tls --cacert \S+ca\.crt PING/);
    assert.equal(runPrintedPing(applied.stdout), "PONG");
  });

  it("get shows the endpoint of the serverless cache", async () => {
    const get = await cli(["get", "ecsc", ...S]);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /cli-sessions\s.*true/);
  });

  it("with a user group, the URL and command name the group and no credential", async () => {
    writeManifest(folder, "users.yaml", userGroup);
    writeManifest(folder, "cache.yaml", serverless("cli-sessions", "  userGroupID: cli-sls-users\n"));
    const applied = await cli(["apply", ...S, "-f", folder, "--timeout", "3m"]);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /url: {2}rediss:\/\/<user of user group cli-sls-users>:<its password>@/);
    assert.match(applied.stdout, /--user <user> --askpass PING {3}\(a user of user group cli-sls-users;/);
  });

  it("delete -f removes the cache", async () => {
    const deleted = await cli(["delete", ...S, "-f", folder, "--timeout", "3m"]);
    assert.equal(deleted.code, 0, deleted.stderr + deleted.stdout);
    const out = await aws()
      .send(new DescribeServerlessCachesCommand({ ServerlessCacheName: "cli-sessions" }))
      .catch((err: { name?: string }) => err.name);
    assert.equal(out, "ServerlessCacheNotFoundFault");
  });
});
