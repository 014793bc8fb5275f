// ElastiCacheParameterGroup through the standalone CLI, on the local cloud's real engines: a folder
// with a parameter group and a cluster naming it is applied in one go, the engine answers the
// group's value, a changed value and a removed parameter reach it on the next apply, and deleting
// the folder removes the cluster before the group.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DescribeCacheClustersCommand,
  DescribeCacheParameterGroupsCommand,
} from "@aws-sdk/client-elasticache";
import { redisConfigGet } from "../support/endpoints.ts";
import { cli, cliWorkspace } from "./cli.ts";
import { cluster, provider, writeManifest } from "./manifests.ts";

const parameterGroup = (parameters: string) => `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheParameterGroup
metadata:
  name: cli-params
spec:
  providerRef:
    name: local-test
  parameterGroupName: cli-params
  family: redis7
  description: CLI test settings
  parameters:
${parameters}
`;

describe("standalone CLI and ElastiCacheParameterGroup", () => {
  const { S, folder, aws } = cliWorkspace();
  const engineSetting = async (name: string) => {
    const out = await aws().send(
      new DescribeCacheClustersCommand({ CacheClusterId: "cli-tuned", ShowCacheNodeInfo: true }),
    );
    const endpoint = out.CacheClusters?.[0]?.CacheNodes?.[0]?.Endpoint;
    return redisConfigGet({ address: endpoint?.Address ?? "", port: endpoint?.Port ?? 0 }, name);
  };

  it("apply -f DIR creates the group before the cluster; the engine has its values", async () => {
    writeManifest(
      folder,
      "a-cluster.yaml",
      cluster(
        "cli-tuned",
        "cli-tuned",
        'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro\nnumCacheNodes: 1\nparameterGroupName: cli-params',
      ),
    );
    writeManifest(folder, "b-provider.yaml", provider("local-test"));
    writeManifest(
      folder,
      "c-params.yaml",
      parameterGroup('    maxmemory-policy: allkeys-lru\n    timeout: "300"'),
    );
    const applied = await cli(["apply", ...S, "-f", folder, "--timeout", "3m"]);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /elasticacheparametergroup\/cli-params: Ready/);
    assert.equal(await engineSetting("maxmemory-policy"), "allkeys-lru");
    assert.equal(await engineSetting("timeout"), "300");
    const get = await cli(["get", "ecpg", ...S]);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /cli-params\s+cli-params\s+redis7\s+true/);
  });

  it("a changed value and a removed parameter reach the engine on the next apply", async () => {
    writeManifest(folder, "c-params.yaml", parameterGroup('    timeout: "120"'));
    const plan = await cli(["plan", ...S, "-f", folder]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /~ ElastiCacheParameterGroup default\/cli-params/);
    const applied = await cli(["apply", ...S, "-f", folder, "--timeout", "2m"]);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.equal(await engineSetting("timeout"), "120");
    assert.equal(await engineSetting("maxmemory-policy"), "volatile-lru", "reset to redis7's default");
  });

  it("delete -f DIR removes the cluster, then the group", async () => {
    const deleted = await cli(["delete", ...S, "-f", folder, "--timeout", "3m"]);
    assert.equal(deleted.code, 0, deleted.stderr + deleted.stdout);
    await assert.rejects(
      aws().send(new DescribeCacheParameterGroupsCommand({ CacheParameterGroupName: "cli-params" })),
      /CacheParameterGroupNotFound/,
    );
  });
});
