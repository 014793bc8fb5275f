import assert from "node:assert/strict";
import { test } from "node:test";
import { CallCounter, clientAppId } from "./call-counter.ts";
import { FaultInjector } from "./faults.ts";

test("faults answer Throttling or ServiceUnavailable by share, only for the listed actions", () => {
  let r = 0;
  const f = new FaultInjector(
    {
      throttleRate: 0.2,
      unavailableRate: 0.3,
      throttleFirst: 0,
      latencyMs: 5,
      actions: ["DescribeCacheClusters"],
    },
    () => r,
  );
  r = 0.1;
  assert.equal(f.pick("DescribeCacheClusters")?.code, "Throttling");
  assert.equal(f.pick("DescribeCacheClusters")?.status, 400);
  r = 0.4;
  assert.equal(f.pick("DescribeCacheClusters")?.status, 503);
  r = 0.9;
  assert.equal(f.pick("DescribeCacheClusters"), undefined);
  r = 0.1;
  assert.equal(f.pick("CreateCacheCluster"), undefined);
  assert.equal(f.latencyMs("CreateCacheCluster"), 0);
  assert.equal(f.latencyMs("DescribeCacheClusters"), 5);
  assert.throws(() => f.update({ throttleRate: 2 }), /throttleRate/);
});

test("throttleFirst throttles exactly the first N affected requests after each update", () => {
  const f = new FaultInjector(
    { throttleRate: 0, unavailableRate: 0, throttleFirst: 0, latencyMs: 0 },
    () => 0.9,
  );
  f.update({ throttleFirst: 2, actions: ["CreateCacheCluster"] });
  assert.equal(f.pick("DescribeCacheClusters"), undefined, "not an affected action");
  assert.equal(f.pick("CreateCacheCluster")?.code, "Throttling");
  assert.equal(f.pick("CreateCacheCluster")?.code, "Throttling");
  assert.equal(f.pick("CreateCacheCluster"), undefined);
  f.update({ throttleFirst: 1 });
  assert.equal(f.pick("CreateCacheCluster")?.code, "Throttling", "the count starts again");
});

test("calls are counted per action, key and error code, and reset", () => {
  const c = new CallCounter();
  c.record("elasticache", "DescribeCacheClusters", "test", undefined);
  c.record("elasticache", "DescribeCacheClusters", undefined, "Throttling");
  const s = c.snapshot();
  assert.equal(s.total, 2);
  assert.equal(s.byAction["elasticache:DescribeCacheClusters"], 2);
  assert.deepEqual(s.byAccessKey, { test: 1, anonymous: 1 });
  assert.deepEqual(s.byAccessKeyAction, {
    test: { "elasticache:DescribeCacheClusters": 1 },
    anonymous: { "elasticache:DescribeCacheClusters": 1 },
  });
  assert.deepEqual(s.byErrorCode, { Throttling: 1 });
  c.reset();
  assert.equal(c.snapshot().total, 0);
});

test("calls are counted per client app id of the SDK user agent", () => {
  const c = new CallCounter();
  const ua = "aws-sdk-js/3.0 ua/2.1 os/linux lang/js md/nodejs#22 api/elasticache#3 app/replica-a_1f2e";
  const id = clientAppId({ "user-agent": ua });
  assert.equal(id, "replica-a_1f2e");
  assert.equal(clientAppId({ "user-agent": "curl/8" }), undefined);
  c.record("elasticache", "CreateCacheCluster", "test", undefined, id);
  c.record("elasticache", "CreateCacheCluster", "test", "CacheClusterAlreadyExists", id);
  c.record("elasticache", "DescribeCacheClusters", "test", undefined);
  assert.deepEqual(c.snapshot().byClient, {
    "replica-a_1f2e": { "elasticache:CreateCacheCluster": 2 },
    "-": { "elasticache:DescribeCacheClusters": 1 },
  });
});
