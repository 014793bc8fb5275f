import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Informer, type KubeObject, Registry } from "../kube/index.ts";
import { registerObjectMetrics } from "./object-metrics.ts";

const informer = (objects: object[]) => ({ list: () => objects }) as unknown as Informer<KubeObject>;
const object = (name: string, status: object) => ({ metadata: { namespace: "ns", name }, status });

describe("object metrics", () => {
  it("counts caches by AWS status and readiness, lists which are not Ready, and why they fail", () => {
    const clusters: object[] = [
      object("a", { ready: true, clusterStatus: "available" }),
      object("b", {
        ready: false,
        clusterStatus: "available",
        conditions: [{ type: "Synced", status: "False", reason: "AWSRejected" }],
      }),
      object("c", {}),
    ];
    const providers = [object("aws", { ready: true }), object("broken", {})];
    const registry = new Registry();
    registerObjectMetrics(registry, {
      clusters: informer(clusters),
      providers: [
        { kind: "AWSProvider", informer: informer(providers) },
        {
          kind: "ClusterAWSProvider",
          informer: informer([{ metadata: { name: "shared" }, status: { ready: true } }]),
        },
      ],
    });
    const text = registry.render();
    for (const line of [
      'infra_operator_elasticache_clusters{status="available",ready="true"} 1',
      'infra_operator_elasticache_clusters{status="available",ready="false"} 1',
      'infra_operator_elasticache_clusters{status="unknown",ready="false"} 1',
      'infra_operator_elasticache_cluster_ready{namespace="ns",name="a"} 1',
      'infra_operator_elasticache_cluster_ready{namespace="ns",name="b"} 0',
      'infra_operator_elasticache_clusters_not_synced{reason="AWSRejected"} 1',
      'infra_operator_awsprovider_ready{kind="AWSProvider",namespace="ns",name="aws"} 1',
      'infra_operator_awsprovider_ready{kind="AWSProvider",namespace="ns",name="broken"} 0',
      'infra_operator_awsprovider_ready{kind="ClusterAWSProvider",namespace="",name="shared"} 1',
    ]) {
      assert.ok(text.includes(`${line}\n`), `missing ${line} in:\n${text}`);
    }
    // A deleted cache leaves the metrics at the next scrape.
    clusters.splice(0, 2);
    const after = registry.render();
    assert.doesNotMatch(after, /name="a"|name="b"|reason="AWSRejected"/);
    assert.match(after, /infra_operator_elasticache_clusters\{status="unknown",ready="false"\} 1\n/);
  });
});
