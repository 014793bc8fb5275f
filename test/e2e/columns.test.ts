// `kubectl get` prints the documented columns, filled from spec and from status.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { installCrds } from "../support/crds.ts";
import { firstExample } from "../support/examples.ts";
import { kubectlOk } from "../support/kubectl.ts";
import { createTestNamespace } from "../support/namespace.ts";
import { createIn } from "../support/objects.ts";
import { repoPath } from "../support/paths.ts";

/** kubectl's table as rows of cells (columns are separated by two or more spaces). */
function table(output: string): string[][] {
  return output
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/ {2,}/));
}

describe("kubectl get columns", () => {
  let namespace: string;
  before(async () => {
    await installCrds(repoPath("config", "crd"));
    namespace = await createTestNamespace();
  });

  test("kubectl get elasticachecluster", async () => {
    const redis = firstExample(
      "ElastiCacheCluster",
      (m) => (m.spec as { engine?: string } | undefined)?.engine === "redis",
    );
    const name = await createIn(namespace, redis);
    const status = {
      clusterStatus: "available",
      ready: true,
      primaryEndpoint: { address: "e2e.cache.local", port: 6379 },
    };
    await kubectlOk([
      "patch",
      "elasticachecluster",
      name,
      "-n",
      namespace,
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({ status }),
    ]);

    const [header, row, ...rest] = table(await kubectlOk(["get", "elasticachecluster", "-n", namespace]));
    assert.deepEqual(header, [
      "NAME",
      "CLUSTER-ID",
      "ENGINE",
      "VERSION",
      "NODE-TYPE",
      "STATUS",
      "ENDPOINT",
      "READY",
      "AGE",
    ]);
    assert.equal(rest.length, 0);
    const spec = redis.spec as {
      clusterID: string;
      engine: string;
      engineVersion?: string;
      nodeType: string;
    };
    assert.deepEqual(row?.slice(0, 8), [
      name,
      spec.clusterID,
      spec.engine,
      spec.engineVersion ?? "<none>",
      spec.nodeType,
      "available",
      "e2e.cache.local",
      "true",
    ]);
  });

  test("kubectl get awsprovider", async () => {
    const provider = firstExample("AWSProvider");
    const name = await createIn(namespace, provider);
    await kubectlOk([
      "patch",
      "awsprovider",
      name,
      "-n",
      namespace,
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({ status: { ready: true, accountID: "000000000000" } }),
    ]);

    const [header, row, ...rest] = table(await kubectlOk(["get", "awsprovider", "-n", namespace]));
    assert.deepEqual(header, ["NAME", "REGION", "ACCOUNT", "READY", "AGE"]);
    assert.equal(rest.length, 0);
    assert.deepEqual(row?.slice(0, 4), [
      name,
      (provider.spec as { region: string }).region,
      "000000000000",
      "true",
    ]);
  });
});
