// ElastiCacheUserGroup manifests the API server must refuse (rows of src/api/invalid-cases.ts).
import { type InvalidRow, manifestOf } from "../../api/invalid-row.ts";

const group = (name: string, spec: Record<string, unknown>) =>
  manifestOf("ElastiCacheUserGroup", name, {
    providerRef: { name: "localstack" },
    userGroupID: "app-users",
    engine: "redis",
    ...spec,
  });

const cluster = (name: string, spec: Record<string, unknown>) =>
  manifestOf("ElastiCacheCluster", name, {
    providerRef: { name: "localstack" },
    clusterID: name,
    engine: "redis",
    engineVersion: "7.0",
    nodeType: "cache.t3.micro",
    userGroupIDs: ["app-users"],
    ...spec,
  });

export const userGroupInvalidRows: InvalidRow[] = [
  [
    "user group without members",
    group("ug1", {}),
    "spec.userIDs",
    "a user group needs members (userIDs or userRefs)",
  ],
  [
    "user group ID with an underscore",
    group("ug2", { userGroupID: "app_users", userIDs: ["default"] }),
    "spec.userGroupID",
    "userGroupID must be lower-case letters, digits and hyphens",
  ],
  [
    "user group member that is no user ID",
    group("ug3", { userIDs: ["default", "App User"] }),
    "spec.userIDs[1]",
    "userIDs entries must be user IDs",
  ],
  [
    "user group engine memcached",
    group("ug4", { engine: "memcached", userIDs: ["default"] }),
    "spec.engine",
    'Unsupported value: "memcached"',
  ],
  [
    "cluster userGroupIDs without TLS",
    cluster("ugc1", {}),
    "spec.userGroupIDs",
    "userGroupIDs requires transitEncryptionEnabled: true",
  ],
  [
    "cluster userGroupIDs with authTokenRef",
    cluster("ugc2", { transitEncryptionEnabled: true, authTokenRef: { name: "t", key: "token" } }),
    "spec.userGroupIDs",
    "userGroupIDs and authTokenRef exclude each other",
  ],
  [
    "cluster userGroupIDs with memcached",
    cluster("ugc3", { engine: "memcached", engineVersion: "1.6.22" }),
    "spec.userGroupIDs",
    "memcached has no users",
  ],
  [
    "cluster with two user groups",
    cluster("ugc4", { transitEncryptionEnabled: true, userGroupIDs: ["a", "b"] }),
    "spec.userGroupIDs",
    "must have at most 1 item",
  ],
];
