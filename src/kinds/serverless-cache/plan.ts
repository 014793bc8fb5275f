// The serverless cache's next action (pure): create it; wait while AWS creates or modifies it;
// upgrade its major engine version (a ModifyServerlessCache of its own); send every other
// difference (description, usage limits, security groups, snapshot settings, user group) in one
// ModifyServerlessCache; or nothing. Engine and subnets cannot change: a difference is reported.
import type { Decision, ManagedObserved, PlanInput, Reference } from "../../runtime/kind.ts";
import type { ServerlessCacheSpec, UsageLimits } from "./schema.ts";

export interface Endpoint {
  address: string;
  port: number;
}

export interface ObservedServerlessCache extends ManagedObserved {
  status: string;
  engine: string;
  majorEngineVersion?: string;
  fullEngineVersion?: string;
  description: string;
  usageLimits?: UsageLimits;
  securityGroupIDs: string[];
  subnetIDs: string[];
  userGroupID?: string;
  dailySnapshotTime?: string;
  snapshotRetentionLimit?: number;
  endpoint?: Endpoint;
  readerEndpoint?: Endpoint;
}

/** What one ModifyServerlessCache changes (only the fields that differ). */
export interface ServerlessChanges {
  description?: string;
  cacheUsageLimits?: UsageLimits;
  securityGroupIDs?: string[];
  dailySnapshotTime?: string;
  snapshotRetentionLimit?: number;
  userGroupID?: string;
  removeUserGroup?: true;
}

export type ServerlessCacheAction =
  | { type: "create"; userGroupID?: string }
  | { type: "upgrade"; majorEngineVersion: string }
  | { type: "modify"; changes: ServerlessChanges }
  | { type: "delete" };

export function serverlessCacheReferences(spec: ServerlessCacheSpec): Reference[] {
  if (spec.userGroupID === undefined) return [];
  return [
    {
      kind: "ElastiCacheUserGroup",
      name: spec.userGroupID,
      awsName: spec.userGroupID,
      field: "spec.userGroupID",
    },
  ];
}

