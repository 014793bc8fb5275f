// Chaos: two operator replicas with leader election; the leader is frozen (SIGSTOP) for three
// lease durations with work in flight, and the other takes over. Counted by the local cloud per
// client (the app id in the SDK user agent is the replica's identity): once its Lease has moved,
// the frozen replica sends no mutation at all, not even after SIGCONT; it exits as a lost leader,
// and the new leader converges every object, each cache once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { awsClusterIds, leaseHolder, mutations, operatorIdentity, smallRedis } from "../../support/chaos.ts";
import { awsCacheCluster } from "../../support/localcloud.ts";
import { createTestNamespace } from "../../support/namespace.ts";
import { type OperatorProcess, startOperatorProcess } from "../../support/operator.ts";
import {
  applyObject,
  type OperatorEnv,
  patchCluster,
  startOperatorEnv,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { sleep, waitFor } from "../../support/wait.ts";

const LEASE_SECONDS = 4;
const PAUSE_MS = 3 * LEASE_SECONDS * 1000;

let leaseNamespace: string;
let env: OperatorEnv;
let standby: OperatorProcess | undefined;

function electionArgs(): string[] {
  return [
    "--leader-elect=true",
    "--leader-election-namespace",
    leaseNamespace,
    `--leader-election-lease-duration=${LEASE_SECONDS}s`,
    "--leader-election-renew-deadline=3s",
    "--leader-election-retry-period=1s",
  ];
}

before(async () => {
  leaseNamespace = await createTestNamespace("lease");
  env = await startOperatorEnv({
    providers: [{ name: "localstack" }],
    operator: { extraArgs: electionArgs() },
  });
});

after(async () => {
  await standby?.stop();
  await env?.stop();
});

test("a frozen leader sends no mutation after its Lease moved; the standby takes over", async (t) => {
  const first = env.operator;
  const firstId = await operatorIdentity(first);
  await waitFor(
    "the first replica to lead",
    () => leaseHolder(leaseNamespace),
    (h) => h === firstId,
    30_000,
    200,
  );
  standby = await startOperatorProcess({
    namespace: env.namespace,
    allowedEndpoints: [env.cloud.url],
    extraArgs: electionArgs(),
  });
  const standbyId = await operatorIdentity(standby);

  const names = ["lead-0", "lead-1", "lead-2"];
  for (const n of names) await applyObject(env.namespace, smallRedis(n));
  await Promise.all(names.map((n) => waitClusterReady(env.namespace, n)));

  // Work for the leader to be in the middle of when it freezes (modifies), and work it will find
  // waiting in its watch connection when it wakes (creates applied while it is frozen).
  for (const n of names) await patchCluster(env.namespace, n, { spec: { snapshotRetentionLimit: 2 } });
  process.kill(first.pid, "SIGSTOP");
  const frozenAt = Date.now();
  const more = ["lead-3", "lead-4"];
  for (const n of more) await applyObject(env.namespace, smallRedis(n));
  try {
    await waitFor(
      "the standby to take the Lease",
      () => leaseHolder(leaseNamespace),
      (h) => h === standbyId,
      60_000,
      100,
    );
  } catch (err) {
    process.kill(first.pid, "SIGCONT");
    throw err;
  }
  const takeoverSeconds = (Date.now() - frozenAt) / 1000;
  const atMove = mutations(await env.cloud.calls(), firstId.slice(-50));
  await sleep(Math.max(0, frozenAt + PAUSE_MS - Date.now()));
  process.kill(first.pid, "SIGCONT");

  const exit = await waitFor(
    "the frozen replica to exit as a lost leader",
    async () => first.exited(),
    (e) => e !== undefined,
    30_000,
    200,
  );
  const all = [...names, ...more];
  await Promise.all(all.map((n) => waitClusterReady(env.namespace, n)));
  const counts = await env.cloud.calls();
  const afterMove = mutations(counts, firstId.slice(-50)) - atMove;
  t.diagnostic(
    `takeover ${takeoverSeconds.toFixed(1)} s after SIGSTOP (lease ${LEASE_SECONDS} s); frozen ${PAUSE_MS / 1000} s; mutations by the frozen replica after its Lease moved: ${afterMove}; its exit: ${exit}`,
  );
  assert.equal(
    afterMove,
    0,
    `the frozen replica mutated AWS after losing the Lease: ${JSON.stringify(counts.byClient[firstId.slice(-50)])}`,
  );
  assert.equal(exit, 1, "a lost leader exits non-zero, to be restarted as a candidate");
  assert.ok(
    mutations(counts, standbyId.slice(-50)) > 0,
    `the new leader did the work: ${JSON.stringify(counts.byClient)}`,
  );
  assert.deepEqual(await awsClusterIds(env.cloud.aws), all.sort(), "each cache exactly once");
  for (const n of names) assert.equal((await awsCacheCluster(env.cloud.aws, n))?.SnapshotRetentionLimit, 2);
});
