// Every kind of AWS call ends with a timeout CloudError when the endpoint accepts and never answers.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AwsClients } from "./clients.ts";
import { ElastiCacheGateway } from "./elasticache-gateway.ts";
import { CloudError } from "./errors.ts";
import { startTarpit, type Tarpit } from "./tarpit.ts";

const timeouts = { connectMs: 1_000, attemptMs: 500, callMs: 2_000 };
let tarpit: Tarpit;
const opened: AwsClients[] = [];

before(async () => {
  tarpit = await startTarpit();
});
after(async () => {
  for (const c of opened) c.destroy();
  await tarpit.close();
});

function clients(auth: Record<string, string>): AwsClients {
  const c = new AwsClients({ region: "us-east-1", endpoint: tarpit.url, ...auth }, { timeouts });
  opened.push(c);
  return c;
}

async function assertTimesOut(what: string, call: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof CloudError, `${what}: ${String(e)}`);
    assert.equal(e.kind, "Unreachable");
    assert.equal(e.code, "ETIMEDOUT");
    return true;
  });
  // Generous: the limit is 2 s; without timeouts the call would never end.
  assert.ok(Date.now() - started < 20_000, `${what} took ${Date.now() - started} ms`);
}

const keys = { accessKeyId: "AKIATARPIT000000001", secretAccessKey: "tarpit-secret-key" };

test("GetCallerIdentity at a tarpit ends with a timeout", async () => {
  await assertTimesOut("GetCallerIdentity", () => clients(keys).verifyIdentity());
  assert.ok(tarpit.connections() > 0, "the tarpit was never reached");
});

test("an ElastiCache call at a tarpit ends with a timeout", async () => {
  const gateway = new ElastiCacheGateway(clients(keys));
  await assertTimesOut("DescribeCacheClusters", () => gateway.describeCacheCluster("x"));
});

test("AssumeRole at a tarpit (while fetching credentials) ends with a timeout", async () => {
  const c = clients({ ...keys, roleARN: "arn:aws:iam::000000000000:role/tarpit" });
  await assertTimesOut("AssumeRole + GetCallerIdentity", () => c.verifyIdentity());
});
