// Polling that does not grow with the fleet (ADR 0016), through the real API server and the local
// cloud (simulated engines), counting the operator's calls at the local cloud:
// - in steady state each resync tick costs one DescribeEvents per provider, the same for 1 cache
//   and for 6 (no listing, no Describe, no ListTagsForResource);
// - a node type changed behind the operator's back is named by an AWS event and corrected, read
//   with a single Describe (no listing);
// - a tag changed behind its back is corrected at the next tag check, read in a batch
//   (GetResources), never with ListTagsForResource.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AddTagsToResourceCommand, ModifyCacheClusterCommand } from "@aws-sdk/client-elasticache";
import { awsCacheCluster, awsTags, clusterArn } from "../../support/localcloud.ts";
import {
  applyObject,
  assertNoSecretsLeaked,
  CLUSTERS,
  clusterObject,
  eventsFor,
  getObj,
  type OperatorEnv,
  startOperatorEnv,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { sleep, waitFor } from "../../support/wait.ts";

const RESYNC_S = 3;
const WINDOW_S = 4 * RESYNC_S;

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({
    providers: [{ name: "localstack" }],
    cloudSettings: { engines: "simulated" },
    operator: {
      resyncPeriod: `${RESYNC_S}s`,
      extraArgs: ["--full-resync-period", "1h", "--tag-check-period", "8s"],
    },
  });
});

after(async () => {
  await env?.stop();
});

function cache(name: string) {
  return clusterObject(name, {
    clusterID: name,
    engine: "memcached",
    cacheNodeType: "cache.t3.micro",
    numCacheNodes: 1,
    tags: { team: "events" },
  });
}

/** The operator's calls by action (its SDK clients send an app id; the tests' own do not). */
async function operatorCalls(): Promise<Record<string, number>> {
  const counts = await env.cloud.calls();
  const total: Record<string, number> = {};
  for (const [client, byAction] of Object.entries(counts.byClient)) {
    if (client === "-") continue;
    for (const [action, n] of Object.entries(byAction)) total[action] = (total[action] ?? 0) + n;
  }
  return total;
}

/** The operator's calls over a window of whole resync ticks, once everything has settled. */
async function steadyCalls(): Promise<Record<string, number>> {
  // Let creation events and first tag checks pass.
  await sleep(3 * RESYNC_S * 1000);
  const synced = (await getObj(env.namespace, CLUSTERS, "ev-0")).status?.lastSyncTime;
  await env.cloud.resetCalls();
  await sleep(WINDOW_S * 1000);
  const calls = await operatorCalls();
  assert.equal(
    (await getObj(env.namespace, CLUSTERS, "ev-0")).status?.lastSyncTime,
    synced,
    "AWS was not read again: lastSyncTime unchanged (and no status write for it)",
  );
  return calls;
}

const ticks = WINDOW_S / RESYNC_S;

function assertOnlyEvents(calls: Record<string, number>, what: string): void {
  const events = calls["elasticache:DescribeEvents"] ?? 0;
  assert.ok(
    events >= ticks - 1 && events <= ticks + 1,
    `${what}: ${events} DescribeEvents in ${ticks} ticks`,
  );
  for (const action of [
    "elasticache:DescribeCacheClusters",
    "elasticache:DescribeReplicationGroups",
    "elasticache:ListTagsForResource",
  ])
    assert.equal(calls[action] ?? 0, 0, `${what}: ${action} in steady state (${JSON.stringify(calls)})`);
}

describe("steady state", () => {
  test("one DescribeEvents per tick, for 1 cache and for 6", async (t) => {
    await applyObject(env.namespace, cache("ev-0"));
    await waitClusterReady(env.namespace, "ev-0");
    const one = await steadyCalls();
    assertOnlyEvents(one, "1 cache");

    for (let i = 1; i < 6; i++) await applyObject(env.namespace, cache(`ev-${i}`));
    for (let i = 1; i < 6; i++) await waitClusterReady(env.namespace, `ev-${i}`);
    const six = await steadyCalls();
    assertOnlyEvents(six, "6 caches");
    const diff = Math.abs(
      (six["elasticache:DescribeEvents"] ?? 0) - (one["elasticache:DescribeEvents"] ?? 0),
    );
    assert.ok(diff <= 1, `DescribeEvents per window: ${JSON.stringify({ one, six })}`);
    t.diagnostic(
      `operator calls in ${WINDOW_S} s (${ticks} ticks): 1 cache ${JSON.stringify(one)}; 6 caches ${JSON.stringify(six)}`,
    );
    // Tag checks (every 8 s here) read in batches.
    assert.ok((six["tagging:GetResources"] ?? 0) >= 1, JSON.stringify(six));
  });
});

describe("out-of-band changes", () => {
  test("a node type changed through the AWS API is seen through its event and corrected", async (t) => {
    await env.cloud.resetCalls();
    const changedAt = Date.now();
    await env.cloud.aws.send(
      new ModifyCacheClusterCommand({
        CacheClusterId: "ev-3",
        CacheNodeType: "cache.t3.small",
        ApplyImmediately: true,
      }),
    );
    await waitFor(
      "the change to complete in AWS, or its correction",
      () => awsCacheCluster(env.cloud.aws, "ev-3"),
      (c) => c?.CacheClusterStatus === "modifying" || c?.CacheNodeType === "cache.t3.small",
      30_000,
    );
    await waitFor(
      "the operator to set the node type back",
      () => eventsFor(env.namespace, "ev-3"),
      (list) => list.some((e) => e.reason === "DriftCorrected" && /cache\.t3\.micro/.test(e.message)),
      60_000,
    );
    await waitFor(
      "ev-3 back to cache.t3.micro",
      () => awsCacheCluster(env.cloud.aws, "ev-3"),
      (c) => c?.CacheNodeType === "cache.t3.micro" && c.CacheClusterStatus === "available",
      60_000,
    );
    const correctedAt = Date.now();
    await waitClusterReady(env.namespace, "ev-3");
    const calls = await operatorCalls();
    t.diagnostic(
      `change -> corrected in AWS: ${((correctedAt - changedAt) / 1000).toFixed(1)} s; operator calls ${JSON.stringify(calls)}`,
    );
    assert.equal(
      calls["elasticache:DescribeReplicationGroups"] ?? 0,
      0,
      `no listing: ${JSON.stringify(calls)}`,
    );
    assert.equal(calls["elasticache:ModifyCacheCluster"], 1, JSON.stringify(calls));
  });

  test("a tag changed through the AWS API is corrected at the next tag check, read in a batch", async (t) => {
    await env.cloud.resetCalls();
    const changedAt = Date.now();
    await env.cloud.aws.send(
      new AddTagsToResourceCommand({
        ResourceName: clusterArn("ev-4"),
        Tags: [{ Key: "team", Value: "other" }],
      }),
    );
    await waitFor(
      "the tag to be set back",
      () => awsTags(env.cloud.aws, clusterArn("ev-4")),
      (t) => t.team === "events",
      60_000,
    );
    const calls = await operatorCalls();
    t.diagnostic(
      `tag change -> corrected: ${((Date.now() - changedAt) / 1000).toFixed(1)} s; operator calls ${JSON.stringify(calls)}`,
    );
    assert.ok((calls["tagging:GetResources"] ?? 0) >= 1, JSON.stringify(calls));
    assert.equal(calls["elasticache:ListTagsForResource"] ?? 0, 0, JSON.stringify(calls));
  });

  test("no secret in the operator's log or Events", async () => {
    await assertNoSecretsLeaked(env);
  });
});
