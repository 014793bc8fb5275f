// The leader-election timings of `infra-operator run`, as client-go names them. The renew deadline
// must be shorter than the lease duration: the gap is the margin the fence keeps between this
// replica's last possible mutation and the earliest moment another replica may take the Lease.
import type { LeaseTimings } from "../operator/manager.ts";
import { parseDuration } from "./duration.ts";

export const leaseTimingDefaults = { leaseDuration: "15s", renewDeadline: "10s", retryPeriod: "2s" };

export function parseLeaseTimings(values: {
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
}): LeaseTimings {
  const leaseDurationMs = parseDuration(values.leaseDuration, "--leader-election-lease-duration");
  const renewDeadlineMs = parseDuration(values.renewDeadline, "--leader-election-renew-deadline");
  const retryPeriodMs = parseDuration(values.retryPeriod, "--leader-election-retry-period");
  if (leaseDurationMs < 1000)
    throw new Error("--leader-election-lease-duration must be at least 1s (the Lease counts whole seconds)");
  if (renewDeadlineMs >= leaseDurationMs)
    throw new Error(
      `--leader-election-renew-deadline (${values.renewDeadline}) must be shorter than --leader-election-lease-duration (${values.leaseDuration})`,
    );
  if (retryPeriodMs <= 0 || retryPeriodMs >= renewDeadlineMs)
    throw new Error(
      `--leader-election-retry-period (${values.retryPeriod}) must be above 0 and shorter than --leader-election-renew-deadline (${values.renewDeadline}), so a renewal can be retried before the deadline`,
    );
  return { leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}
