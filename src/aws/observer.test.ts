import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ObservedCache, Topology } from "../planner/model.ts";
import { AwsClients } from "./clients.ts";
import { ElastiCacheGateway } from "./elasticache-gateway.ts";
import { BatchObserver, type ObservationSource } from "./observer.ts";
import { startTestCloud, type TestCloud } from "./testing.ts";

function observed(id: string, topology: Topology, status = "creating"): ObservedCache {
  return {
    topology,
    id,
    arn: `arn:${id}`,
    status,
    engine: "redis",
    engineVersion: "7.1",
    nodeType: "cache.t3.micro",
    clusterMode: false,
    shards: [],
    memberClusters: [],
    transitEncryption: false,
    atRestEncryption: false,
    authTokenEnabled: false,
    snapshotRetentionLimit: 0,
    securityGroupIds: [],
    nodeEndpoints: [],
    pendingChanges: false,
  };
}

/** A stand-in gateway over a fixed world, counting the calls the observer makes. */
class FakeSource implements ObservationSource {
  world: ObservedCache[] = [];
  describes = 0;
  lists = 0;
  fail: Error | undefined;
  async describe(id: string, topology: Topology) {
    this.describes++;
    await new Promise((r) => setTimeout(r, 1));
    if (this.fail) throw this.fail;
    return this.world.find((o) => o.id === id && o.topology === topology);
  }
  async describeAll() {
    this.lists++;
    await new Promise((r) => setTimeout(r, 1));
    if (this.fail) throw this.fail;
    return [...this.world];
  }
}

