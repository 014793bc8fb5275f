// Keeping the engines' ACL users in step with ElastiCache RBAC: the users of the user group attached
// to a replication group (or serverless cache) are the ACL users of every node behind it. Nodes get them at
// every start (create, scaling, reboot, local-cloud restart) and live on every change (ModifyUser,
// ModifyUserGroup, DeleteUser, attach/detach on ModifyReplicationGroup).
import type { AclUser } from "../engines/contract.ts";
import type {
  CacheClusterRecord,
  ReplicationGroupRecord,
  ServerlessCacheRecord,
  UserRecord,
} from "../state/records.ts";
import { accessRules } from "./access-string.ts";
import type { Cloud } from "./cloud.ts";

export function aclUserOf(user: UserRecord): AclUser {
  const passwords = user.authType === "no-password" ? ["nopass"] : user.passwordHashes.map((h) => `#${h}`);
  return { name: user.name, rules: [...accessRules(user.accessString), ...passwords] };
}

/** The ACL users of the given user groups (users being deleted are gone already). */
export function aclUsersOfGroups(cloud: Cloud, userGroupIds: readonly string[]): AclUser[] {
  const users = new Map<string, AclUser>();
  for (const groupId of userGroupIds) {
    for (const userId of cloud.state.userGroups[groupId]?.userIds ?? []) {
      const user = cloud.state.users[userId];
      if (user && user.status !== "deleting") users.set(user.name, aclUserOf(user));
    }
  }
  return [...users.values()];
}

/** What a member cluster's nodes start with: its replication group's users, or none. */
export function aclUsersForCluster(cloud: Cloud, cluster: CacheClusterRecord): AclUser[] {
  const rg = cluster.replicationGroupId
    ? cloud.state.replicationGroups[cluster.replicationGroupId]
    : undefined;
  return aclUsersOfGroups(cloud, rg?.userGroupIds ?? []);
}

function engineNodesOf(cloud: Cloud, rg: ReplicationGroupRecord): string[] {
  return rg.nodeGroups
    .flatMap((g) => g.members)
    .flatMap((m) => cloud.state.clusters[m]?.nodes ?? [])
    .filter((n) => n.port !== undefined)
    .map((n) => n.engineNodeId);
}

/** Pushes a replication group's current ACL users to all of its running nodes. */
export async function pushAclUsers(cloud: Cloud, rg: ReplicationGroupRecord): Promise<void> {
  const users = aclUsersOfGroups(cloud, rg.userGroupIds ?? []);
  await Promise.all(engineNodesOf(cloud, rg).map((id) => cloud.engines.setAclUsers(id, users)));
}

export function groupsUsingUserGroup(cloud: Cloud, userGroupId: string): ReplicationGroupRecord[] {
  return Object.values(cloud.state.replicationGroups).filter((rg) => rg.userGroupIds?.includes(userGroupId));
}

export function serverlessUsingUserGroup(cloud: Cloud, userGroupId: string): ServerlessCacheRecord[] {
  return Object.values(cloud.state.serverlessCaches).filter((c) => c.userGroupId === userGroupId);
}

/** Pushes a serverless cache's current ACL users to its running engines. */
export async function pushServerlessAclUsers(cloud: Cloud, cache: ServerlessCacheRecord): Promise<void> {
  if (cache.engine === "memcached") return;
  const users = aclUsersOfGroups(cloud, cache.userGroupId ? [cache.userGroupId] : []);
  const nodes = cache.nodes.filter((n) => n.port !== undefined);
  await Promise.all(nodes.map((n) => cloud.engines.setAclUsers(n.engineNodeId, users)));
}

/** Pushes the users of these user groups to every replication group and serverless cache using one. */
export async function pushUserGroups(cloud: Cloud, userGroupIds: readonly string[]): Promise<void> {
  const caches = new Set(userGroupIds.flatMap((id) => serverlessUsingUserGroup(cloud, id)));
  for (const cache of caches) {
    const wasAvailable = cache.status === "available";
    if (wasAvailable) cache.status = "modifying";
    try {
      await pushServerlessAclUsers(cloud, cache);
    } finally {
      if (wasAvailable && cache.status === "modifying") cache.status = "available";
    }
  }
  const groups = new Set(userGroupIds.flatMap((id) => groupsUsingUserGroup(cloud, id)));
  for (const rg of groups) {
    const wasAvailable = rg.status === "available";
    if (wasAvailable) rg.status = "modifying";
    try {
      await pushAclUsers(cloud, rg);
    } finally {
      if (wasAvailable && rg.status === "modifying") rg.status = "available";
    }
  }
}
