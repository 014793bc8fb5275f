// What a cache costs, through the real CLI: plan prints each cache's on-demand estimate and the
// difference a change makes; the status and describe keep the current estimate.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { repoPath } from "../support/paths.ts";
import { cli, tempStateDir } from "./cli.ts";

const example = (name: string) => repoPath("examples", name);

describe("cost estimates in the CLI", () => {
  const state = tempStateDir();
  const S = ["--state-dir", state.dir];
  before(async () => {
    const applied = await cli(["apply", "-f", example("quickstart.yaml"), ...S]);
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(() => state.cleanup());

  it("plan of the documentation's production examples prints their monthly estimates", async () => {
    const fullHA = await cli([
      "plan",
      "-f",
      example("app-cache-prod.yaml"),
      "-f",
      example("redis-auth.yaml"),
      ...S,
    ]);
    assert.equal(fullHA.code, 0, fullHA.stderr);
    assert.match(
      fullHA.stdout,
      /\$ cost: \$3\.360\/hour, \$2,453\/month \(6 × cache\.r6g\.xlarge \(\$0\.560\/hour each\) in us-east-1, on-demand, prices of \d{4}-\d{2}-\d{2}\); new: \+\$2,453\/month/,
    );
    assert.match(
      fullHA.stdout,
      /^Estimated cost after apply: \$2,453\/month on demand \(\+\$2,453\/month\)\.$/m,
    );
    const sharded = await cli([
      "plan",
      "-f",
      example("production-redis.yaml"),
      "-f",
      example("redis-auth.yaml"),
      ...S,
    ]);
    assert.equal(sharded.code, 0, sharded.stderr);
    assert.match(sharded.stdout, /\$ cost: \$5\.040\/hour, \$3,679\/month \(9 × cache\.r6g\.xlarge/);
  });

  it("plan shows the difference a node type change makes", async () => {
    const bigger = join(state.dir, "bigger.yaml");
    writeFileSync(
      bigger,
      readFileSync(example("quickstart.yaml"), "utf8").replace("cache.t3.micro", "cache.r6g.xlarge"),
    );
    const planned = await cli(["plan", "-f", bigger, ...S]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(
      planned.stdout,
      /\$ cost: \$0\.560\/hour, \$409\/month .*; cache\.t3\.micro → cache\.r6g\.xlarge: \+\$396\/month$/m,
    );
    const same = await cli(["plan", "-f", example("quickstart.yaml"), ...S]);
    assert.match(
      same.stdout,
      /\$ cost: \$0\.017\/hour, \$12\.41\/month \(1 × cache\.t3\.micro .*\); unchanged$/m,
    );
  });

  it("the status and describe show the current estimate", async () => {
    const object = JSON.parse((await cli(["get", "quickstart", "-o", "json", ...S])).stdout);
    assert.deepEqual(
      { ...object.status.estimatedCost, priceDate: undefined },
      {
        region: "us-east-1",
        nodeType: "cache.t3.micro",
        nodes: 1,
        nodeHourlyUSD: 0.017,
        hourlyUSD: 0.017,
        monthlyUSD: 12.41,
        priceDate: undefined,
      },
    );
    const described = await cli(["describe", "quickstart", ...S]);
    assert.match(described.stdout, /^Cost: +\$0\.017\/hour, \$12\.41\/month \(1 × cache\.t3\.micro/m);
  });
});
