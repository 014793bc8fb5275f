// ElastiCacheParameterGroup on the runtime: create, set changed parameters, reset removed ones,
// delete. AWS applies a change to the caches using the group: immediate parameters live,
// requires-reboot ones when a cache reboots (status.pendingReboot lists the caches waiting).
import {
  CreateCacheParameterGroupCommand,
  DeleteCacheParameterGroupCommand,
  ModifyCacheParameterGroupCommand,
  ResetCacheParameterGroupCommand,
} from "@aws-sdk/client-elasticache";
import { tagList } from "../../runtime/elasticache-api.ts";
import type { ManagedKind } from "../../runtime/kind.ts";
import { parseSpecWith } from "../../runtime/parse-spec.ts";
import { type ObservedParameterGroup, observeParameterGroup } from "./observe.ts";
import { appliedAfter, type ParameterGroupAction, planParameterGroup } from "./plan.ts";
import { type ParameterGroupSpec, parameterGroupDefinition, parameterGroupSpec } from "./schema.ts";

const appliedOf = (status: Record<string, unknown>): string[] =>
  Array.isArray(status.appliedParameters) ? (status.appliedParameters as string[]) : [];

export const parameterGroupKind: ManagedKind<
  ParameterGroupSpec,
  ObservedParameterGroup,
  ParameterGroupAction
> = {
  definition: parameterGroupDefinition,
  parseSpec: parseSpecWith(parameterGroupSpec, "ElastiCacheParameterGroup"),
  awsName: (spec) => spec.parameterGroupName,
  describe: (spec) => `parameter group ${spec.parameterGroupName}`,

  observe: (api, spec) => observeParameterGroup(api, spec.parameterGroupName),

  plan: ({ spec, observed, status }) => planParameterGroup(spec, observed, appliedOf(status)),

  deleteAction: () => ({ type: "delete" }),

  async act(api, action, { spec, tags }) {
    const name = spec.parameterGroupName;
    switch (action.type) {
      case "create":
        await api.send(
          new CreateCacheParameterGroupCommand({
            CacheParameterGroupName: name,
            CacheParameterGroupFamily: spec.family,
            Description: spec.description,
            Tags: tagList(tags),
          }),
        );
        return;
      case "modify":
        await api.send(
          new ModifyCacheParameterGroupCommand({
            CacheParameterGroupName: name,
            ParameterNameValues: action.parameters.map((p) => ({
              ParameterName: p.name,
              ParameterValue: p.value,
            })),
          }),
        );
        return;
      case "reset":
        await api.send(
          new ResetCacheParameterGroupCommand({
            CacheParameterGroupName: name,
            ParameterNameValues: action.names.map((n) => ({ ParameterName: n })),
          }),
        );
        return;
      case "delete":
        await api.send(new DeleteCacheParameterGroupCommand({ CacheParameterGroupName: name }));
    }
  },

  status(observed) {
    if (observed === undefined) return {};
    return {
      family: observed.family,
      description: observed.description,
      parameters: observed.parameters,
      requiresRebootParameters: observed.requiresReboot,
      caches: observed.caches,
      pendingReboot: observed.caches
        .filter((c) => c.parameterApplyStatus === "pending-reboot")
        .map((c) => c.cacheClusterID),
    };
  },

  remember: (action, { spec, status }) => ({
    appliedParameters: appliedAfter(action, spec, appliedOf(status)),
  }),
};
