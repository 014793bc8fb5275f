// The gateway against the real local cloud: the life of a memcached cluster, a single Redis, a
// replication group and a cluster-mode group, through the same calls the operator makes; then the
// failures the operator must tell apart (NotFound, AlreadyExists, AccessDenied, Throttled, Unreachable).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ObservedCache, Topology } from "../planner/model.ts";
import { AwsClients } from "./clients.ts";
import { ElastiCacheGateway } from "./elasticache-gateway.ts";
import { CloudError } from "./errors.ts";
import { LIMITED_KEYS, startTestCloud, type TestCloud, talk, waitFor } from "./testing.ts";

describe("ElastiCacheGateway at the local cloud", () => {
  let cloud: TestCloud;
  let clients: AwsClients;
  let gw: ElastiCacheGateway;
  const calls: string[] = [];
  const opened: AwsClients[] = [];

  before(async () => {
    cloud = await startTestCloud();
    clients = new AwsClients(cloud.auth, { maxAttempts: 1 });
    opened.push(clients);
    gw = new ElastiCacheGateway(clients, { onCall: (op, outcome) => calls.push(`${op}:${outcome}`) });
  });
  after(async () => {
    for (const c of opened) c.destroy();
    await cloud?.stop();
  });

  const available = (id: string, topology: Topology, extra: (o: ObservedCache) => boolean = () => true) =>
    waitFor(
      `${id} available`,
      () => gw.describe(id, topology),
      (o) => o?.status === "available" && !o.pendingChanges && extra(o),
    ) as Promise<ObservedCache>;
  const gone = (id: string, topology: Topology) =>
    waitFor(
      `${id} deleted`,
      () => gw.describe(id, topology),
      (o) => o === undefined,
    );

  test("memcached: create with tags, scale out, tag changes, delete", async () => {
    const r = await gw.execute({
      type: "create",
      params: {
        topology: "CacheCluster",
        id: "gw-memcached",
        engine: "memcached",
        engineVersion: "",
        cacheNodeType: "cache.t3.micro",
        numCacheNodes: 2,
        tags: { team: "web", owner: "ns/app" },
      },
    });
    assert.equal(r.operation, "CreateCacheCluster");
    assert.deepEqual(calls.at(-1), "CreateCacheCluster:ok");
    const creating = await gw.describeCacheCluster("gw-memcached");
    assert.ok(creating !== undefined);
    assert.equal(creating.topology, "CacheCluster");
    const o = await available("gw-memcached", "CacheCluster");
    assert.equal(o.engine, "memcached");
    assert.match(o.engineVersion, /^1\.6/);
    assert.equal(o.numCacheNodes, 2);
    assert.equal(o.nodeEndpoints.length, 2);
    assert.ok(o.configurationEndpoint !== undefined);
    assert.match(o.arn, /^arn:aws:elasticache:us-east-1:000000000000:cluster:gw-memcached$/);
    assert.match(await talk(o.configurationEndpoint, "version\r\n", (s) => s.endsWith("\r\n")), /^VERSION /);
    assert.deepEqual(await gw.listTags(o.arn), { team: "web", owner: "ns/app" });

    await gw.execute({
      type: "modify",
      params: { topology: "CacheCluster", id: "gw-memcached", numCacheNodes: 3 },
      fields: ["numCacheNodes"],
    });
    const scaled = await available("gw-memcached", "CacheCluster", (c) => c.numCacheNodes === 3);
    assert.equal(scaled.nodeEndpoints.length, 3);

    await gw.execute({ type: "addTags", arn: o.arn, tags: { env: "test", team: "platform" } });
    await gw.execute({ type: "removeTags", arn: o.arn, keys: ["owner"] });
    const read = await gw.execute({ type: "readTags", arn: o.arn });
    assert.deepEqual(read, { operation: "ListTagsForResource", tags: { team: "platform", env: "test" } });

    await gw.execute({ type: "delete", topology: "CacheCluster", id: "gw-memcached" });
    await gone("gw-memcached", "CacheCluster");
  });

  test("single Redis: create, answers PING at its node endpoint, node type change, delete", async () => {
    await gw.execute({
      type: "create",
      params: {
        topology: "CacheCluster",
        id: "gw-redis",
        engine: "redis",
        engineVersion: "7.1",
        cacheNodeType: "cache.t3.micro",
        numCacheNodes: 1,
        snapshotRetentionLimit: 2,
        tags: {},
      },
    });
    const o = await available("gw-redis", "CacheCluster");
    assert.equal(o.engine, "redis");
    assert.equal(o.snapshotRetentionLimit, 2);
    const node = o.nodeEndpoints[0];
    assert.ok(node !== undefined);
    assert.equal(node.nodeID, "0001");
    assert.match(await talk(node, "PING\r\n", (s) => s.includes("\r\n")), /^\+PONG/);
    await gw.execute({
      type: "modify",
      params: {
        topology: "CacheCluster",
        id: "gw-redis",
        cacheNodeType: "cache.t3.small",
        snapshotRetentionLimit: 0,
      },
      fields: ["nodeType", "snapshotRetentionLimit"],
    });
    const changed = await available("gw-redis", "CacheCluster", (c) => c.nodeType === "cache.t3.small");
    assert.equal(changed.snapshotRetentionLimit, 0);
    await gw.execute({ type: "delete", topology: "CacheCluster", id: "gw-redis" });
    await gone("gw-redis", "CacheCluster");
  });

  test("replication group: auth token, replicas up and down, token rotation, delete", async () => {
    const token = "first-auth-token-0123456789";
    await gw.execute(
      {
        type: "create",
        params: {
          topology: "ReplicationGroup",
          id: "gw-rg",
          engine: "redis",
          engineVersion: "",
          cacheNodeType: "cache.t3.micro",
          replicationGroupDescription: "gateway test",
          numCacheClusters: 2,
          automaticFailoverEnabled: true,
          transitEncryptionEnabled: true,
          withAuthToken: true,
          tags: { owner: "ns/rg" },
        },
      },
      { authToken: token },
    );
    const o = await available("gw-rg", "ReplicationGroup");
    assert.equal(o.topology, "ReplicationGroup");
    assert.equal(o.clusterMode, false);
    assert.equal(o.authTokenEnabled, true);
    assert.equal(o.transitEncryption, true);
    assert.equal(o.automaticFailover, "enabled");
    assert.equal(o.description, "gateway test");
    assert.match(o.engineVersion, /^\d+\.\d+/);
    assert.equal(o.memberClusters.length, 2);
    assert.equal(o.shards.length, 1);
    assert.deepEqual(o.shards[0]?.nodes.map((n) => n.role).sort(), ["primary", "replica"]);
    assert.ok(o.primaryEndpoint !== undefined && o.readerEndpoint !== undefined);
    assert.equal(o.nodeEndpoints.length, 2);
    const ping = (t: string) =>
      talk(
        o.primaryEndpoint as { address: string; port: number },
        `AUTH ${t}\r\nPING\r\n`,
        (s) => s.split("\r\n").length > 2 || s.startsWith("-"),
        { caFile: cloud.caFile },
      );
    assert.match(await ping(token), /^\+OK\r\n\+PONG/);
    assert.deepEqual(await gw.listTags(o.arn), { owner: "ns/rg" });

    await gw.execute({ type: "increaseReplicaCount", id: "gw-rg", newReplicaCount: 2 });
    await available("gw-rg", "ReplicationGroup", (g) => g.memberClusters.length === 3);
    await gw.execute({ type: "decreaseReplicaCount", id: "gw-rg", newReplicaCount: 1 });
    await available("gw-rg", "ReplicationGroup", (g) => g.memberClusters.length === 2);

    const next = "second-auth-token-9876543210";
    await gw.execute(
      {
        type: "modify",
        params: { topology: "ReplicationGroup", id: "gw-rg", authTokenUpdateStrategy: "ROTATE" },
        fields: [],
      },
      { authToken: next },
    );
    await available("gw-rg", "ReplicationGroup");
    assert.match(await ping(next), /^\+OK\r\n\+PONG/);
    await gw.execute(
      {
        type: "modify",
        params: { topology: "ReplicationGroup", id: "gw-rg", authTokenUpdateStrategy: "SET" },
        fields: [],
      },
      { authToken: next },
    );
    await available("gw-rg", "ReplicationGroup");
    assert.match(await ping(token), /^-/, "the old token is refused after SET");

    await gw.execute({ type: "delete", topology: "ReplicationGroup", id: "gw-rg" });
    await gone("gw-rg", "ReplicationGroup");
  });

  test("cluster mode: shards with slots, reshard out and in, describeAll lists groups not members", async () => {
    await gw.execute({
      type: "create",
      params: {
        topology: "ReplicationGroup",
        id: "gw-cm",
        engine: "redis",
        engineVersion: "",
        cacheNodeType: "cache.t3.micro",
        numNodeGroups: 2,
        replicasPerNodeGroup: 0,
        tags: {},
      },
    });
    const o = await available("gw-cm", "ReplicationGroup");
    assert.equal(o.clusterMode, true);
    assert.ok(o.configurationEndpoint !== undefined);
    assert.equal(o.primaryEndpoint, undefined);
    assert.equal(o.shards.length, 2);
    assert.ok(o.shards.every((s) => s.slots !== undefined && s.nodes.length === 1));

    const all = await gw.describeAll();
    const listed = all.find((c) => c.id === "gw-cm");
    assert.ok(listed !== undefined);
    assert.equal(listed.engineVersion, o.engineVersion, "members fill the engine version");
    assert.ok(!all.some((c) => o.memberClusters.includes(c.id)), "members are not listed on their own");

    await gw.execute({ type: "reshard", id: "gw-cm", nodeGroupCount: 3 });
    const out = await available("gw-cm", "ReplicationGroup", (g) => g.shards.length === 3);
    const last = out.shards
      .map((s) => s.id)
      .sort()
      .at(-1) as string;
    await gw.execute({ type: "reshard", id: "gw-cm", nodeGroupCount: 2, nodeGroupsToRemove: [last] });
    const back = await available("gw-cm", "ReplicationGroup", (g) => g.shards.length === 2);
    assert.ok(!back.shards.some((s) => s.id === last));

    await gw.execute({ type: "delete", topology: "ReplicationGroup", id: "gw-cm" });
    await gone("gw-cm", "ReplicationGroup");
  });

  test("a missing resource reads as undefined; acting on it is NotFound; a duplicate create is AlreadyExists", async () => {
    assert.equal(await gw.describeCacheCluster("gw-nothing"), undefined);
    assert.equal(await gw.describeReplicationGroup("gw-nothing"), undefined);
    await assert.rejects(
      gw.execute({ type: "delete", topology: "CacheCluster", id: "gw-nothing" }),
      (e: unknown) => e instanceof CloudError && e.kind === "NotFound" && e.action === "DeleteCacheCluster",
    );
    const params = {
      topology: "CacheCluster" as const,
      id: "gw-dup",
      engine: "memcached",
      engineVersion: "",
      cacheNodeType: "cache.t3.micro",
      numCacheNodes: 1,
      tags: {},
    };
    await gw.execute({ type: "create", params });
    await assert.rejects(
      gw.execute({ type: "create", params }),
      (e: unknown) => e instanceof CloudError && e.kind === "AlreadyExists",
    );
    await available("gw-dup", "CacheCluster");
    await gw.execute({ type: "delete", topology: "CacheCluster", id: "gw-dup" });
    await gone("gw-dup", "CacheCluster");
  });

  test("a subnet group that does not exist is Terminal, not NotFound", async () => {
    await assert.rejects(
      gw.execute({
        type: "create",
        params: {
          topology: "ReplicationGroup",
          id: "gw-badnet",
          engine: "redis",
          engineVersion: "",
          cacheNodeType: "cache.t3.micro",
          numCacheClusters: 1,
          cacheSubnetGroupName: "no-such-subnet-group",
          tags: {},
        },
      }),
      (e: unknown) =>
        e instanceof CloudError &&
        e.kind === "Terminal" &&
        /no-such-subnet-group|SubnetGroup/.test(e.message),
    );
  });

  test("a token AWS refuses is Terminal and never appears in the error", async () => {
    const token = "bad@token-value-1234567890";
    const err = await gw
      .execute(
        {
          type: "create",
          params: {
            topology: "ReplicationGroup",
            id: "gw-badtoken",
            engine: "redis",
            engineVersion: "",
            cacheNodeType: "cache.t3.micro",
            numCacheClusters: 1,
            transitEncryptionEnabled: true,
            withAuthToken: true,
            tags: {},
          },
        },
        { authToken: token },
      )
      .then(
        () => assert.fail("expected the token to be refused"),
        (e: unknown) => e,
      );
    assert.ok(err instanceof CloudError);
    assert.equal(err.kind, "Terminal");
    assert.ok(!`${err.message} ${JSON.stringify(err)} ${err.stack}`.includes(token));
  });

  test("an identity without replica and shard scaling gets AccessDenied naming the IAM action", async () => {
    const limitedClients = new AwsClients({ ...cloud.auth, ...LIMITED_KEYS }, { maxAttempts: 1 });
    opened.push(limitedClients);
    const limited = new ElastiCacheGateway(limitedClients);
    await limited.execute({
      type: "create",
      params: {
        topology: "ReplicationGroup",
        id: "gw-limited",
        engine: "redis",
        engineVersion: "",
        cacheNodeType: "cache.t3.micro",
        numCacheClusters: 1,
        tags: {},
      },
    });
    await available("gw-limited", "ReplicationGroup");
    const denied = async (p: Promise<unknown>, iamAction: string) => {
      const e = await p.then(
        () => assert.fail(`expected AccessDenied for ${iamAction}`),
        (err: unknown) => err,
      );
      assert.ok(e instanceof CloudError);
      assert.equal(e.kind, "AccessDenied");
      assert.equal(e.iamAction, iamAction);
      assert.match(e.message, new RegExp(iamAction));
    };
    await denied(
      limited.execute({ type: "increaseReplicaCount", id: "gw-limited", newReplicaCount: 1 }),
      "elasticache:IncreaseReplicaCount",
    );
    await denied(
      limited.execute({ type: "reshard", id: "gw-limited", nodeGroupCount: 2 }),
      "elasticache:ModifyReplicationGroupShardConfiguration",
    );
    await limited.execute({ type: "delete", topology: "ReplicationGroup", id: "gw-limited" });
    await gone("gw-limited", "ReplicationGroup");
  });

  test("throttling is Throttled, an AWS outage is Transient", async () => {
    try {
      await cloud.setFaults({ throttleRate: 1, actions: ["DescribeCacheClusters"] });
      await assert.rejects(
        gw.describeCacheCluster("anything"),
        (e: unknown) => e instanceof CloudError && e.kind === "Throttled" && e.retryable,
      );
      await cloud.setFaults({ unavailableRate: 1, actions: ["DescribeReplicationGroups"] });
      await assert.rejects(
        gw.describeReplicationGroup("anything"),
        (e: unknown) => e instanceof CloudError && e.kind === "Transient" && e.retryable,
      );
    } finally {
      await cloud.setFaults({});
    }
    assert.ok(calls.includes("DescribeCacheClusters:Throttled"));
  });

  test("an endpoint where nothing listens is Unreachable", async () => {
    const dead = new AwsClients({ ...cloud.auth, endpoint: "http://127.0.0.1:9" }, { maxAttempts: 1 });
    opened.push(dead);
    await assert.rejects(
      new ElastiCacheGateway(dead).describeAll(),
      (e: unknown) => e instanceof CloudError && e.kind === "Unreachable",
    );
  });
});
