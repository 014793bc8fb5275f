import assert from "node:assert/strict";
import { test } from "node:test";
import { leaseTimingDefaults, parseLeaseTimings } from "./lease-timings.ts";

test("the defaults are client-go's 15s / 10s / 2s", () => {
  assert.deepEqual(parseLeaseTimings(leaseTimingDefaults), {
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
  });
});

test("a renew deadline not shorter than the lease duration is refused, naming both flags", () => {
  assert.throws(
    () => parseLeaseTimings({ leaseDuration: "10s", renewDeadline: "10s", retryPeriod: "2s" }),
    /--leader-election-renew-deadline \(10s\) must be shorter than --leader-election-lease-duration \(10s\)/,
  );
});

test("a retry period not shorter than the renew deadline is refused", () => {
  assert.throws(
    () => parseLeaseTimings({ leaseDuration: "15s", renewDeadline: "5s", retryPeriod: "5s" }),
    /--leader-election-retry-period \(5s\) must be above 0 and shorter than --leader-election-renew-deadline/,
  );
});

test("a malformed duration names its flag", () => {
  assert.throws(
    () => parseLeaseTimings({ leaseDuration: "soon", renewDeadline: "10s", retryPeriod: "2s" }),
    /--leader-election-lease-duration: "soon" is not a duration/,
  );
});
