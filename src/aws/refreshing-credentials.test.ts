import assert from "node:assert/strict";
import { test } from "node:test";
import { type AwsCredentials, REFRESH_MARGIN_MS, RefreshingCredentials } from "./refreshing-credentials.ts";

function issuer(lifetimeMs: number, now: () => number) {
  let count = 0;
  let fail = false;
  return {
    get count() {
      return count;
    },
    failNext(v: boolean) {
      fail = v;
    },
    fetch: async (): Promise<AwsCredentials> => {
      count++;
      if (fail) throw new Error("sts down");
      return { accessKeyId: `AK${count}`, secretAccessKey: "s", expiration: new Date(now() + lifetimeMs) };
    },
  };
}

test("temporary credentials are fetched once and reused while fresh", async () => {
  let now = 1_000_000;
  const src = issuer(3_600_000, () => now);
  const creds = new RefreshingCredentials(src.fetch, () => now);
  const all = await Promise.all([creds.get(), creds.get(), creds.get()]);
  assert.equal(src.count, 1, "concurrent callers share one fetch");
  assert.ok(all.every((c) => c.accessKeyId === "AK1"));
  now += 3_600_000 - REFRESH_MARGIN_MS - 1;
  assert.equal((await creds.get()).accessKeyId, "AK1");
  now += 2;
  assert.equal((await creds.get()).accessKeyId, "AK2", "refreshed before expiry");
  assert.equal(src.count, 2);
});

test("short-lived credentials are refreshed at half their life, not on every call", async () => {
  let now = 0;
  const src = issuer(120_000, () => now);
  const creds = new RefreshingCredentials(src.fetch, () => now);
  await creds.get();
  now = 59_000;
  await creds.get();
  assert.equal(src.count, 1);
  now = 61_000;
  await creds.get();
  assert.equal(src.count, 2);
});

test("a failed refresh keeps the old credentials while they are valid, then fails", async () => {
  let now = 0;
  const src = issuer(3_600_000, () => now);
  const creds = new RefreshingCredentials(src.fetch, () => now);
  await creds.get();
  src.failNext(true);
  now = 3_600_000 - 60_000;
  assert.equal((await creds.get()).accessKeyId, "AK1");
  now = 3_600_000 + 1;
  await assert.rejects(creds.get(), /sts down/);
  src.failNext(false);
  assert.equal((await creds.get()).accessKeyId, "AK4");
});

test("invalidate forces a new fetch", async () => {
  const src = issuer(3_600_000, Date.now);
  const creds = new RefreshingCredentials(src.fetch);
  await creds.get();
  creds.invalidate();
  await creds.get();
  assert.equal(src.count, 2);
});
