// The kustomize packaging on the real node (support/node.ts): `kubectl apply -k` of an overlay of
// config/default (the built image, the local cloud allowed and its CA trusted) gives a Ready
// operator Pod (probes, uid 1000, Lease, metrics), the documentation's manifests become Ready
// through it, and `kubectl delete -k` leaves no operator object behind.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  nodeTestsSkipReason,
  timings as nodeTimings,
  runToolOk,
  startNode,
  type TestNode,
} from "../../support/node.ts";
import { type CloudOnNode, kustomizeOverlay, startCloudOnNode } from "../../support/node-operator.ts";
import { waitFor } from "../../support/wait.ts";
import {
  documentedClusterDeleted,
  documentedManifestsReady,
  labelled,
  metricsCountWork,
  operatorRuns,
  timings,
} from "./scenarios.ts";

const skip = nodeTestsSkipReason();
const KINDS =
  "namespace,deployment,serviceaccount,service,role,rolebinding,clusterrole,clusterrolebinding,crd";

describe("kustomize install of the built image on the real node", { skip }, () => {
  let node: TestNode;
  let cloud: CloudOnNode;
  let overlay = "";
  before(async () => {
    node = await startNode();
    cloud = await startCloudOnNode(node);
    overlay = kustomizeOverlay(node, cloud);
  });
  after(async () => {
    process.stderr.write(`node timings: ${JSON.stringify({ ...nodeTimings, ...timings })}\n`);
    if (overlay) rmSync(overlay, { recursive: true, force: true });
    await cloud?.stop();
    await node?.stop();
  });

  test("apply -k, the operator runs, the documented manifests are Ready, delete -k cleans up", async (t) => {
    const installedAt = Date.now();
    await runToolOk(node.kubectl, ["apply", "-k", overlay]);
    const pod = await operatorRuns(t, node, installedAt);
    await documentedManifestsReady(t, node, cloud);
    await metricsCountWork(t, pod);
    await documentedClusterDeleted(t, node, cloud);

    await t.test("kubectl delete -k leaves no operator object behind", async () => {
      await runToolOk(
        node.kubectl,
        ["delete", "-k", overlay, "--wait=true", "--timeout=120s"],
        undefined,
        180_000,
      );
      const left = await waitFor(
        "no object of the packaging",
        () => labelled(node, "app.kubernetes.io/name=infra-operator", KINDS),
        (l) => l.length === 0,
        90_000,
      );
      assert.deepEqual(left, []);
      // Every object of the packaging, CRDs included, by its name.
      const named = await runToolOk(node.kubectl, ["get", "-k", overlay, "--ignore-not-found", "-o", "name"]);
      assert.equal(named.trim(), "");
      const pods = await runToolOk(node.kubectl, ["get", "pods", "-A", "-o", "name"]);
      assert.equal(pods.trim(), "", "no Pod is left");
    });
  });
});
