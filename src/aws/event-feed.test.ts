// The event feed's paging and de-duplication, over a stand-in for DescribeEvents (pure logic:
// which StartTime and Markers are asked for, which events are reported). The real DescribeEvents
// is exercised against the local cloud in event-sync.test.ts and the operator's e2e tests.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Event } from "@aws-sdk/client-elasticache";
import { type DescribeEvents, EventFeed } from "./event-feed.ts";

/** Events newest first as AWS answers, in pages of MaxRecords joined by an offset Marker. */
function stand(events: Event[], asked: { StartTime: Date; Marker?: string }[]): DescribeEvents {
  return async (input) => {
    asked.push({ StartTime: input.StartTime, ...(input.Marker ? { Marker: input.Marker } : {}) });
    const matching = events
      .filter((e) => (e.Date as Date).getTime() >= input.StartTime.getTime())
      .sort((a, b) => (b.Date as Date).getTime() - (a.Date as Date).getTime());
    const start = Number(input.Marker ?? 0);
    const next = start + input.MaxRecords;
    return {
      Events: matching.slice(start, next),
      ...(next < matching.length ? { Marker: String(next) } : {}),
    };
  };
}

const ev = (id: string, at: number, message = "Cache cluster modified"): Event => ({
  SourceIdentifier: id,
  SourceType: "cache-cluster",
  Message: message,
  Date: new Date(at),
});

test("each event is reported once; later polls start from the newest seen, less the overlap", async () => {
  let now = 1_000_000;
  const events: Event[] = [];
  const asked: { StartTime: Date; Marker?: string }[] = [];
  const feed = new EventFeed(stand(events, asked), { now: () => now, overlapMs: 10_000 });
  now += 5_000;
  events.push(ev("a", now - 1000), ev("b", now - 1000));
  const first = await feed.poll();
  assert.deepEqual(first.events.map((e) => e.sourceId).sort(), ["a", "b"]);
  assert.equal(first.incomplete, false);
  assert.equal(asked[0]?.StartTime.getTime(), 1_000_000 - 10_000);
  // Nothing new: the same events fall in the overlap and are not reported again.
  now += 2_000;
  assert.deepEqual((await feed.poll()).events, []);
  // A late event dated within the overlap is still seen.
  events.push(ev("c", now - 4_000));
  now += 1_000;
  assert.deepEqual(
    (await feed.poll()).events.map((e) => e.sourceId),
    ["c"],
  );
  // Quiet for long: one poll covers the quiet time since the last, and the next starts near now.
  now += 3600_000;
  await feed.poll();
  assert.equal(asked.at(-1)?.StartTime.getTime(), 1_004_000 - 10_000, "from the newest event seen");
  const before = now;
  now += 1_000;
  await feed.poll();
  assert.equal(asked.at(-1)?.StartTime.getTime(), before - 20_000);
});

test("many events are paged through; past the page bound the poll says it is incomplete", async () => {
  let now = 5_000_000;
  const events: Event[] = [];
  const asked: { StartTime: Date; Marker?: string }[] = [];
  const feed = new EventFeed(stand(events, asked), { now: () => now, maxPages: 3 });
  for (let i = 0; i < 250; i++) events.push(ev(`c${i}`, now + i));
  now += 1_000;
  const polled = await feed.poll();
  assert.equal(polled.events.length, 250);
  assert.equal(polled.incomplete, false);
  assert.deepEqual(
    asked.map((a) => a.Marker),
    [undefined, "100", "200"],
  );
  for (let i = 0; i < 400; i++) events.push(ev(`d${i}`, now + i));
  now += 1_000;
  const overflow = await feed.poll();
  assert.equal(overflow.incomplete, true);
});

test("events without a source or a date are skipped", async () => {
  let now = 0;
  const events: Event[] = [
    { SourceType: "cache-cluster", Message: "no id", Date: new Date(10) },
    { SourceIdentifier: "x", SourceType: "cache-cluster", Message: "no date" },
    ev("ok", 20),
  ];
  const feed = new EventFeed(
    stand(
      events.filter((e) => e.Date !== undefined),
      [],
    ),
    { now: () => now },
  );
  now = 100;
  assert.deepEqual(
    (await feed.poll()).events.map((e) => e.sourceId),
    ["ok"],
  );
});