describe("BatchObserver coalescing", () => {
  test("a lone request gets a single Describe", async () => {
    const src = new FakeSource();
    src.world = [observed("a", "CacheCluster")];
    const obs = new BatchObserver(src, { windowMs: 5 });
    assert.equal((await obs.observe("a", "CacheCluster"))?.id, "a");
    assert.deepEqual([src.describes, src.lists], [1, 0]);
  });

  test("many waiting resources are served by one listing; a missing one reads undefined", async () => {
    const src = new FakeSource();
    src.world = Array.from({ length: 50 }, (_, i) =>
      observed(`c${i}`, i % 2 === 0 ? "CacheCluster" : "ReplicationGroup"),
    );
    const obs = new BatchObserver(src, { windowMs: 5 });
    const asked = src.world.map((o) => obs.observe(o.id, o.topology));
    const missing = obs.observe("c0", "ReplicationGroup");
    const answers = await Promise.all(asked);
    assert.deepEqual(
      answers.map((a) => a?.id),
      src.world.map((o) => o.id),
    );
    assert.equal(await missing, undefined, "same id, other topology: not found");
    assert.deepEqual([src.describes, src.lists], [0, 1]);
  });

  test("the same resource asked twice in a window costs one call", async () => {
    const src = new FakeSource();
    src.world = [observed("a", "CacheCluster")];
    const obs = new BatchObserver(src, { windowMs: 5 });
    const [x, y] = await Promise.all([obs.observe("a", "CacheCluster"), obs.observe("a", "CacheCluster")]);
    assert.equal(x, y);
    assert.deepEqual([src.describes, src.lists], [1, 0]);
  });

  test("answers are cached for maxAgeMs, and forget() drops them", async () => {
    let now = 1000;
    const src = new FakeSource();
    src.world = [observed("a", "CacheCluster"), observed("b", "CacheCluster")];
    const obs = new BatchObserver(src, { windowMs: 2, now: () => now });
    await Promise.all([obs.observe("a", "CacheCluster"), obs.observe("b", "CacheCluster")]);
    assert.equal(src.lists, 1);
    now += 4000;
    await obs.observe("b", "CacheCluster", { maxAgeMs: 5000 });
    await obs.observe("a", "CacheCluster", { maxAgeMs: 5000 });
    assert.deepEqual([src.describes, src.lists], [0, 1], "served from the cache");
    await obs.observe("a", "CacheCluster");
    assert.equal(src.describes, 1, "maxAgeMs 0 asks AWS");
    obs.forget("b", "CacheCluster");
    await obs.observe("b", "CacheCluster", { maxAgeMs: 60_000 });
    assert.equal(src.describes, 2, "forgotten: asked again");
    now += 6000;
    await obs.observe("a", "CacheCluster", { maxAgeMs: 5000 });
    assert.equal(src.describes, 3, "too old: asked again");
  });

  test("resources acted on moments ago count as waiting: a lone request is answered by a listing that serves them", async () => {
    let now = 1000;
    const src = new FakeSource();
    src.world = ["a", "b", "c", "d"].map((id) => observed(id, "CacheCluster"));
    const obs = new BatchObserver(src, { windowMs: 2, now: () => now });
    // A burst of creates: each is forgotten right after its call.
    for (const o of src.world) obs.forget(o.id, o.topology);
    now += 1000;
    await obs.observe("a", "CacheCluster");
    assert.deepEqual([src.describes, src.lists], [0, 1], "a listing, not a single Describe");
    for (const id of ["b", "c", "d"]) await obs.observe(id, "CacheCluster", { maxAgeMs: 2000 });
    assert.deepEqual([src.describes, src.lists], [0, 1], "the others were answered from that listing");
    // Long after the burst, a lone request is a single Describe again.
    now += 60_000;
    await obs.observe("a", "CacheCluster");
    assert.deepEqual([src.describes, src.lists], [1, 1]);
  });

  test("settledMaxAgeMs keeps available answers longer, never a waiting one", async () => {
    let now = 1000;
    const src = new FakeSource();
    src.world = [observed("a", "CacheCluster", "available"), observed("b", "CacheCluster", "creating")];
    const obs = new BatchObserver(src, { windowMs: 2, now: () => now });
    await Promise.all([obs.observe("a", "CacheCluster"), obs.observe("b", "CacheCluster")]);
    assert.equal(src.lists, 1);
    now += 10_000;
    const options = { maxAgeMs: 2000, settledMaxAgeMs: 30_000 };
    await obs.observe("a", "CacheCluster", options);
    assert.deepEqual([src.describes, src.lists], [0, 1], "available and 10 s old: served from the cache");
    await obs.observe("b", "CacheCluster", options);
    assert.equal(src.describes, 1, "creating and 10 s old: asked again");
    obs.forget("a", "CacheCluster");
    await obs.observe("a", "CacheCluster", options);
    assert.equal(src.describes, 2, "acted on: asked again");
  });

  test("a listing also refreshes resources nobody asked for", async () => {
    const src = new FakeSource();
    src.world = [observed("a", "CacheCluster"), observed("b", "CacheCluster"), observed("c", "CacheCluster")];
    const obs = new BatchObserver(src, { windowMs: 2 });
    await Promise.all([obs.observe("a", "CacheCluster"), obs.observe("b", "CacheCluster")]);
    assert.equal((await obs.observe("c", "CacheCluster", { maxAgeMs: 60_000 }))?.id, "c");
    assert.deepEqual([src.describes, src.lists], [0, 1]);
  });

  test("a failed listing fails every waiting request with its error", async () => {
    const src = new FakeSource();
    src.fail = new Error("throttled");
    const obs = new BatchObserver(src, { windowMs: 2 });
    const results = await Promise.allSettled([
      obs.observe("a", "CacheCluster"),
      obs.observe("b", "CacheCluster"),
    ]);
    assert.deepEqual(
      results.map((r) => r.status === "rejected" && (r.reason as Error).message),
      ["throttled", "throttled"],
    );
  });

  test("close() rejects waiting requests", async () => {
    const obs = new BatchObserver(new FakeSource(), { windowMs: 1000 });
    const p = obs.observe("a", "CacheCluster");
    obs.close();
    await assert.rejects(p, /closed/);
  });
});

