// What the local cloud remembers of ElastiCache RBAC: users and user groups (Redis 6+ ACLs).
// A user's passwords are kept as SHA-256 hashes only: the engines take them as `#<hash>` rules,
// and AWS never gives a password back.

export interface UserRecord {
  /** Lower-cased UserId (AWS treats ids case-insensitively). */
  id: string;
  /** The engine login name; `default` replaces the engine's default user. */
  name: string;
  arn: string;
  region: string;
  accountId: string;
  engine: "redis" | "valkey";
  status: string;
  accessString: string;
  authType: "password" | "no-password";
  /** SHA-256 (hex) of each accepted password; at most two. */
  passwordHashes: string[];
}

export interface UserGroupRecord {
  id: string;
  arn: string;
  region: string;
  accountId: string;
  engine: "redis" | "valkey";
  status: string;
  userIds: string[];
  /** Changes being applied to the engines (ModifyUserGroup), shown as PendingChanges. */
  pending?: { add: string[]; remove: string[] };
}