const sorted = (list: string[]) => [...list].sort();
const sameList = (a: string[], b: string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** Usage limits with only the bounds given (and the unit only with a bound), for comparison. */
export function normalLimits(limits: UsageLimits | undefined): UsageLimits {
  const out: UsageLimits = {};
  const d = limits?.dataStorage;
  if (d && (d.maximum !== undefined || d.minimum !== undefined))
    out.dataStorage = {
      ...(d.maximum !== undefined ? { maximum: d.maximum } : {}),
      ...(d.minimum !== undefined ? { minimum: d.minimum } : {}),
      unit: "GB",
    };
  const e = limits?.ecpuPerSecond;
  if (e && (e.maximum !== undefined || e.minimum !== undefined))
    out.ecpuPerSecond = {
      ...(e.maximum !== undefined ? { maximum: e.maximum } : {}),
      ...(e.minimum !== undefined ? { minimum: e.minimum } : {}),
    };
  return out;
}

/** The fields of the spec that AWS has otherwise (fields the spec leaves out are not managed). */
export function changesOf(
  spec: ServerlessCacheSpec,
  observed: ObservedServerlessCache,
  userGroupID: string | undefined,
  appliedUserGroupID: string | undefined,
): ServerlessChanges {
  const c: ServerlessChanges = {};
  if (spec.description !== undefined && spec.description !== observed.description)
    c.description = spec.description;
  if (spec.cacheUsageLimits !== undefined) {
    const wanted = normalLimits(spec.cacheUsageLimits);
    if (JSON.stringify(wanted) !== JSON.stringify(normalLimits(observed.usageLimits)))
      c.cacheUsageLimits = wanted;
  }
  if (spec.securityGroupIDs !== undefined && !sameList(spec.securityGroupIDs, observed.securityGroupIDs))
    c.securityGroupIDs = spec.securityGroupIDs;
  if (spec.dailySnapshotTime !== undefined && spec.dailySnapshotTime !== observed.dailySnapshotTime)
    c.dailySnapshotTime = spec.dailySnapshotTime;
  if (
    spec.snapshotRetentionLimit !== undefined &&
    spec.snapshotRetentionLimit !== observed.snapshotRetentionLimit
  )
    c.snapshotRetentionLimit = spec.snapshotRetentionLimit;
  if (userGroupID !== undefined && userGroupID !== observed.userGroupID) c.userGroupID = userGroupID;
  // Only the user group this object set is removed: one found on an adopted cache stays (removing
  // it would let any client in).
  if (
    userGroupID === undefined &&
    observed.userGroupID !== undefined &&
    observed.userGroupID === appliedUserGroupID
  )
    c.removeUserGroup = true;
  return c;
}

/** What a change list says in a message ("usage limits, description"). */
function changeWords(c: ServerlessChanges): string {
  const words: string[] = [];
  if (c.description !== undefined) words.push("description");
  if (c.cacheUsageLimits !== undefined) words.push("usage limits");
  if (c.securityGroupIDs !== undefined) words.push(`security groups ${c.securityGroupIDs.join(", ")}`);
  if (c.dailySnapshotTime !== undefined) words.push(`daily snapshot time ${c.dailySnapshotTime}`);
  if (c.snapshotRetentionLimit !== undefined)
    words.push(`snapshot retention ${c.snapshotRetentionLimit} days`);
  if (c.userGroupID !== undefined) words.push(`user group ${c.userGroupID}`);
  if (c.removeUserGroup) words.push("removing its user group");
  return words.join(", ");
}

export function planServerlessCache({
  spec,
  observed,
  resolved,
  status,
}: PlanInput<ServerlessCacheSpec, ObservedServerlessCache>): Decision<ServerlessCacheAction> {
  const what = `serverless cache ${spec.serverlessCacheName}`;
  const userGroupID = spec.userGroupID === undefined ? undefined : (resolved[0] ?? spec.userGroupID);
  if (observed === undefined)
    return {
      type: "act",
      action: { type: "create", ...(userGroupID !== undefined ? { userGroupID } : {}) },
      reason: "Creating",
      message: `creating ${what} (${spec.engine})`,
    };
  if (observed.status === "create-failed")
    return {
      type: "invalid",
      reason: "CreateFailed",
      message: `AWS failed to create ${what} (status create-failed): check its subnets, security groups and user group, then delete this object and create it again`,
    };
  if (observed.busy)
    return {
      type: "wait",
      reason: observed.status === "creating" ? "Creating" : "Modifying",
      message: `${what} is ${observed.status} in AWS`,
    };
  if (observed.engine !== spec.engine)
    return {
      type: "invalid",
      reason: "EngineMismatch",
      message: `${what} exists in AWS with engine ${observed.engine}, not ${spec.engine}: set spec.engine to ${observed.engine} or choose another serverlessCacheName`,
    };
  if (spec.subnetIDs !== undefined && !sameList(spec.subnetIDs, observed.subnetIDs))
    return {
      type: "invalid",
      reason: "SubnetsMismatch",
      message: `${what} is in subnets ${observed.subnetIDs.join(", ")} in AWS, not ${spec.subnetIDs.join(", ")}: subnets cannot change; set spec.subnetIDs to AWS's or choose another serverlessCacheName`,
    };
  const version = spec.majorEngineVersion;
  if (version !== undefined && observed.majorEngineVersion !== undefined) {
    const have = Number(observed.majorEngineVersion);
    const want = Number(version);
    if (want < have)
      return {
        type: "invalid",
        reason: "VersionDowngrade",
        message: `${what} runs ${spec.engine} ${observed.majorEngineVersion}; spec.majorEngineVersion ${version} would go down, which AWS cannot do: set it to ${observed.majorEngineVersion} or higher`,
      };
    if (want > have)
      return {
        type: "act",
        action: { type: "upgrade", majorEngineVersion: version },
        reason: "Upgrading",
        message: `${what}: upgrading ${spec.engine} ${observed.majorEngineVersion} to ${version}`,
      };
  }
  const applied = typeof status.appliedUserGroupID === "string" ? status.appliedUserGroupID : undefined;
  const changes = changesOf(spec, observed, userGroupID, applied);
  if (Object.keys(changes).length > 0)
    return {
      type: "act",
      action: { type: "modify", changes },
      reason: "Modifying",
      message: `${what}: setting ${changeWords(changes)}`,
    };
  if (observed.endpoint === undefined)
    return { type: "wait", reason: "Waiting", message: `${what} has no endpoint in AWS yet` };
  const notes: string[] = [];
  if (userGroupID === undefined && observed.userGroupID !== undefined)
    notes.push(`it keeps user group ${observed.userGroupID}, which this object did not set`);
  const base = `${what} is available at ${observed.endpoint.address}:${observed.endpoint.port}`;
  return { type: "ready", message: notes.length === 0 ? base : `${base}; ${notes.join("; ")}` };
}

/** The user group this object has set after `action` (the one a later removal removes). */
export function appliedUserGroupAfter(
  action: ServerlessCacheAction,
  applied: string | undefined,
): string | undefined {
  if (action.type === "create") return action.userGroupID;
  if (action.type === "modify" && action.changes.userGroupID !== undefined) return action.changes.userGroupID;
  if (action.type === "modify" && action.changes.removeUserGroup) return undefined;
  return applied;
}
