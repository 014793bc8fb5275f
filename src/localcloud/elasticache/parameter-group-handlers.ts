// CreateCacheParameterGroup, ModifyCacheParameterGroup, ResetCacheParameterGroup,
// DeleteCacheParameterGroup, DescribeCacheParameterGroups, DescribeCacheParameters and
// DescribeEngineDefaultParameters. Default groups are read-only, as on AWS; changing a group that
// clusters use applies the change to their nodes (parameter-apply.ts).
import type { Handler, RequestContext } from "../context.ts";
import { invalidCombination, invalidParameter } from "../protocol/errors.ts";
import type { ParameterGroupRecord, Tag } from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { paginate } from "./pagination.ts";
import { applyParameterChanges } from "./parameter-apply.ts";
import {
  clustersUsing,
  defaultGroups,
  effectiveParameters,
  findParameterGroup,
  fromRecord,
  getParameterGroup,
  type ParameterGroup,
} from "./parameter-groups.ts";
import {
  checkParameterValue,
  familyDefaults,
  familyNodeTypeDefaults,
  knownFamilies,
} from "./parameters/catalog.ts";
import { checkTagLimit } from "./shared-rules.ts";
import { validIdentifier } from "./validation.ts";

/** AWS's quota of cache parameter groups per account and region. */
const maxParameterGroups = 150;
/** Parameters that may change only while no cache cluster uses the group ("conditionally modifiable"). */
const whileUnused = new Set(["cluster-enabled", "databases"]);

function arnOf(ctx: RequestContext, name: string): string {
  return elasticacheArn(ctx.region, ctx.principal?.accountId ?? "000000000000", "parametergroup", name);
}

function render(ctx: RequestContext, g: ParameterGroup): Record<string, unknown> {
  return {
    CacheParameterGroupName: g.name,
    CacheParameterGroupFamily: g.family,
    Description: g.description,
    IsGlobal: false,
    ARN: arnOf(ctx, g.name),
  };
}

