// Cache parameter groups as the rest of the API side sees them: the default groups of every family
// (from the catalog, read-only), the stored custom groups, and the values in effect in a group.
import { invalidCombination } from "../protocol/errors.ts";
import type { CacheClusterRecord, ParameterGroupRecord } from "../state/records.ts";
import type { Cloud } from "./cloud.ts";
import { fault } from "./faults.ts";
import { familyDefaults, knownFamilies, type ParameterDefinition } from "./parameters/catalog.ts";

const clusterOnSuffix = ".cluster.on";

/** A parameter group as the handlers see it: a stored custom group or one of the catalog's defaults. */
export interface ParameterGroup {
  name: string;
  family: string;
  description: string;
  isDefault: boolean;
  /** Values that differ from the family's defaults (user values; cluster-enabled=yes for *.cluster.on). */
  values: Record<string, string>;
}

export function defaultGroups(): ParameterGroup[] {
  return knownFamilies().flatMap((family) => {
    const base: ParameterGroup = {
      name: `default.${family}`,
      family,
      description: `Default parameter group for ${family}`,
      isDefault: true,
      values: {},
    };
    if (family.startsWith("memcached")) return [base];
    return [
      base,
      {
        ...base,
        name: `default.${family}${clusterOnSuffix}`,
        description: `Customized default parameter group for ${family} with cluster mode on`,
        values: { "cluster-enabled": "yes" },
      },
    ];
  });
}

export function fromRecord(r: ParameterGroupRecord): ParameterGroup {
  return { name: r.name, family: r.family, description: r.description, isDefault: false, values: r.values };
}

export function findParameterGroup(cloud: Cloud, name: unknown): ParameterGroup | undefined {
  const wanted = String(name ?? "");
  const custom = cloud.state.parameterGroups[wanted.toLowerCase()];
  if (custom) return fromRecord(custom);
  return defaultGroups().find((g) => g.name === wanted);
}

export function getParameterGroup(cloud: Cloud, name: unknown): ParameterGroup {
  const g = findParameterGroup(cloud, name);
  if (g === undefined)
    throw fault("CacheParameterGroupNotFoundFault", `CacheParameterGroup ${String(name)} not found.`);
  return g;
}

/** Every parameter of the group with its value in effect (the group's value, else the default). */
export function effectiveParameters(group: ParameterGroup): (ParameterDefinition & { Source: string })[] {
  return (familyDefaults(group.family) ?? []).map((d) => {
    const value = group.values[d.ParameterName];
    return value === undefined
      ? { ...d, Source: "system" }
      : { ...d, ParameterValue: value, Source: group.isDefault ? "system" : "user" };
  });
}

export function effectiveValue(group: ParameterGroup, name: string): string | undefined {
  return (
    group.values[name] ?? familyDefaults(group.family)?.find((d) => d.ParameterName === name)?.ParameterValue
  );
}

/** Cluster mode as AWS decides it from a group: its cluster-enabled parameter. */
export function groupEnablesClusterMode(group: ParameterGroup): boolean {
  return effectiveValue(group, "cluster-enabled") === "yes";
}

/** The cache clusters (standalone and replication group members) that use a group. */
export function clustersUsing(cloud: Cloud, name: string): CacheClusterRecord[] {
  return Object.values(cloud.state.clusters).filter((c) => c.parameterGroupName === name);
}

/** Every parameter's value in effect in the group, by name. */
export function effectiveValues(group: ParameterGroup): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of effectiveParameters(group))
    if (p.ParameterValue !== undefined) values[p.ParameterName] = p.ParameterValue;
  return values;
}

/**
 * The group named on Create/Modify CacheCluster or ReplicationGroup: it must exist and be of the
 * engine version's family, as AWS requires.
 */
export function compatibleGroup(
  cloud: Cloud,
  name: unknown,
  family: string,
  engineVersion: string,
): ParameterGroup {
  const group = getParameterGroup(cloud, name);
  if (group.family !== family) {
    throw invalidCombination(
      `Cache parameter group ${group.name} is of family ${group.family}, but engine version ${engineVersion} needs a ${family} parameter group.`,
    );
  }
  return group;
}
