// The chart on the real node (support/node.ts): `helm install` of charts/infra-operator with the
// image built from packages gives a Ready operator Pod (probes, uid 1000, Lease, metrics), the
// documentation's manifests become Ready through it, and `helm uninstall` leaves none of the
// release's objects but the CRDs (kept, as crds.keep says), and deletes no cache: a cache left in
// place keeps its object and stays available, whatever its deletionPolicy.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  nodeTestsSkipReason,
  timings as nodeTimings,
  runToolOk,
  startNode,
  type TestNode,
} from "../../support/node.ts";
import {
  type CloudOnNode,
  chartValues,
  helmInstall,
  NAMESPACE,
  prepareNamespace,
  startCloudOnNode,
} from "../../support/node-operator.ts";
import { waitFor } from "../../support/wait.ts";
import {
  cacheLeftInPlace,
  cacheOutlivesUninstall,
  documentedClusterDeleted,
  documentedManifestsReady,
  labelled,
  metricsCountWork,
  operatorRuns,
  timings,
} from "./scenarios.ts";

const skip = nodeTestsSkipReason();
const KINDS =
  "deployment,replicaset,pod,serviceaccount,service,role,rolebinding,clusterrole,clusterrolebinding,configmap,secret";

describe("Helm install of the built image on the real node", { skip }, () => {
  let node: TestNode;
  let cloud: CloudOnNode;
  before(async () => {
    node = await startNode();
    cloud = await startCloudOnNode(node);
    await prepareNamespace(node, cloud);
  });
  after(async () => {
    process.stderr.write(`node timings: ${JSON.stringify({ ...nodeTimings, ...timings })}\n`);
    await cloud?.stop();
    await node?.stop();
  });

  test("helm install, the operator runs, the documented manifests are Ready, helm uninstall cleans up", async (t) => {
    const installedAt = Date.now();
    await helmInstall(node, "infra-operator", chartValues(node, cloud));
    const pod = await operatorRuns(t, node, installedAt);
    await documentedManifestsReady(t, node, cloud);
    await metricsCountWork(t, pod);
    await documentedClusterDeleted(t, node, cloud);
    await cacheLeftInPlace(t, node, cloud);

    await t.test("helm uninstall leaves no object of the release; the CRDs stay", async () => {
      await runToolOk(
        node.helm,
        ["uninstall", "infra-operator", "-n", NAMESPACE, "--wait", "--timeout", "120s"],
        undefined,
        180_000,
      );
      const left = await waitFor(
        "no object of the release",
        () => labelled(node, "app.kubernetes.io/instance=infra-operator", KINDS),
        (l) => l.length === 0,
        90_000,
      );
      assert.deepEqual(left, []);
      const crds = await runToolOk(node.kubectl, ["get", "crd", "-o", "name"]);
      assert.match(crds, /elasticacheclusters\.aws-infra-operator\.runner\.codes/);
      assert.match(crds, /awsproviders\.aws-infra-operator\.runner\.codes/);
    });
    await cacheOutlivesUninstall(t, cloud);
  });
});
