// The serverless cache planner: create with the resolved user group, wait while AWS works, the
// upgrade on its own, every other difference in one modify, refusals of what cannot change, and
// the connection Secret's keys.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PlanInput } from "../../runtime/kind.ts";
import { serverlessCacheKind } from "./index.ts";
import { awsLimits, observedLimits } from "./limits.ts";
import {
  appliedUserGroupAfter,
  type ObservedServerlessCache,
  planServerlessCache,
  serverlessCacheReferences,
} from "./plan.ts";
import type { ServerlessCacheSpec } from "./schema.ts";

const spec = (extra: Partial<ServerlessCacheSpec> = {}): ServerlessCacheSpec => ({
  providerRef: { name: "p" },
  deletionPolicy: "Delete",
  serverlessCacheName: "sessions",
  engine: "redis",
  ...extra,
});

const observed = (extra: Partial<ObservedServerlessCache> = {}): ObservedServerlessCache => ({
  arn: "arn:aws:elasticache:us-east-1:000000000000:serverlesscache:sessions",
  tags: {},
  status: "available",
  engine: "redis",
  majorEngineVersion: "7",
  description: "",
  securityGroupIDs: [],
  subnetIDs: ["subnet-1"],
  endpoint: { address: "sessions.serverless.local", port: 6379 },
  readerEndpoint: { address: "sessions.serverless.local", port: 6380 },
  ...extra,
});

const input = (
  over: Partial<PlanInput<ServerlessCacheSpec, ObservedServerlessCache>> = {},
): PlanInput<ServerlessCacheSpec, ObservedServerlessCache> => ({
  spec: spec(),
  observed: observed(),
  owner: { namespace: "ns", name: "sessions", uid: "uid-1" },
  tags: {},
  secrets: [],
  resolved: [],
  status: {},
  ...over,
});

const actionOf = (d: ReturnType<typeof planServerlessCache>) => (d.type === "act" ? d.action : d.type);

test("the user group is a reference by AWS ID; create takes its resolved name", () => {
  assert.deepEqual(serverlessCacheReferences(spec()), []);
  assert.deepEqual(serverlessCacheReferences(spec({ userGroupID: "app-users" })), [
    { kind: "ElastiCacheUserGroup", name: "app-users", awsName: "app-users", field: "spec.userGroupID" },
  ]);
  assert.deepEqual(
    actionOf(
      planServerlessCache(
        input({ spec: spec({ userGroupID: "app-users" }), observed: undefined, resolved: ["app-users"] }),
      ),
    ),
    { type: "create", userGroupID: "app-users" },
  );
  assert.deepEqual(actionOf(planServerlessCache(input({ observed: undefined }))), { type: "create" });
});

test("waits while AWS creates or modifies; ready with its endpoint when it matches", () => {
  const creating = planServerlessCache(input({ observed: observed({ status: "creating", busy: true }) }));
  assert.equal(creating.type, "wait");
  assert.equal((creating as { reason: string }).reason, "Creating");
  assert.equal(
    planServerlessCache(input({ observed: observed({ status: "modifying", busy: true }) })).type,
    "wait",
  );
  const ready = planServerlessCache(input());
  assert.deepEqual(ready, {
    type: "ready",
    message: "serverless cache sessions is available at sessions.serverless.local:6379",
  });
  assert.equal(planServerlessCache(input({ observed: observed({ endpoint: undefined }) })).type, "wait");
  assert.equal(
    planServerlessCache(input({ observed: observed({ status: "create-failed" }) })).type,
    "invalid",
  );
});

test("every difference but the version goes in one modify; only given fields are managed", () => {
  const d = planServerlessCache(
    input({
      spec: spec({
        description: "session store",
        cacheUsageLimits: { dataStorage: { maximum: 4, unit: "GB" }, ecpuPerSecond: { maximum: 5000 } },
        securityGroupIDs: ["sg-2", "sg-1"],
        dailySnapshotTime: "03:00",
        snapshotRetentionLimit: 3,
      }),
      observed: observed({
        securityGroupIDs: ["sg-1"],
        usageLimits: { dataStorage: { maximum: 2, unit: "GB" } },
        dailySnapshotTime: "04:00",
        snapshotRetentionLimit: 0,
      }),
    }),
  );
  assert.deepEqual(actionOf(d), {
    type: "modify",
    changes: {
      description: "session store",
      cacheUsageLimits: { dataStorage: { maximum: 4, unit: "GB" }, ecpuPerSecond: { maximum: 5000 } },
      securityGroupIDs: ["sg-2", "sg-1"],
      dailySnapshotTime: "03:00",
      snapshotRetentionLimit: 3,
    },
  });
  assert.match((d as { message: string }).message, /description, usage limits, security groups/);
  // Same limits in AWS's order and a security group list in another order: nothing to do.
  assert.equal(
    planServerlessCache(
      input({
        spec: spec({
          cacheUsageLimits: { dataStorage: { unit: "GB", maximum: 4 } },
          securityGroupIDs: ["sg-2", "sg-1"],
        }),
        observed: observed({
          usageLimits: { dataStorage: { maximum: 4, unit: "GB" } },
          securityGroupIDs: ["sg-1", "sg-2"],
        }),
      }),
    ).type,
    "ready",
  );
});

