// Chaos: the API server goes away for 30 s and comes back. The operator's watches resume within
// a couple of seconds of /readyz answering (short, jittered backoff reset by the first healthy
// answer), so an object created right then reaches AWS at once. Runs on a control plane of its
// own: restarting the run's shared one would break the test files running beside it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { restartApiserver } from "../../support/apiserver-restart.ts";
import { smallRedis } from "../../support/chaos.ts";
import { type ControlPlane, sharedControlPlane } from "../../support/controlplane.ts";
import { awsCacheCluster } from "../../support/localcloud.ts";
import {
  applyObject,
  type OperatorEnv,
  startOperatorEnv,
  waitClusterReady,
} from "../../support/operator-env.ts";
import { waitFor } from "../../support/wait.ts";

// Before anything asks for the control plane: this file starts (and stops) its own.
delete process.env.CONTROLPLANE_DIR;
delete process.env.KUBECONFIG;

let cp: ControlPlane;
let env: OperatorEnv;

before(async () => {
  cp = await sharedControlPlane();
  env = await startOperatorEnv({ providers: [{ name: "localstack" }] });
});

after(async () => {
  await env?.stop();
  await cp?.stop();
});

test("after an API server restart, watches resume and a new object reaches AWS within seconds", async (t) => {
  await applyObject(env.namespace, smallRedis("before-restart"));
  await waitClusterReady(env.namespace, "before-restart");
  const readyAt = await restartApiserver(cp, 30_000);
  await applyObject(env.namespace, smallRedis("after-restart"));
  await waitFor(
    "the new object's cache in AWS",
    () => awsCacheCluster(env.cloud.aws, "after-restart"),
    (c) => c !== undefined,
    60_000,
    100,
  );
  const seconds = (Date.now() - readyAt) / 1000;
  t.diagnostic(`API server ready -> new object's cache created in AWS: ${seconds.toFixed(1)} s (down 30 s)`);
  assert.ok(seconds < 10, `${seconds} s from API server ready to the create`);
  await waitClusterReady(env.namespace, "after-restart");
  assert.equal(env.operator.exited(), undefined, "the operator survived the restart");
});
