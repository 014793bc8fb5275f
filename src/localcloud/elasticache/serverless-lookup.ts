// Finding serverless caches, and the MaxResults/NextToken pagination the serverless operations use
// (instead of MaxRecords/Marker).
import { invalidParameter } from "../protocol/errors.ts";
import type { QueryObject } from "../protocol/query-input.ts";
import type { ServerlessCacheRecord } from "../state/records.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { paginate } from "./pagination.ts";

export function getServerlessCache(cloud: Cloud, name: unknown): ServerlessCacheRecord {
  const cache = cloud.state.serverlessCaches[String(name ?? "").toLowerCase()];
  if (cache === undefined)
    throw fault("ServerlessCacheNotFoundFault", `Serverless cache ${String(name)} not found.`);
  return cache;
}

export function pageOfResults<T>(all: T[], input: QueryObject, max: number): { items: T[]; next?: string } {
  const maxResults = (input.MaxResults as number | undefined) ?? max;
  if (maxResults < 1 || maxResults > max) throw invalidParameter(`MaxResults must be between 1 and ${max}.`);
  const page = paginate(
    all,
    { MaxRecords: maxResults, ...(input.NextToken ? { Marker: input.NextToken } : {}) },
    1,
    max,
  );
  return { items: page.items, ...(page.marker ? { next: page.marker } : {}) };
}
