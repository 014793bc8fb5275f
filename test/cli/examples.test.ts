// Every examples/ cluster that fits standalone mode, applied together (concurrently) against the
// local cloud: the providers they name are given as AWSProvider documents with `endpoint: local`,
// the subnet groups they name are created first, the Secrets they reference come from the files.
// production-redis.yaml uses the same clusterID (app-redis-prod) as app-cache-prod.yaml, so both
// cannot exist at once: it is applied after the others, and refused as NotOwned (its create answered
// AlreadyExists; nothing changed).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateCacheSubnetGroupCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { repoPath } from "../support/paths.ts";
import { calls, cli, localCloudUrl, mutating, resetCalls, runPrintedPing, tempStateDir } from "./cli.ts";

const EXAMPLES = [
  "e2e-redis-simple.yaml",
  "e2e-memcached.yaml",
  "e2e-redis-cluster.yaml",
  "dev-redis.yaml",
  "session-cache.yaml",
  "realtime-redis.yaml",
  "app-cache-prod.yaml",
  "secure-redis.yaml",
];
const SUBNET_GROUPS = [
  "dev-cache-subnet",
  "web-cache-subnet",
  "realtime-cache-subnet",
  "private-cache-subnet",
  "critical-cache-subnet",
];

const providers = ["localstack", "dev-aws", "production-aws"]
  .map(
    (name) => `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata:
  name: ${name}
  namespace: default
spec:
  region: us-east-1
  endpoint: local
  defaultTags:
    managed-by: infra-operator
`,
  )
  .join("---\n");

const TOKEN = "Realtime-Token-0123456789";
const secrets = `apiVersion: v1
kind: Secret
metadata:
  name: realtime-redis-auth
stringData:
  token: ${TOKEN}
---
apiVersion: v1
kind: Secret
metadata:
  name: redis-auth-token
stringData:
  password: Secure-Token-0123456789
`;

describe("standalone apply of the examples", () => {
  const state = tempStateDir();
  const S = ["--state-dir", state.dir];
  const files = () => [
    "-f",
    join(state.dir, "providers.yaml"),
    "-f",
    join(state.dir, "secrets.yaml"),
    "-f",
    repoPath("examples", "redis-auth.yaml"),
    ...EXAMPLES.flatMap((e) => ["-f", repoPath("examples", e)]),
  ];
  let applied: Awaited<ReturnType<typeof cli>>;

  before(async () => {
    writeFileSync(join(state.dir, "providers.yaml"), providers);
    writeFileSync(join(state.dir, "secrets.yaml"), secrets);
    // The first apply starts the local cloud; the subnet groups must exist before the others.
    const first = await cli([
      "apply",
      ...S,
      "-f",
      join(state.dir, "providers.yaml"),
      "-f",
      repoPath("examples", "e2e-redis-simple.yaml"),
    ]);
    assert.equal(first.code, 0, first.stderr);
    const client = new ElastiCacheClient({
      region: "us-east-1",
      endpoint: localCloudUrl(state.dir),
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    for (const name of SUBNET_GROUPS) {
      await client.send(
        new CreateCacheSubnetGroupCommand({
          CacheSubnetGroupName: name,
          CacheSubnetGroupDescription: `examples: ${name}`,
          SubnetIds: ["subnet-0a1b2c3d"],
        }),
      );
    }
    client.destroy();
    applied = await cli(["apply", ...S, ...files()], {}, 240_000);
  });
  after(() => state.cleanup());

  it("brings every example cluster to Ready", async () => {
    assert.equal(applied.code, 0, `${applied.stdout}\n${applied.stderr}`);
    const got = await cli(["get", "-o", "json", ...S]);
    const items = JSON.parse(got.stdout).items as Array<{
      metadata: { name: string };
      status: { ready: boolean };
    }>;
    assert.deepEqual(
      items.map((i) => [i.metadata.name, i.status.ready]).sort(),
      [
        "app-cache-prod",
        "dev-redis",
        "e2e-memcached",
        "e2e-redis-cluster",
        "e2e-redis-simple",
        "realtime-redis",
        "secure-redis",
        "session-cache",
      ].map((n) => [n, true]),
    );
  });

  it("prints TLS endpoints with the local CA and never a token", () => {
    assert.doesNotMatch(applied.stdout + applied.stderr, new RegExp(TOKEN));
    assert.doesNotMatch(applied.stdout + applied.stderr, /MySecureRedisToken123!/);
    assert.match(applied.stdout, /url: {2}rediss:\/\/:<token from Secret realtime-redis-auth, key token>@/);
    assert.match(applied.stdout, /redis-cli -h \S+ -p \d+ (-c )?--tls --cacert \S+ca\.crt --askpass PING/);
    const realtime = applied.stdout.slice(applied.stdout.indexOf("realtime-redis: redis"));
    assert.equal(runPrintedPing(realtime, TOKEN), "PONG");
  });

  it("refuses production-redis, whose clusterID app-cache-prod already owns, changing nothing", async () => {
    await resetCalls(state.dir);
    const clash = await cli([
      "apply",
      ...S,
      "-f",
      join(state.dir, "providers.yaml"),
      "-f",
      repoPath("examples", "redis-auth.yaml"),
      "-f",
      repoPath("examples", "production-redis.yaml"),
    ]);
    assert.equal(clash.code, 1);
    assert.match(
      clash.stderr,
      /production-redis: not ready: NotOwned: ReplicationGroup app-redis-prod already exists in AWS and belongs to default\/app-cache-prod; nothing was changed\. Choose another clusterID/,
    );
    // The step sends the create without looking first (as the operator does); AWS refuses it.
    const counts = await calls(state.dir);
    assert.deepEqual(mutating(counts), { "elasticache:CreateReplicationGroup": 1 });
    assert.equal(counts.byErrorCode.ReplicationGroupAlreadyExists, 1);
    const deleted = await cli(["delete", "production-redis", ...S]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /deletionPolicy Retain/);
  });

  it("re-applies everything with zero mutating calls", async () => {
    await resetCalls(state.dir);
    const again = await cli(["apply", ...S, ...files()]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(mutating(await calls(state.dir)), {});
  });
});
