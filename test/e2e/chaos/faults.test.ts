// Chaos: AWS throttling and 503s, and the operator SIGKILLed at random points of creates, modifies
// and deletes. Whatever happens, every object converges, AWS ends up with exactly one cache per
// surviving object and none for deleted ones. The calls per cache with and without faults (same
// run) are printed as test diagnostics for BENCHMARKS.md.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { awsClusterIds, elasticacheCalls, randomMs, smallRedis } from "../../support/chaos.ts";
import { awsCacheCluster } from "../../support/localcloud.ts";
import { type OperatorProcess, startOperatorProcess } from "../../support/operator.ts";
import {
  applyObject,
  deleteCluster,
  type OperatorEnv,
  patchCluster,
  startOperatorEnv,
  waitClusterReady,
  waitGone,
} from "../../support/operator-env.ts";
import { sleep } from "../../support/wait.ts";

let env: OperatorEnv;
let operator: OperatorProcess;

before(async () => {
  env = await startOperatorEnv({ providers: [{ name: "localstack" }] });
  operator = env.operator;
});

after(async () => {
  await operator?.stop();
  await env?.stop();
});

async function applyAll(names: string[]): Promise<void> {
  for (const n of names) await applyObject(env.namespace, smallRedis(n));
}

async function readyAll(names: string[], timeoutMs = 150_000): Promise<void> {
  await Promise.all(names.map((n) => waitClusterReady(env.namespace, n, timeoutMs)));
}

describe("AWS throttling (30 %) and ServiceUnavailable (5 %)", () => {
  test("caches converge with no duplicate and no leak; calls per cache measured against no faults", async (t) => {
    const calm = ["calm-0", "calm-1", "calm-2"];
    await env.cloud.resetCalls();
    await applyAll(calm);
    await readyAll(calm);
    const calmCalls = elasticacheCalls(await env.cloud.calls()) / calm.length;

    const stormy = ["stormy-0", "stormy-1", "stormy-2"];
    // 3 caches need only a few calls: the first two are throttled so the storm is never missed.
    await env.cloud.setFaults({ throttleRate: 0.3, unavailableRate: 0.05, throttleFirst: 2 });
    try {
      await env.cloud.resetCalls();
      await applyAll(stormy);
      await readyAll(stormy);
      const counts = await env.cloud.calls();
      const stormyCalls = elasticacheCalls(counts) / stormy.length;
      t.diagnostic(
        `calls per cache to Ready: ${calmCalls.toFixed(1)} without faults, ${stormyCalls.toFixed(1)} with 30% Throttling + 5% ServiceUnavailable (injected: ${counts.byErrorCode.Throttling ?? 0} Throttling, ${counts.byErrorCode.ServiceUnavailable ?? 0} ServiceUnavailable)`,
      );
      assert.ok((counts.byErrorCode.Throttling ?? 0) > 0, "the faults were injected");
      for (const n of stormy) await deleteCluster(env.namespace, n);
      await Promise.all(stormy.map((n) => waitGone(env.namespace, n, 150_000)));
    } finally {
      await env.cloud.setFaults({});
    }
    assert.deepEqual(await awsClusterIds(env.cloud.aws), calm, "exactly the live objects' caches, once each");
    for (const n of calm) await deleteCluster(env.namespace, n);
    await Promise.all(calm.map((n) => waitGone(env.namespace, n)));
  });
});

describe("SIGKILL at random points", () => {
  // Kills the operator after a random 0.3-2.5 s, then starts a new one on the same namespace.
  async function killSomewhere(t: { diagnostic(s: string): void }, phase: string): Promise<void> {
    const after = randomMs(300, 2_500);
    await sleep(after);
    process.kill(operator.pid, "SIGKILL");
    await operator.stop();
    t.diagnostic(`SIGKILL ${after} ms into the ${phase}`);
    operator = await startOperatorProcess({ namespace: env.namespace, allowedEndpoints: [env.cloud.url] });
  }

  test("of creates, modifies and deletes: one cache per surviving object, none for deleted ones", async (t) => {
    const names = ["kill-0", "kill-1", "kill-2", "kill-3"];
    await applyAll(names);
    await killSomewhere(t, "creates");
    await killSomewhere(t, "creates");
    await readyAll(names);

    const kept = names.slice(0, 2);
    const dropped = names.slice(2);
    for (const n of kept)
      assert.equal((await patchCluster(env.namespace, n, { spec: { snapshotRetentionLimit: 3 } })).code, 0);
    await killSomewhere(t, "modifies");
    for (const n of dropped) await deleteCluster(env.namespace, n);
    await killSomewhere(t, "deletes");
    await killSomewhere(t, "deletes");

    await readyAll(kept);
    await Promise.all(dropped.map((n) => waitGone(env.namespace, n, 150_000)));
    const killIds = (await awsClusterIds(env.cloud.aws)).filter((id) => id.startsWith("kill-"));
    assert.deepEqual(killIds, kept, "one cache per surviving object, whatever the other test left");
    for (const n of kept)
      assert.equal((await awsCacheCluster(env.cloud.aws, n))?.SnapshotRetentionLimit, 3, `${n} was modified`);

    // A restart reuses the tag check recorded in status: no cache's tags are read again.
    await env.cloud.resetCalls();
    await operator.stop();
    operator = await startOperatorProcess({ namespace: env.namespace, allowedEndpoints: [env.cloud.url] });
    await sleep(8_000); // more than a resync period (5 s): every cluster was looked at again
    await readyAll(kept);
    const calls = await env.cloud.calls();
    t.diagnostic(`after a restart with ${kept.length} Ready objects: ${JSON.stringify(calls.byAction)}`);
    assert.equal(
      calls.byAction["elasticache:ListTagsForResource"] ?? 0,
      0,
      "tags read again after a restart",
    );
  });
});
