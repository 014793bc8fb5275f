// ElastiCacheSubnetGroup on the runtime: describe, create, modify in place (description, subnets), delete.
import {
  type CacheSubnetGroup,
  CreateCacheSubnetGroupCommand,
  DeleteCacheSubnetGroupCommand,
  DescribeCacheSubnetGroupsCommand,
  ModifyCacheSubnetGroupCommand,
} from "@aws-sdk/client-elasticache";
import { tagList } from "../../runtime/elasticache-api.ts";
import type { ManagedKind, ManagedObserved } from "../../runtime/kind.ts";
import { parseSpecWith } from "../../runtime/parse-spec.ts";
import { type SubnetGroupSpec, subnetGroupDefinition, subnetGroupSpec } from "./schema.ts";

export interface ObservedSubnetGroup extends ManagedObserved {
  description: string;
  subnetIDs: string[];
  vpcID?: string;
  zones: Record<string, string | undefined>;
}

type Action = { type: "create" } | { type: "modify" } | { type: "delete" };

export const subnetGroupKind: ManagedKind<SubnetGroupSpec, ObservedSubnetGroup, Action> = {
  definition: subnetGroupDefinition,
  parseSpec: parseSpecWith(subnetGroupSpec, "ElastiCacheSubnetGroup"),
  awsName: (spec) => spec.subnetGroupName,
  describe: (spec) => `subnet group ${spec.subnetGroupName}`,

  async observe(api, spec) {
    const out = await api.find<{ CacheSubnetGroups?: CacheSubnetGroup[] }>(
      new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: spec.subnetGroupName }),
    );
    // AWS keeps subnet group names in lower case.
    const name = spec.subnetGroupName.toLowerCase();
    const group = out?.CacheSubnetGroups?.find((g) => g.CacheSubnetGroupName?.toLowerCase() === name);
    if (group?.ARN === undefined) return undefined;
    const subnets = group.Subnets ?? [];
    return {
      arn: group.ARN,
      tags: await api.tags(group.ARN),
      description: group.CacheSubnetGroupDescription ?? "",
      subnetIDs: subnets.map((s) => s.SubnetIdentifier ?? "").sort(),
      vpcID: group.VpcId,
      zones: Object.fromEntries(
        subnets.map((s) => [s.SubnetIdentifier ?? "", s.SubnetAvailabilityZone?.Name]),
      ),
    };
  },

  plan({ spec, observed }) {
    const what = `subnet group ${spec.subnetGroupName}`;
    if (observed === undefined)
      return { type: "act", action: { type: "create" }, reason: "Creating", message: `creating ${what}` };
    const wanted = [...new Set(spec.subnetIDs)].sort();
    if (observed.description !== spec.description || wanted.join(",") !== observed.subnetIDs.join(","))
      return {
        type: "act",
        action: { type: "modify" },
        reason: "Modifying",
        message: `updating ${what} (description or subnets)`,
      };
    return { type: "ready", message: `${what} exists with the wanted subnets` };
  },

  deleteAction: () => ({ type: "delete" }),

  async act(api, action, { spec, tags }) {
    const name = spec.subnetGroupName;
    if (action.type === "create")
      await api.send(
        new CreateCacheSubnetGroupCommand({
          CacheSubnetGroupName: name,
          CacheSubnetGroupDescription: spec.description,
          SubnetIds: spec.subnetIDs,
          Tags: tagList(tags),
        }),
      );
    else if (action.type === "modify")
      await api.send(
        new ModifyCacheSubnetGroupCommand({
          CacheSubnetGroupName: name,
          CacheSubnetGroupDescription: spec.description,
          SubnetIds: spec.subnetIDs,
        }),
      );
    else await api.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: name }));
  },

  status(observed) {
    if (observed === undefined) return {};
    return {
      vpcID: observed.vpcID,
      subnets: observed.subnetIDs.map((id) => ({ subnetID: id, availabilityZone: observed.zones[id] })),
    };
  },
};
