// Which Availability Zone each subnet of a cache subnet group is in, and the rule
// ModifyCacheSubnetGroup enforces while the group is in use: every zone where one of its clusters
// has a node keeps a subnet (AWS answers SubnetInUse for the subnet that would be taken away).
// There is no EC2 behind the local cloud: a subnet's zone is fixed when it joins the group, the
// region's zones in turn.
import type { CacheClusterRecord, SubnetGroupRecord } from "../state/records.ts";
import { parseElasticacheArn } from "./arn.ts";
import { fault } from "./faults.ts";
import { regionZones } from "./placement.ts";

function regionOf(group: SubnetGroupRecord): string {
  return parseElasticacheArn(group.arn)?.region ?? "us-east-1";
}

/** The group's subnet -> zone map (older records: the region's zones in turn, by position). */
export function subnetZonesOf(group: SubnetGroupRecord): Record<string, string> {
  const zones = regionZones(regionOf(group));
  return Object.fromEntries(
    group.subnetIds.map((id, i) => [id, group.subnetZones?.[id] ?? (zones[i % zones.length] as string)]),
  );
}

/** Zones for a new subnet list: kept subnets keep theirs, new ones take the zones in turn. */
export function assignZones(
  group: SubnetGroupRecord | undefined,
  region: string,
  subnetIds: string[],
): Record<string, string> {
  const current = group ? subnetZonesOf(group) : {};
  const zones = regionZones(region);
  return Object.fromEntries(
    subnetIds.map((id, i) => [id, current[id] ?? (zones[i % zones.length] as string)]),
  );
}

/** Refuses a new subnet list that would leave a node of `users` in a zone without a subnet. */
export function checkSubnetsInUse(
  group: SubnetGroupRecord,
  users: CacheClusterRecord[],
  nextZones: Record<string, string>,
): void {
  const kept = new Set(Object.values(nextZones));
  const current = subnetZonesOf(group);
  const covered = new Set(Object.values(current));
  for (const c of users) {
    for (const n of c.nodes) {
      const zone = n.availabilityZone ?? c.preferredAz;
      // Only a zone the change takes away counts (a node outside the group's zones is not the change's doing).
      if (kept.has(zone) || !covered.has(zone)) continue;
      const removed = Object.keys(current).find((id) => current[id] === zone && !(id in nextZones));
      throw fault(
        "SubnetInUse",
        `Subnet ${removed ?? `in ${zone}`} is in use by cache cluster ${c.id} (node ${n.cacheNodeId} in ${zone}); keep a subnet in ${zone} or move the cluster first.`,
      );
    }
  }
}