describe("BatchObserver at the local cloud", () => {
  let cloud: TestCloud;
  let clients: AwsClients;
  before(async () => {
    cloud = await startTestCloud();
    clients = new AwsClients(cloud.auth, { maxAttempts: 1 });
  });
  after(async () => {
    clients?.destroy();
    await cloud?.stop();
  });

  test("resources created together are watched to available with one listing per round", async () => {
    const calls: Record<string, number> = {};
    const gw = new ElastiCacheGateway(clients, {
      onCall: (op) => {
        calls[op] = (calls[op] ?? 0) + 1;
      },
    });
    // Slow transitions, so the resources are watched through several rounds.
    await cloud.setPace(300);
    await cloud.resetCalls();
    const ids = ["obs-1", "obs-2", "obs-3"];
    for (const id of ids) {
      await gw.execute({
        type: "create",
        params: {
          topology: "CacheCluster",
          id,
          engine: "memcached",
          engineVersion: "",
          cacheNodeType: "cache.t3.micro",
          numCacheNodes: 1,
          tags: {},
        },
      });
    }
    await gw.execute({
      type: "create",
      params: {
        topology: "ReplicationGroup",
        id: "obs-rg",
        engine: "redis",
        engineVersion: "",
        cacheNodeType: "cache.t3.micro",
        numCacheClusters: 2,
        tags: {},
      },
    });
    const watched: Array<[string, Topology]> = [
      ...ids.map((id): [string, Topology] => [id, "CacheCluster"]),
      ["obs-rg", "ReplicationGroup"],
    ];
    const obs = new BatchObserver(gw, { windowMs: 20 });
    let rounds = 0;
    let states: Array<ObservedCache | undefined> = [];
    for (; rounds < 200; rounds++) {
      states = await Promise.all(watched.map(([id, t]) => obs.observe(id, t)));
      if (states.every((s) => s?.status === "available")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(
      states.every((s) => s?.status === "available"),
      `not all available: ${states.map((s) => s?.status)}`,
    );
    const rg = states[3];
    assert.ok(rg !== undefined && rg.memberClusters.length === 2 && rg.engineVersion !== "");
    // Every round was one listing: per round one DescribeReplicationGroups page and one
    // DescribeCacheClusters page, never a Describe per resource.
    assert.equal(calls.DescribeReplicationGroups, rounds + 1);
    assert.equal(calls.DescribeCacheClusters, rounds + 1);
    const counted = await cloud.calls();
    assert.equal(counted.byAction["elasticache:DescribeCacheClusters"], rounds + 1, "the local cloud agrees");

    for (const id of ids) await gw.execute({ type: "delete", topology: "CacheCluster", id });
    await gw.execute({ type: "delete", topology: "ReplicationGroup", id: "obs-rg" });
    for (let i = 0; i < 200; i++) {
      const left = await Promise.all(watched.map(([id, t]) => obs.observe(id, t)));
      if (left.every((s) => s === undefined)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail("the resources were not deleted");
  });
});

test("in an account far larger than what waits, single Describes beat a many-page listing", async () => {
  const src = new FakeSource();
  src.world = Array.from({ length: 450 }, (_, i) => observed(`big${i}`, "CacheCluster"));
  const obs = new BatchObserver(src, { windowMs: 2 });
  // First round: the listing's cost is unknown, so two waiting resources are listed.
  await Promise.all([obs.observe("big1", "CacheCluster"), obs.observe("big2", "CacheCluster")]);
  assert.deepEqual([src.describes, src.lists], [0, 1]);
  // 450 clusters are 5 pages (+1 for groups): three waiting resources are cheaper one by one...
  await Promise.all(["big1", "big2", "big3"].map((id) => obs.observe(id, "CacheCluster")));
  assert.deepEqual([src.describes, src.lists], [3, 1]);
  // ...and six or more are cheaper listed.
  await Promise.all(["a", "b", "c", "d", "e", "f"].map((i) => obs.observe(`big${i}`, "CacheCluster")));
  assert.deepEqual([src.describes, src.lists], [3, 2]);
});