test("a higher major version is an upgrade of its own; a lower one is refused", () => {
  assert.deepEqual(
    actionOf(
      planServerlessCache(
        input({
          spec: spec({ engine: "valkey", majorEngineVersion: "8", description: "x" }),
          observed: observed({ engine: "valkey" }),
        }),
      ),
    ),
    { type: "upgrade", majorEngineVersion: "8" },
  );
  const down = planServerlessCache(
    input({
      spec: spec({ engine: "valkey", majorEngineVersion: "7" }),
      observed: observed({ engine: "valkey", majorEngineVersion: "8" }),
    }),
  );
  assert.equal(down.type, "invalid");
  assert.match((down as { message: string }).message, /spec\.majorEngineVersion 7/);
});

test("engine and subnets that differ in AWS are reported, not changed", () => {
  const engine = planServerlessCache(input({ observed: observed({ engine: "valkey" }) }));
  assert.equal((engine as { reason: string }).reason, "EngineMismatch");
  assert.match((engine as { message: string }).message, /spec\.engine/);
  const subnets = planServerlessCache(input({ spec: spec({ subnetIDs: ["subnet-9"] }) }));
  assert.equal((subnets as { reason: string }).reason, "SubnetsMismatch");
  assert.equal(planServerlessCache(input({ spec: spec({ subnetIDs: ["subnet-1"] }) })).type, "ready");
});

test("user group: set, changed, removed only when this object set it", () => {
  const set = planServerlessCache(
    input({ spec: spec({ userGroupID: "app-users" }), resolved: ["app-users"] }),
  );
  assert.deepEqual(actionOf(set), { type: "modify", changes: { userGroupID: "app-users" } });
  assert.equal(appliedUserGroupAfter(actionOf(set) as never, undefined), "app-users");
  const ours = planServerlessCache(
    input({ observed: observed({ userGroupID: "app-users" }), status: { appliedUserGroupID: "app-users" } }),
  );
  assert.deepEqual(actionOf(ours), { type: "modify", changes: { removeUserGroup: true } });
  assert.equal(appliedUserGroupAfter(actionOf(ours) as never, "app-users"), undefined);
  const theirs = planServerlessCache(input({ observed: observed({ userGroupID: "ops-users" }) }));
  assert.equal(theirs.type, "ready");
  assert.match((theirs as { message: string }).message, /keeps user group ops-users/);
});

test("usage limits between the spec and AWS", () => {
  const spec = {
    dataStorage: { maximum: 4, minimum: 1, unit: "GB" as const },
    ecpuPerSecond: { maximum: 5000 },
  };
  const aws = awsLimits(spec);
  assert.deepEqual(aws, {
    DataStorage: { Maximum: 4, Minimum: 1, Unit: "GB" },
    ECPUPerSecond: { Maximum: 5000, Minimum: undefined },
  });
  assert.deepEqual(
    observedLimits({ DataStorage: { Maximum: 4, Minimum: 1, Unit: "GB" }, ECPUPerSecond: { Maximum: 5000 } }),
    spec,
  );
});

test("the connection Secret has a cluster's keys, TLS on", () => {
  const secret = serverlessCacheKind.connectionSecret;
  assert.equal(secret?.name(spec(), "sessions"), "sessions-connection");
  assert.equal(secret?.name(spec({ connectionSecret: { name: "app-redis" } }), "sessions"), "app-redis");
  assert.deepEqual(secret?.data(observed(), spec()), {
    host: "sessions.serverless.local",
    port: "6379",
    engine: "redis",
    tls: "true",
    primaryEndpoint: "sessions.serverless.local:6379",
    readerHost: "sessions.serverless.local",
    readerPort: "6380",
    readerEndpoint: "sessions.serverless.local:6380",
    url: "rediss://sessions.serverless.local:6379",
  });
  assert.equal(secret?.data(observed({ endpoint: undefined }), spec()), undefined);
  assert.equal(
    secret?.data(observed({ engine: "memcached", readerEndpoint: undefined }), spec({ engine: "memcached" }))
      ?.url,
    "memcached://sessions.serverless.local:6379",
  );
});
