// Usage limits between the spec's shape (camelCase, unit GB) and AWS's CacheUsageLimits.
import type { CacheUsageLimits } from "@aws-sdk/client-elasticache";
import type { UsageLimits } from "./schema.ts";

export function awsLimits(limits: UsageLimits | undefined): CacheUsageLimits | undefined {
  if (limits === undefined) return undefined;
  const out: CacheUsageLimits = {};
  if (limits.dataStorage !== undefined)
    out.DataStorage = {
      Maximum: limits.dataStorage.maximum,
      Minimum: limits.dataStorage.minimum,
      Unit: limits.dataStorage.unit ?? "GB",
    };
  if (limits.ecpuPerSecond !== undefined)
    out.ECPUPerSecond = { Maximum: limits.ecpuPerSecond.maximum, Minimum: limits.ecpuPerSecond.minimum };
  return out;
}

export function observedLimits(limits: CacheUsageLimits | undefined): UsageLimits | undefined {
  if (limits === undefined) return undefined;
  const out: UsageLimits = {};
  const d = limits.DataStorage;
  if (d !== undefined)
    out.dataStorage = {
      ...(d.Maximum !== undefined ? { maximum: d.Maximum } : {}),
      ...(d.Minimum !== undefined ? { minimum: d.Minimum } : {}),
      unit: "GB",
    };
  const e = limits.ECPUPerSecond;
  if (e !== undefined)
    out.ecpuPerSecond = {
      ...(e.Maximum !== undefined ? { maximum: e.Maximum } : {}),
      ...(e.Minimum !== undefined ? { minimum: e.Minimum } : {}),
    };
  return out;
}
