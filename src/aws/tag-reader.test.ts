// The tag reader's choice of calls, over a stand-in for GetResources (pure logic: scan or ARN
// list, pages, fallback). GetResources itself is exercised against the local cloud in
// src/localcloud/tagging.integration.test.ts and through the operator's e2e tests.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CloudError } from "./errors.ts";
import { type GetResources, TagReader } from "./tag-reader.ts";

const OWNER = "owner-key";
const arn = (i: number) =>
  `arn:aws:elasticache:us-east-1:000000000000:cluster:c${String(i).padStart(4, "0")}`;

function account(n: number, calls: string[], untagged = new Set<number>()): GetResources {
  const all = Array.from({ length: n }, (_, i) => ({
    ResourceARN: arn(i),
    Tags: untagged.has(i)
      ? []
      : [
          { Key: OWNER, Value: "ns/name" },
          { Key: "team", Value: String(i) },
        ],
  }));
  return async (input) => {
    if (input.ResourceARNList) {
      calls.push(`list:${input.ResourceARNList.length}`);
      return {
        ResourceTagMappingList: all.filter(
          (r) => input.ResourceARNList?.includes(r.ResourceARN) && r.Tags.length,
        ),
      };
    }
    calls.push("scan");
    const owned = all.filter((r) => r.Tags.some((t) => t.Key === input.TagFilters?.[0]?.Key));
    const start = Number(input.PaginationToken || 0);
    const next = start + (input.ResourcesPerPage ?? 100);
    return {
      ResourceTagMappingList: owned.slice(start, next),
      PaginationToken: next < owned.length ? String(next) : "",
    };
  };
}

const noFallback = async () => {
  throw new Error("no fallback expected");
};

test("a lone read goes by ARN; many reads share one scan, and the scan answers later reads", async () => {
  const calls: string[] = [];
  const reader = new TagReader(account(250, calls), {
    ownershipKey: OWNER,
    fallback: noFallback,
    windowMs: 5,
  });
  assert.deepEqual(await reader.read(arn(1)), { [OWNER]: "ns/name", team: "1" });
  assert.deepEqual(calls, ["list:1"]);
  calls.length = 0;
  const many = await Promise.all([2, 3, 4].map((i) => reader.read(arn(i))));
  assert.deepEqual(
    many.map((t) => t.team),
    ["2", "3", "4"],
  );
  assert.deepEqual(calls, ["scan", "scan", "scan"], "250 owned caches: 3 pages of 100");
  calls.length = 0;
  assert.equal((await reader.read(arn(200))).team, "200");
  assert.deepEqual(calls, [], "served by the scan");
});

test("a cache without the ownership tag, or changed since the scan, is read by ARN", async () => {
  const calls: string[] = [];
  const reader = new TagReader(account(10, calls, new Set([7])), {
    ownershipKey: OWNER,
    fallback: noFallback,
    windowMs: 5,
  });
  const [a, b] = await Promise.all([reader.read(arn(6)), reader.read(arn(7))]);
  assert.equal(a.team, "6");
  assert.deepEqual(b, {}, "listed only when tagged: no tags");
  assert.deepEqual(calls, ["scan", "list:1"]);
  calls.length = 0;
  reader.forget(":cluster:c0006");
  await reader.read(arn(6));
  assert.deepEqual(calls, ["list:1"]);
});

test("an old scan answers nothing; a refused GetResources falls back to the per-resource read", async () => {
  let now = 0;
  const calls: string[] = [];
  const reader = new TagReader(account(3, calls), {
    ownershipKey: OWNER,
    fallback: noFallback,
    windowMs: 5,
    scanMaxAgeMs: 1000,
    now: () => now,
  });
  await Promise.all([reader.read(arn(0)), reader.read(arn(1))]);
  now = 2000;
  calls.length = 0;
  await reader.read(arn(0));
  assert.deepEqual(calls, ["list:1"]);

  const fellBack: string[] = [];
  const denied = new TagReader(
    async () => {
      throw new CloudError({
        kind: "AccessDenied",
        code: "AccessDeniedException",
        action: "GetResources",
        message: "no",
      });
    },
    {
      ownershipKey: OWNER,
      windowMs: 5,
      fallback: async (a) => {
        fellBack.push(a);
        return { k: "v" };
      },
    },
  );
  assert.deepEqual(await denied.read(arn(0)), { k: "v" });
  assert.deepEqual(await denied.read(arn(1)), { k: "v" });
  assert.deepEqual(fellBack, [arn(0), arn(1)]);
});
