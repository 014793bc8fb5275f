// ElastiCacheParameterGroup manifests the API server must refuse, with the field and message
// (part of the invalid-input table, src/api/invalid-cases.ts).
import { type InvalidRow, manifestOf } from "../../api/invalid-row.ts";

const group = (name: string, spec: Record<string, unknown>) =>
  manifestOf("ElastiCacheParameterGroup", name, {
    providerRef: { name: "localstack" },
    parameterGroupName: name,
    family: "redis7",
    description: "invalid test group",
    ...spec,
  });

// [case name, manifest, field, message]
export const parameterGroupInvalidRows: InvalidRow[] = [
  [
    "parameter group name in upper case",
    group("pg1", { parameterGroupName: "App-Params" }),
    "spec.parameterGroupName",
    "parameterGroupName must be lower-case letters, digits and hyphens",
  ],
  [
    "parameter group name with two consecutive hyphens",
    group("pg2", { parameterGroupName: "app--params" }),
    "spec.parameterGroupName",
    "neither two consecutive hyphens nor a trailing hyphen",
  ],
  [
    "parameter group family not a family",
    group("pg3", { family: "redis-7.1" }),
    "spec.family",
    "family must be a cache parameter group family such as redis7",
  ],
  [
    "parameter group parameter with an empty name",
    group("pg4", { parameters: { "": "allkeys-lru" } }),
    "spec.parameters",
    "parameters names must not be empty",
  ],
  [
    "parameter group parameter value not a string",
    group("pg5", { parameters: { "maxmemory-samples": 5 } }),
    "spec.parameters.maxmemory-samples",
    "must be of type string",
  ],
  [
    "parameter group without description",
    group("pg6", { description: undefined }),
    "spec.description",
    "Required value",
  ],
];
