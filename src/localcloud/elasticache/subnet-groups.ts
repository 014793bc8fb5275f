// Create/Describe/Modify/DeleteCacheSubnetGroup. There is no VPC on loopback; subnet ids are kept
// as given (they must look like subnet ids) so manifests written for AWS work unchanged.
import { createHash } from "node:crypto";
import type { Handler, RequestContext } from "../context.ts";
import { invalidParameter } from "../protocol/errors.ts";
import type { CacheClusterRecord, SubnetGroupRecord, Tag } from "../state/records.ts";
import { elasticacheArn } from "./arn.ts";
import type { Cloud } from "./cloud.ts";
import { fault, notFound } from "./faults.ts";
import { paginate } from "./pagination.ts";
import { renderSubnetGroup } from "./render.ts";
import { checkTagLimit } from "./shared-rules.ts";
import { assignZones, checkSubnetsInUse } from "./subnet-zones.ts";

function validName(value: unknown): string {
  const name = String(value ?? "").toLowerCase();
  if (name.length < 1 || name.length > 255 || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw invalidParameter(
      `CacheSubnetGroupName '${String(value)}' is invalid: use up to 255 letters, digits or hyphens.`,
    );
  }
  if (name === "default") throw invalidParameter("The subnet group name 'default' is reserved.");
  return name;
}

function validSubnets(value: unknown): string[] {
  const ids = (value as string[] | undefined) ?? [];
  if (ids.length === 0) throw invalidParameter("SubnetIds must name at least one subnet.");
  if (ids.length > 20)
    throw fault("CacheSubnetQuotaExceededFault", "A cache subnet group can have at most 20 subnets.");
  for (const id of ids) {
    if (!/^subnet-[0-9a-z]+$/.test(id))
      throw fault("InvalidSubnet", `Subnet ${id} is not a valid subnet id (subnet-...).`);
  }
  return [...new Set(ids)];
}

function vpcFor(subnets: string[]): string {
  return `vpc-${createHash("sha256").update(subnets.slice().sort().join(",")).digest("hex").slice(0, 17)}`;
}

function get(cloud: Cloud, name: unknown): SubnetGroupRecord {
  const g = cloud.state.subnetGroups[String(name ?? "").toLowerCase()];
  if (g === undefined) throw notFound.subnetGroup(String(name));
  return g;
}

function create(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const name = validName(ctx.input.CacheSubnetGroupName);
  if (cloud.state.subnetGroups[name])
    throw fault("CacheSubnetGroupAlreadyExistsFault", `Cache subnet group ${name} already exists.`);
  const subnetIds = validSubnets(ctx.input.SubnetIds);
  const tags = (ctx.input.Tags as Tag[] | undefined) ?? [];
  checkTagLimit(tags);
  const group: SubnetGroupRecord = {
    name,
    arn: elasticacheArn(ctx.region, ctx.principal?.accountId ?? "000000000000", "subnetgroup", name),
    description: String(ctx.input.CacheSubnetGroupDescription ?? ""),
    subnetIds,
    vpcId: vpcFor(subnetIds),
    subnetZones: assignZones(undefined, ctx.region, subnetIds),
  };
  cloud.state.subnetGroups[name] = group;
  if (tags.length > 0) cloud.state.tags[group.arn] = tags;
  cloud.event("cache-subnet-group", name, "Cache subnet group created");
  cloud.save();
  return { CacheSubnetGroup: renderSubnetGroup(group) };
}

function describe(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const all =
    ctx.input.CacheSubnetGroupName !== undefined
      ? [get(cloud, ctx.input.CacheSubnetGroupName)]
      : Object.values(cloud.state.subnetGroups).sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(all, ctx.input);
  return {
    CacheSubnetGroups: page.items.map(renderSubnetGroup),
    ...(page.marker ? { Marker: page.marker } : {}),
  };
}

/** The cache clusters (standalone and replication group members) in the subnet group. */
function clustersIn(cloud: Cloud, name: string): CacheClusterRecord[] {
  const groups = new Set(
    Object.values(cloud.state.replicationGroups)
      .filter((g) => g.subnetGroupName === name)
      .map((g) => g.id),
  );
  return Object.values(cloud.state.clusters).filter(
    (c) =>
      c.subnetGroupName === name || (c.replicationGroupId !== undefined && groups.has(c.replicationGroupId)),
  );
}

function inUse(cloud: Cloud, name: string): boolean {
  return (
    Object.values(cloud.state.clusters).some((c) => c.subnetGroupName === name) ||
    Object.values(cloud.state.replicationGroups).some((g) => g.subnetGroupName === name)
  );
}

function modify(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const group = get(cloud, ctx.input.CacheSubnetGroupName);
  if (ctx.input.CacheSubnetGroupDescription !== undefined)
    group.description = String(ctx.input.CacheSubnetGroupDescription);
  if (ctx.input.SubnetIds !== undefined) {
    const ids = validSubnets(ctx.input.SubnetIds);
    const zones = assignZones(group, ctx.region, ids);
    checkSubnetsInUse(group, clustersIn(cloud, group.name), zones);
    // The group stays in its VPC: the subnets given are taken to be in it, as AWS requires.
    group.subnetIds = ids;
    group.subnetZones = zones;
  }
  cloud.save();
  return { CacheSubnetGroup: renderSubnetGroup(group) };
}

function remove(cloud: Cloud, ctx: RequestContext): Record<string, unknown> {
  const group = get(cloud, ctx.input.CacheSubnetGroupName);
  if (inUse(cloud, group.name)) {
    throw fault(
      "CacheSubnetGroupInUse",
      `Cache subnet group ${group.name} is in use by a cache cluster or replication group.`,
    );
  }
  delete cloud.state.subnetGroups[group.name];
  delete cloud.state.tags[group.arn];
  cloud.event("cache-subnet-group", group.name, "Cache subnet group deleted");
  cloud.save();
  return {};
}

export function subnetGroupHandlers(cloud: Cloud): Record<string, Handler> {
  return {
    CreateCacheSubnetGroup: async (ctx) => create(cloud, ctx),
    DescribeCacheSubnetGroups: async (ctx) => describe(cloud, ctx),
    ModifyCacheSubnetGroup: async (ctx) => modify(cloud, ctx),
    DeleteCacheSubnetGroup: async (ctx) => remove(cloud, ctx),
  };
}
