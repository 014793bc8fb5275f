// The Resource Groups Tagging API's GetResources (2017-01-26, JSON 1.1) over the local cloud's
// ElastiCache resources: every tagged resource of the caller's account and region, filtered by tags
// (AND across filters, OR across one filter's values, a key with no values matches any value) and by
// resource type ("elasticache" or "elasticache:<kind>"), in pages of at most 100 (ResourcesPerPage)
// joined by an opaque PaginationToken, as AWS does. Only ElastiCache resources exist here, so a
// filter naming another service's types matches nothing. ResourceARNList narrows the listing to
// those ARNs (missing ones are no error), without pagination parameters, as on AWS.
import type { Handler, RequestContext } from "../context.ts";
import type { Cloud } from "../elasticache/cloud.ts";
import { scopedHandlers } from "../elasticache/scoped-handlers.ts";
import { taggable } from "../elasticache/tags.ts";
import { AwsError } from "../protocol/errors.ts";
import type { Tag } from "../state/records.ts";

/** AWS's bound on ResourcesPerPage; the default (no value given) is the same. */
const maxPerPage = 100;

interface TagFilter {
  Key?: string;
  Values?: string[];
}

const invalid = (message: string) => new AwsError("InvalidParameterException", message, 400);

function perPage(input: RequestContext["input"]): number {
  const asked = input.ResourcesPerPage;
  if (asked === undefined) return maxPerPage;
  const n = Number(asked);
  if (!Number.isInteger(n) || n < 1 || n > maxPerPage)
    throw invalid(`ResourcesPerPage must be between 1 and ${maxPerPage}, got ${String(asked)}.`);
  return n;
}

/** The ElastiCache ARN kinds a ResourceTypeFilters list admits; undefined: every kind. */
function kindsAdmitted(filters: string[] | undefined): Set<string> | undefined {
  if (filters === undefined || filters.length === 0) return undefined;
  const kinds = new Set<string>();
  for (const f of filters) {
    const m = /^([a-z0-9-]+)(?::([a-z0-9-]+))?$/.exec(f);
    if (m === null)
      throw invalid(`ResourceTypeFilters entry "${f}" is not of the form service[:resourceType].`);
    if (m[1] !== "elasticache") continue;
    if (m[2] === undefined) for (const k of Object.keys(taggable)) kinds.add(k);
    else kinds.add(m[2]);
  }
  return kinds;
}

function matchesTags(tags: Tag[], filters: TagFilter[]): boolean {
  return filters.every((f) =>
    tags.some((t) => t.Key === f.Key && (!f.Values?.length || f.Values.includes(t.Value ?? ""))),
  );
}

// The token is the last ARN of the previous page (ARNs are listed in order), encoded so that
// callers treat it as opaque.
const encodeToken = (arn: string) => Buffer.from(arn, "utf8").toString("base64url");
function decodeToken(token: string): string {
  const arn = Buffer.from(token, "base64url").toString("utf8");
  if (!arn.startsWith("arn:")) throw invalid("PaginationToken is not one this API returned.");
  return arn;
}

function getResources(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const arnList = input.ResourceARNList as string[] | undefined;
  if (
    arnList?.length &&
    ["ResourcesPerPage", "TagsPerPage", "PaginationToken"].some((k) => input[k] !== undefined)
  )
    throw invalid(
      "ResourceARNList cannot be combined with ResourcesPerPage, TagsPerPage or PaginationToken.",
    );
  const only = arnList?.length ? new Set(arnList) : undefined;
  const size = perPage(input);
  const filters = (input.TagFilters as TagFilter[] | undefined) ?? [];
  if (filters.some((f) => !f.Key)) throw invalid("Every TagFilters entry needs a Key.");
  const kinds = kindsAdmitted(input.ResourceTypeFilters as string[] | undefined);
  const token =
    typeof input.PaginationToken === "string" && input.PaginationToken !== ""
      ? input.PaginationToken
      : undefined;
  const after = token === undefined ? undefined : decodeToken(token);
  const state = cloud.state;
  const matching: { ResourceARN: string; Tags: Tag[] }[] = [];
  for (const [kind, { records }] of Object.entries(taggable)) {
    if (kinds && !kinds.has(kind)) continue;
    for (const record of Object.values(records(state))) {
      if (only && !only.has(record.arn)) continue;
      const tags = state.tags[record.arn] ?? [];
      // AWS lists tagged resources only; a tag filter narrows them further.
      if (tags.length === 0 || !matchesTags(tags, filters)) continue;
      matching.push({
        ResourceARN: record.arn,
        Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value ?? "" })),
      });
    }
  }
  matching.sort((a, b) => (a.ResourceARN < b.ResourceARN ? -1 : a.ResourceARN > b.ResourceARN ? 1 : 0));
  const start = after === undefined ? 0 : matching.findIndex((r) => r.ResourceARN > after);
  const page = start < 0 ? [] : matching.slice(start, start + size);
  const more = start >= 0 && start + size < matching.length;
  const last = page.at(-1);
  // AWS answers an empty PaginationToken on the last page.
  return { ResourceTagMappingList: page, PaginationToken: more && last ? encodeToken(last.ResourceARN) : "" };
}

export function taggingHandlers(cloud: Cloud): Record<string, Handler> {
  return scopedHandlers({ GetResources: async (ctx) => getResources(cloud, ctx) });
}
