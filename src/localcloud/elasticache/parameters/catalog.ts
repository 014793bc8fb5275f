// AWS's engine default parameters per parameter group family, kept as data (one JSON file per
// family, each naming where its values come from), and the checks ModifyCacheParameterGroup applies
// to a new value: known name, modifiable, the data type and AllowedValues.
import { invalidParameter } from "../../protocol/errors.ts";
import memcached16 from "./memcached1.6.json" with { type: "json" };
import redis6x from "./redis6.x.json" with { type: "json" };
import redis7 from "./redis7.json" with { type: "json" };
import valkey7 from "./valkey7.json" with { type: "json" };
import valkey8 from "./valkey8.json" with { type: "json" };

/** One parameter as DescribeEngineDefaultParameters answers it (the model's Parameter shape). */
export interface ParameterDefinition {
  ParameterName: string;
  ParameterValue?: string;
  Description: string;
  DataType: string;
  AllowedValues?: string;
  IsModifiable: boolean;
  MinimumEngineVersion: string;
  ChangeType: "immediate" | "requires-reboot";
}

/** A parameter whose default depends on the node type (CacheNodeTypeSpecificParameter). */
export interface NodeTypeSpecificDefinition {
  ParameterName: string;
  Description: string;
  Source: string;
  DataType: string;
  IsModifiable: boolean;
  MinimumEngineVersion: string;
  CacheNodeTypeSpecificValues: { CacheNodeType: string; Value: string }[];
  ChangeType: "immediate" | "requires-reboot";
}

interface FamilyFile {
  family: string;
  source: string;
  parameters: ParameterDefinition[];
  cacheNodeTypeSpecificParameters: NodeTypeSpecificDefinition[];
}

const families = new Map<string, FamilyFile>(
  ([redis6x, redis7, valkey7, valkey8, memcached16] as FamilyFile[]).map((f) => [f.family, f]),
);

export function knownFamilies(): string[] {
  return [...families.keys()];
}

/** The family's default parameters, or undefined for a family the local cloud does not offer. */
export function familyDefaults(family: string): ParameterDefinition[] | undefined {
  return families.get(family)?.parameters;
}

/** The family's node-type specific parameters (maxmemory, max_cache_memory, ...). */
export function familyNodeTypeDefaults(family: string): NodeTypeSpecificDefinition[] {
  return families.get(family)?.cacheNodeTypeSpecificParameters ?? [];
}

export function isMemcachedFamily(family: string): boolean {
  return family.startsWith("memcached");
}

/** AllowedValues such as `yes,no`, `1-75`, `0-`, `0,20-`, `-5,-4,-3,-2,-1,1-`, `1.01-2` or `-`. */
export function allowsValue(allowed: string, value: string, numeric: boolean): boolean {
  const number = Number(value);
  for (const token of allowed.split(",")) {
    if (token === value) return true;
    if (/^-?\d+(\.\d+)?$/.test(token)) continue; // an exact number such as -5, not a range
    const range = /^(-?\d+(?:\.\d+)?)?-(-?\d+(?:\.\d+)?)?$/.exec(token);
    if (range === null || !numeric || value.trim() === "" || Number.isNaN(number)) continue;
    const [, low, high] = range;
    if ((low === undefined || number >= Number(low)) && (high === undefined || number <= Number(high)))
      return true;
  }
  return false;
}

/** Throws AWS's InvalidParameterValue when `value` is not acceptable for `definition`. */
export function checkParameterValue(
  definition: ParameterDefinition | undefined,
  name: string,
  value: string,
) {
  if (definition === undefined) throw invalidParameter(`Unknown parameter: ${name}`);
  if (!definition.IsModifiable) throw invalidParameter(`Parameter ${name} is not modifiable.`);
  const type = definition.DataType;
  if (type === "integer" && !/^-?\d+$/.test(value))
    throw invalidParameter(`Invalid value for parameter ${name}: ${value} is not an integer.`);
  if (type === "float" && !/^-?\d+(\.\d+)?$/.test(value))
    throw invalidParameter(`Invalid value for parameter ${name}: ${value} is not a number.`);
  // rename-commands lists the commands that may be renamed, not the values it takes.
  const allowed = name === "rename-commands" ? undefined : definition.AllowedValues;
  if (allowed !== undefined && !allowsValue(allowed, value, type === "integer" || type === "float")) {
    throw invalidParameter(`Invalid value for parameter ${name}: ${value}; allowed values are: ${allowed}`);
  }
}
