import assert from "node:assert/strict";
import { after, test } from "node:test";
import { readinessChecks } from "./health-checks.ts";
import { parseListenAddress, startHealthServer } from "./health-server.ts";
import { Registry } from "./metrics.ts";

let problem: string | undefined;
let synced = false;
let leading = true;
const registry = new Registry();
registry.counter("infra_operator_test_total", "Test.").inc();
const informer = { hasSynced: () => synced, health: () => undefined, type: { plural: "widgets" } as never };
const server = await startHealthServer("127.0.0.1", 0, {
  registry,
  liveness: [{ name: "queue", check: () => problem }],
  readiness: readinessChecks([informer], { isLeader: () => leading }),
});
after(() => server.close());

const base = `http://127.0.0.1:${server.port}`;
async function get(path: string): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(base + path);
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

test("/metrics serves the registry in the 0.0.4 text format", async () => {
  const r = await get("/metrics");
  assert.equal(r.status, 200);
  assert.equal(r.type, "text/plain; version=0.0.4; charset=utf-8");
  assert.match(r.body, /^infra_operator_test_total 1$/m);
});

test("/healthz passes, then fails naming the check and its reason", async () => {
  problem = undefined;
  assert.deepEqual(await get("/healthz"), { status: 200, type: "text/plain; charset=utf-8", body: "ok\n" });
  assert.equal((await get("/healthz?verbose")).body, "[+]queue ok\nok\n");
  problem = "queue stalled: 3 keys waiting";
  const r = await get("/healthz");
  assert.equal(r.status, 500);
  assert.equal(r.body, "[-]queue failed: queue stalled: 3 keys waiting\ncheck failed\n");
});

test("/readyz waits for informers when leading, and a standby is ready", async () => {
  leading = true;
  synced = false;
  const r = await get("/readyz");
  assert.equal(r.status, 500);
  assert.match(r.body, /not synced yet: widgets/);
  leading = false;
  assert.equal((await get("/readyz")).status, 200, "a standby replica is ready");
  leading = true;
  synced = true;
  assert.equal((await get("/readyz")).status, 200);
});

test("unknown paths and methods", async () => {
  assert.equal((await get("/nope")).status, 404);
  assert.equal((await fetch(`${base}/healthz`, { method: "POST" })).status, 405);
});

test("a busy port gives an error that says what to do", async () => {
  await assert.rejects(
    startHealthServer("127.0.0.1", server.port, {}),
    /address is in use; choose another port/,
  );
});

test("listen addresses", () => {
  assert.deepEqual(parseListenAddress(":8080", "--metrics-addr"), { host: "0.0.0.0", port: 8080 });
  assert.deepEqual(parseListenAddress("127.0.0.1:9", "--metrics-addr"), { host: "127.0.0.1", port: 9 });
  assert.throws(() => parseListenAddress("8080", "--health-addr"), /--health-addr "8080" is not an address/);
});