function create(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const input = ctx.input;
  const name = validIdentifier(input.CacheParameterGroupName, "CacheParameterGroupName", 255);
  const family = String(input.CacheParameterGroupFamily ?? "");
  if (familyDefaults(family) === undefined) {
    throw invalidParameter(
      `CacheParameterGroupFamily '${family}' is not valid; use one of ${knownFamilies().join(", ")}.`,
    );
  }
  if (findParameterGroup(cloud, name))
    throw fault("CacheParameterGroupAlreadyExistsFault", `Cache parameter group ${name} already exists.`);
  if (Object.keys(cloud.state.parameterGroups).length >= maxParameterGroups) {
    throw fault(
      "CacheParameterGroupQuotaExceededFault",
      `At most ${maxParameterGroups} cache parameter groups are allowed; delete one first.`,
    );
  }
  const tags = (input.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  const record: ParameterGroupRecord = {
    name,
    arn: arnOf(ctx, name),
    family,
    description: String(input.Description ?? ""),
    values: {},
  };
  cloud.state.parameterGroups[name] = record;
  if (tags.length > 0) cloud.state.tags[record.arn] = tags;
  cloud.save();
  return { CacheParameterGroup: render(ctx, fromRecord(record)) };
}

function describeGroups(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const name = ctx.input.CacheParameterGroupName;
  const all =
    name !== undefined
      ? [getParameterGroup(cloud, name)]
      : [
          ...defaultGroups(),
          ...Object.values(cloud.state.parameterGroups)
            .sort((a, b) => a.name.localeCompare(b.name))
            .map(fromRecord),
        ];
  const page = paginate(all, ctx.input);
  return {
    CacheParameterGroups: page.items.map((g) => render(ctx, g)),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

/** The custom group a change is made to (default groups cannot be changed, as on AWS). */
function customGroup(cloud: Cloud, name: unknown, verb: string): ParameterGroupRecord {
  const g = getParameterGroup(cloud, name);
  if (g.isDefault) {
    throw invalidParameter(
      `Default parameter group ${g.name} cannot be ${verb}; create a parameter group (CreateCacheParameterGroup) and ${verb === "deleted" ? "delete" : "change"} that instead.`,
    );
  }
  return cloud.state.parameterGroups[g.name] as ParameterGroupRecord;
}

function requireUnusedFor(cloud: Cloud, group: ParameterGroupRecord, parameter: string): void {
  const users = clustersUsing(cloud, group.name);
  if (whileUnused.has(parameter) && users.length > 0) {
    throw invalidParameter(
      `Parameter ${parameter} can only be changed while no cache cluster uses parameter group ${group.name} (used by ${users[0]?.id}).`,
    );
  }
}

function modify(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const group = customGroup(cloud, ctx.input.CacheParameterGroupName, "modified");
  const changes =
    (ctx.input.ParameterNameValues as { ParameterName?: string; ParameterValue?: string }[]) ?? [];
  if (changes.length === 0) throw invalidParameter("ParameterNameValues must name at least one parameter.");
  if (changes.length > 20) throw invalidParameter("At most 20 parameters can be modified in one call.");
  const defaults = familyDefaults(group.family) ?? [];
  const next: Record<string, string> = {};
  for (const c of changes) {
    const name = String(c.ParameterName ?? "");
    const value = String(c.ParameterValue ?? "");
    const definition = defaults.find((d) => d.ParameterName === name);
    if (whileUnused.has(name) && definition) {
      checkParameterValue({ ...definition, IsModifiable: true }, name, value);
      requireUnusedFor(cloud, group, name);
    } else {
      checkParameterValue(definition, name, value);
    }
    next[name] = value;
  }
  Object.assign(group.values, next);
  cloud.save();
  applyParameterChanges(cloud, clustersUsing(cloud, group.name), fromRecord(group), Object.keys(next));
  return { CacheParameterGroupName: group.name };
}

function reset(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const group = customGroup(cloud, ctx.input.CacheParameterGroupName, "reset");
  const names = ((ctx.input.ParameterNameValues as { ParameterName?: string }[] | undefined) ?? []).map((p) =>
    String(p.ParameterName ?? ""),
  );
  const all = ctx.input.ResetAllParameters === true;
  if (all === names.length > 0) {
    throw invalidCombination(
      "Give either ResetAllParameters=true or ParameterNameValues (the names to reset).",
    );
  }
  const defaults = familyDefaults(group.family) ?? [];
  for (const n of names) {
    if (!defaults.some((d) => d.ParameterName === n)) throw invalidParameter(`Unknown parameter: ${n}`);
  }
  const resetting = all ? Object.keys(group.values) : names.filter((n) => n in group.values);
  for (const n of resetting) requireUnusedFor(cloud, group, n);
  for (const n of resetting) delete group.values[n];
  cloud.save();
  applyParameterChanges(cloud, clustersUsing(cloud, group.name), fromRecord(group), resetting);
  return { CacheParameterGroupName: group.name };
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const group = customGroup(cloud, ctx.input.CacheParameterGroupName, "deleted");
  const user =
    clustersUsing(cloud, group.name)[0]?.id ??
    Object.values(cloud.state.replicationGroups).find((rg) => rg.parameterGroupName === group.name)?.id;
  if (user !== undefined) {
    throw fault(
      "InvalidCacheParameterGroupStateFault",
      `Cache parameter group ${group.name} is in use by ${user}; move it to another parameter group first.`,
    );
  }
  delete cloud.state.parameterGroups[group.name];
  delete cloud.state.tags[group.arn];
  cloud.save();
  return {};
}

/** Node-type specific parameters come once, with the first page (paginators concatenate pages). */
function firstPage(ctx: RequestContext): boolean {
  return ctx.input.Marker === undefined;
}

function describeParameters(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const group = getParameterGroup(cloud, ctx.input.CacheParameterGroupName);
  const source = ctx.input.Source as string | undefined;
  if (source !== undefined && !["user", "system", "engine-default"].includes(source))
    throw invalidParameter("Source must be one of user, system, engine-default.");
  const parameters = effectiveParameters(group).filter(
    (p) => source === undefined || p.Source === (source === "engine-default" ? "system" : source),
  );
  const page = paginate(parameters, ctx.input);
  return {
    Parameters: page.items,
    CacheNodeTypeSpecificParameters: firstPage(ctx) ? familyNodeTypeDefaults(group.family) : [],
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

function engineDefaults(ctx: RequestContext): Record<string, unknown> {
  const family = String(ctx.input.CacheParameterGroupFamily ?? "");
  const defaults = familyDefaults(family);
  if (defaults === undefined) {
    throw invalidParameter(
      `CacheParameterGroupFamily '${family}' is not valid; use one of ${knownFamilies().join(", ")}.`,
    );
  }
  const page = paginate(
    defaults.map((d) => ({ ...d, Source: "system" })),
    ctx.input,
  );
  return {
    EngineDefaults: {
      CacheParameterGroupFamily: family,
      Parameters: page.items,
      CacheNodeTypeSpecificParameters: firstPage(ctx) ? familyNodeTypeDefaults(family) : [],
      ...(page.marker ? { Marker: page.marker } : {}),
    },
  };
}

export function parameterGroupHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    CreateCacheParameterGroup: async (ctx) => create(cloud, ctx),
    DescribeCacheParameterGroups: async (ctx) => describeGroups(cloud, ctx),
    ModifyCacheParameterGroup: async (ctx) => modify(cloud, ctx),
    ResetCacheParameterGroup: async (ctx) => reset(cloud, ctx),
    DeleteCacheParameterGroup: async (ctx) => remove(cloud, ctx),
    DescribeCacheParameters: async (ctx) => describeParameters(cloud, ctx),
    DescribeEngineDefaultParameters: async (ctx) => engineDefaults(ctx),
  };
}
