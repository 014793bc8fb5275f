import assert from "node:assert/strict";
import { test } from "node:test";
import { dueBetween, parseSchedule, type Schedule } from "./schedule.ts";

const parsed = (text: string) => parseSchedule(text) as Schedule;

test("schedule expressions: at, rate and cron parse; anything else is refused with the forms", () => {
  assert.deepEqual(parseSchedule("at(2026-12-02T08:00:00)"), { kind: "at", local: "2026-12-02T08:00:00" });
  assert.deepEqual(parseSchedule("rate(5 minutes)"), { kind: "rate", ms: 300_000 });
  assert.equal((parseSchedule("cron(0 8 * * ? *)") as Schedule).kind, "cron");
  assert.match(String(parseSchedule("every 5 minutes")), /at\(yyyy-mm-ddThh:mm:ss\), rate/);
  assert.match(String(parseSchedule("cron(0 8 * *)")), /6 fields/);
});

test("at() fires once, in its time zone", () => {
  const s = parsed("at(2026-12-02T08:00:00)");
  assert.equal(dueBetween(s, new Date("2026-12-02T07:59:00Z"), new Date("2026-12-02T08:00:30Z")), true);
  assert.equal(dueBetween(s, new Date("2026-12-02T08:00:30Z"), new Date("2026-12-02T09:00:00Z")), false);
  // 08:00 in Berlin (UTC+1 in December) is 07:00 UTC.
  assert.equal(
    dueBetween(s, new Date("2026-12-02T06:59:00Z"), new Date("2026-12-02T07:00:30Z"), "Europe/Berlin"),
    true,
  );
});

test("rate() fires once the period has passed since the last run", () => {
  const s = parsed("rate(1 hour)");
  assert.equal(dueBetween(s, new Date("2026-12-02T07:00:00Z"), new Date("2026-12-02T07:59:59Z")), false);
  assert.equal(dueBetween(s, new Date("2026-12-02T07:00:00Z"), new Date("2026-12-02T08:00:00Z")), true);
});

test("cron() fires on matching minutes: lists, ranges, steps and day names", () => {
  const weekdays8 = parsed("cron(0 8 ? * MON-FRI *)");
  // 2026-12-02 is a Wednesday, 2026-12-05 a Saturday.
  assert.equal(
    dueBetween(weekdays8, new Date("2026-12-02T07:59:00Z"), new Date("2026-12-02T08:00:00Z")),
    true,
  );
  assert.equal(
    dueBetween(weekdays8, new Date("2026-12-05T07:59:00Z"), new Date("2026-12-05T08:00:00Z")),
    false,
  );
  const every15 = parsed("cron(*/15 * * * ? *)");
  assert.equal(
    dueBetween(every15, new Date("2026-12-02T08:01:00Z"), new Date("2026-12-02T08:14:00Z")),
    false,
  );
  assert.equal(dueBetween(every15, new Date("2026-12-02T08:01:00Z"), new Date("2026-12-02T08:15:00Z")), true);
});
