// `kubectl get` prints the documented columns, filled from spec and from status.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { installCrds } from "../support/crds.ts";
import { firstExample } from "../support/examples.ts";
import { kubectlOk } from "../support/kubectl.ts";
import { createTestNamespace } from "../support/namespace.ts";
import { createIn } from "../support/objects.ts";

/**
 * kubectl's table as { header, rows }, cut at the header's column starts: an empty cell is blank,
 * so splitting on whitespace would shift every cell after it.
 */
function table(output: string): { header: string[]; rows: string[][] } {
  const [headerLine = "", ...lines] = output.replace(/\n+$/, "").split("\n");
  const starts = [...headerLine.matchAll(/\S+/g)].map((match) => match.index);
  const cut = (line: string) => starts.map((start, i) => line.slice(start, starts[i + 1]).trim());
  return { header: cut(headerLine), rows: lines.map(cut) };
}

async function writeStatus(resource: string, namespace: string, name: string, status: object): Promise<void> {
  const patch = JSON.stringify({ status });
  await kubectlOk([
    "patch",
    resource,
    name,
    "-n",
    namespace,
    "--subresource=status",
    "--type=merge",
    "-p",
    patch,
  ]);
}

describe("kubectl get columns", () => {
  let namespace: string;
  before(async () => {
    await installCrds();
    namespace = await createTestNamespace();
  });

  test("kubectl get elasticachecluster", async () => {
    const redis = firstExample(
      "ElastiCacheCluster",
      (m) => (m.spec as { engine?: string }).engine === "redis",
    );
    const name = await createIn(namespace, redis);
    // What the operator reports once the cache exists: the running version and node type come
    // from AWS, so the VERSION and NODE-TYPE columns show status, not the requested spec.
    await writeStatus("elasticachecluster", namespace, name, {
      clusterStatus: "available",
      ready: true,
      endpoint: "e2e.cache.local:6379",
      engineVersion: "7.0.7",
      cacheNodeType: "cache.t3.small",
    });

    const { header, rows } = table(await kubectlOk(["get", "elasticachecluster", "-n", namespace]));
    const documented = [
      "NAME",
      "CLUSTER-ID",
      "ENGINE",
      "VERSION",
      "NODE-TYPE",
      "STATUS",
      "ENDPOINT",
      "READY",
      "AGE",
    ];
    assert.deepEqual(header, documented);
    assert.equal(rows.length, 1);
    const spec = redis.spec as { clusterID: string; engine: string };
    assert.deepEqual(rows[0]?.slice(0, 8), [
      name,
      spec.clusterID,
      spec.engine,
      "7.0.7",
      "cache.t3.small",
      "available",
      "e2e.cache.local:6379",
      "true",
    ]);
    assert.match(rows[0]?.[8] ?? "", /^\d+[smhd]/, "AGE is not a duration");

    // -o wide adds the provider, the topology and the monthly cost estimate kept in the status.
    await writeStatus("elasticachecluster", namespace, name, {
      topology: "CacheCluster",
      estimatedCost: {
        region: "us-east-1",
        nodeType: "cache.t3.small",
        nodes: 1,
        nodeHourlyUSD: 0.034,
        hourlyUSD: 0.034,
        monthlyUSD: 24.82,
        priceDate: "2026-12-02",
      },
    });
    const wide = table(await kubectlOk(["get", "elasticachecluster", "-n", namespace, "-o", "wide"]));
    assert.deepEqual(wide.header.slice(documented.length), ["PROVIDER", "TOPOLOGY", "USD-MONTH"]);
    const providerName = (redis.spec as { providerRef: { name: string } }).providerRef.name;
    assert.deepEqual(wide.rows[0]?.slice(documented.length), [providerName, "CacheCluster", "24.82"]);
  });

  test("kubectl get awsprovider", async () => {
    const provider = firstExample("AWSProvider");
    const name = await createIn(namespace, provider);
    await writeStatus("awsprovider", namespace, name, { ready: true, accountID: "000000000000" });

    const { header, rows } = table(await kubectlOk(["get", "awsprovider", "-n", namespace]));
    assert.deepEqual(header, ["NAME", "REGION", "ACCOUNT", "READY", "AGE"]);
    assert.equal(rows.length, 1);
    const region = (provider.spec as { region: string }).region;
    assert.deepEqual(rows[0]?.slice(0, 4), [name, region, "000000000000", "true"]);
  });
});
