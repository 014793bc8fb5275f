// Integration: ElastiCache RBAC on real engines through the AWS SDK v3 — users and user groups as
// real ACL users on every node of a TLS replication group, checked with redis-cli: a user's access
// string refuses what it does not grant, two passwords work at once, changes reach running nodes
// and survive a restart of the local cloud, and detaching the group gives the default user back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateReplicationGroupCommand,
  CreateUserCommand,
  CreateUserGroupCommand,
  DeleteReplicationGroupCommand,
  DeleteUserCommand,
  DeleteUserGroupCommand,
  DescribeUserGroupsCommand,
  DescribeUsersCommand,
  type ElastiCacheClient,
  ModifyReplicationGroupCommand,
  ModifyUserCommand,
  ModifyUserGroupCommand,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import {
  errorOf,
  redisCli,
  startTestCloud,
  type TestCloud,
  textUnder,
  waitFor,
  waitGroupAvailable,
} from "./testing/harness.ts";

let t: TestCloud;
let ec: ElastiCacheClient;

before(async () => {
  t = await startTestCloud();
  ec = t.elasticache();
});
after(async () => {
  await t?.stop();
});

// Test-only passwords; the test checks that none of them reaches the data dir or the log.
const adminPassword = "admin-password-0123456789";
const readerPassword = "reader-password-0123456789";
const readerSecond = "reader-password-second-987";
const passwords = [adminPassword, readerPassword, readerSecond];

async function userStatus(id: string): Promise<string | undefined> {
  const r = await ec.send(new DescribeUsersCommand({ UserId: id }));
  return r.Users?.[0]?.Status;
}
const waitUserActive = (id: string) =>
  waitFor(`user ${id} active`, async () => ((await userStatus(id)) === "active" ? true : undefined));
const waitUserGroupActive = (id: string) =>
  waitFor(`user group ${id} active`, async () => {
    const r = await ec.send(new DescribeUserGroupsCommand({ UserGroupId: id }));
    return r.UserGroups?.[0]?.Status === "active" ? r.UserGroups[0] : undefined;
  });

test("user and user group errors follow AWS", async () => {
  const noPassword = await errorOf(
    ec.send(
      new CreateUserCommand({
        UserId: "nopw",
        UserName: "nopw",
        Engine: "redis",
        AccessString: "on ~* +@all",
      }),
    ),
  );
  assert.equal(noPassword.code, "InvalidParameterValue");
  assert.match(noPassword.message, /NoPasswordRequired/);
  const passwordInAccess = await errorOf(
    ec.send(
      new CreateUserCommand({
        UserId: "bad",
        UserName: "bad",
        Engine: "redis",
        AccessString: "on >secretsecret ~* +@all",
        NoPasswordRequired: true,
      }),
    ),
  );
  assert.equal(passwordInAccess.code, "InvalidParameterValue");
  assert.doesNotMatch(passwordInAccess.message, /secretsecret/);
  const three = await errorOf(
    ec.send(
      new CreateUserCommand({
        UserId: "three",
        UserName: "three",
        Engine: "redis",
        AccessString: "on ~* +@all",
        Passwords: [adminPassword, readerPassword, readerSecond],
      }),
    ),
  );
  assert.equal(three.code, "InvalidParameterValue");

  await ec.send(
    new CreateUserCommand({
      UserId: "solo",
      UserName: "solo",
      Engine: "redis",
      AccessString: "on ~* +@all",
      NoPasswordRequired: true,
    }),
  );
  const again = await errorOf(
    ec.send(
      new CreateUserCommand({
        UserId: "solo",
        UserName: "solo2",
        Engine: "redis",
        AccessString: "on",
        NoPasswordRequired: true,
      }),
    ),
  );
  assert.equal(again.code, "UserAlreadyExists");
  const sameName = await errorOf(
    ec.send(
      new CreateUserCommand({
        UserId: "solo-two",
        UserName: "solo",
        Engine: "redis",
        AccessString: "on",
        NoPasswordRequired: true,
      }),
    ),
  );
  assert.equal(sameName.code, "DuplicateUserName");
  const noDefault = await errorOf(
    ec.send(new CreateUserGroupCommand({ UserGroupId: "no-default", Engine: "redis", UserIds: ["solo"] })),
  );
  assert.equal(noDefault.code, "DefaultUserRequired");
  const missingUser = await errorOf(
    ec.send(
      new CreateUserGroupCommand({ UserGroupId: "missing", Engine: "redis", UserIds: ["default", "ghost"] }),
    ),
  );
  assert.equal(missingUser.code, "UserNotFound");
  assert.equal((await errorOf(ec.send(new DescribeUsersCommand({ UserId: "ghost" })))).code, "UserNotFound");
  assert.equal(
    (await errorOf(ec.send(new DescribeUserGroupsCommand({ UserGroupId: "ghost" })))).code,
    "UserGroupNotFound",
  );

  // AWS's own default user exists in every account and cannot be changed.
  const builtin = (await ec.send(new DescribeUsersCommand({ UserId: "default" }))).Users?.[0];
  assert.equal(builtin?.UserName, "default");
  assert.equal(builtin?.Authentication?.Type, "no-password");
  assert.equal(builtin?.AccessString, "on ~* +@all");
  assert.equal(
    (await errorOf(ec.send(new DeleteUserCommand({ UserId: "default" })))).code,
    "InvalidParameterValue",
  );

  const group = await ec.send(
    new CreateUserGroupCommand({ UserGroupId: "plain", Engine: "redis", UserIds: ["default", "solo"] }),
  );
  assert.equal(group.Status, "creating");
  await waitUserGroupActive("plain");
  const removeDefault = await errorOf(
    ec.send(new ModifyUserGroupCommand({ UserGroupId: "plain", UserIdsToRemove: ["default"] })),
  );
  assert.equal(removeDefault.code, "DefaultUserRequired");
  const solo = (await ec.send(new DescribeUsersCommand({ UserId: "solo" }))).Users?.[0];
  assert.deepEqual(solo?.UserGroupIds, ["plain"]);
  assert.equal((await ec.send(new DeleteUserGroupCommand({ UserGroupId: "plain" }))).Status, "deleting");
  await waitFor("plain deleted", async () =>
    (await errorOf(ec.send(new DescribeUserGroupsCommand({ UserGroupId: "plain" })))).code ===
    "UserGroupNotFound"
      ? true
      : undefined,
  );
  await ec.send(new DeleteUserCommand({ UserId: "solo" }));
});

test("a user group's users are the ACL users of every node, enforced over redis-cli --tls", async () => {
  await ec.send(
    new CreateUserCommand({
      UserId: "app-default",
      UserName: "default",
      Engine: "redis",
      AccessString: "on ~* +@all",
      Passwords: [adminPassword],
    }),
  );
  const reader = await ec.send(
    new CreateUserCommand({
      UserId: "reader",
      UserName: "reader",
      Engine: "redis",
      AccessString: "on ~app:* -@all +get +ping",
      Passwords: [readerPassword],
    }),
  );
  assert.deepEqual(reader.Authentication, { Type: "password", PasswordCount: 1 });
  await ec.send(
    new CreateUserGroupCommand({
      UserGroupId: "app-users",
      Engine: "redis",
      UserIds: ["app-default", "reader"],
    }),
  );
  const noTls = await errorOf(
    ec.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "rbac",
        ReplicationGroupDescription: "d",
        CacheNodeType: "cache.t3.micro",
        UserGroupIds: ["app-users"],
      }),
    ),
  );
  assert.equal(noTls.code, "InvalidParameterCombination");
  await waitUserGroupActive("app-users");
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "rbac",
      ReplicationGroupDescription: "RBAC group",
      CacheNodeType: "cache.t3.micro",
      NumCacheClusters: 2,
      TransitEncryptionEnabled: true,
      UserGroupIds: ["app-users"],
    }),
  );
  let g: ReplicationGroup = await waitGroupAvailable(ec, "rbac");
  assert.deepEqual(g.UserGroupIds, ["app-users"]);
  const inUse = await errorOf(ec.send(new DeleteUserGroupCommand({ UserGroupId: "app-users" })));
  assert.equal(inUse.code, "InvalidUserGroupState");
  const ug = await waitUserGroupActive("app-users");
  assert.deepEqual(ug.ReplicationGroups, ["rbac"]);

  const ports = (g.NodeGroups?.[0]?.NodeGroupMembers ?? []).map((m) => m.ReadEndpoint?.Port as number);
  assert.equal(ports.length, 2);
  const primaryPort = g.NodeGroups?.[0]?.PrimaryEndpoint?.Port as number;
  const cli = (port: number, user: string | undefined, password: string | undefined, args: string[]) =>
    redisCli(
      ["-p", String(port), "--tls", "--cacert", t.cloud.caFile, ...(user ? ["--user", user] : []), ...args],
      password,
    );

  for (const port of ports) {
    assert.match(
      cli(port, undefined, undefined, ["PING"]),
      /NOAUTH/,
      "the group's default user needs its password",
    );
    assert.equal(cli(port, "reader", readerPassword, ["PING"]), "PONG");
    assert.match(cli(port, "reader", "wrong-password-0123456789", ["PING"]), /WRONGPASS|invalid/i);
  }
  assert.equal(cli(primaryPort, "default", adminPassword, ["SET", "app:greeting", "hello"]), "OK");
  assert.equal(cli(primaryPort, "reader", readerPassword, ["GET", "app:greeting"]), "hello");
  assert.match(cli(primaryPort, "reader", readerPassword, ["SET", "app:greeting", "bye"]), /NOPERM/);
  assert.match(cli(primaryPort, "reader", readerPassword, ["GET", "other:key"]), /NOPERM/);

  // ModifyUser reaches the running nodes: SET granted, and two passwords accepted at once.
  const modified = await ec.send(
    new ModifyUserCommand({
      UserId: "reader",
      AppendAccessString: "+set",
      Passwords: [readerPassword, readerSecond],
    }),
  );
  assert.equal(modified.Status, "modifying");
  assert.equal(modified.AccessString, "on ~app:* -@all +get +ping +set");
  await waitUserActive("reader");
  assert.equal(cli(primaryPort, "reader", readerPassword, ["SET", "app:greeting", "bye"]), "OK");
  for (const port of ports) assert.equal(cli(port, "reader", readerSecond, ["PING"]), "PONG");
  const described = (await ec.send(new DescribeUsersCommand({ UserId: "reader" }))).Users?.[0];
  assert.deepEqual(described?.Authentication, { Type: "password", PasswordCount: 2 });

  // A user added to the group appears on the nodes; after a restart of the local cloud all still hold.
  await ec.send(
    new CreateUserCommand({
      UserId: "writer",
      UserName: "writer",
      Engine: "redis",
      AccessString: "on ~* +@write +@connection",
      NoPasswordRequired: true,
    }),
  );
  const adding = await ec.send(
    new ModifyUserGroupCommand({ UserGroupId: "app-users", UserIdsToAdd: ["writer"] }),
  );
  assert.deepEqual(adding.PendingChanges?.UserIdsToAdd, ["writer"]);
  await waitUserGroupActive("app-users");
  assert.equal(cli(primaryPort, "writer", "anything-at-all-here", ["SET", "k", "v"]), "OK");
  await t.restart();
  ec = t.elasticache();
  g = await waitGroupAvailable(ec, "rbac");
  assert.match(cli(primaryPort, undefined, undefined, ["PING"]), /NOAUTH/);
  assert.match(cli(primaryPort, "reader", readerSecond, ["FLUSHALL"]), /NOPERM/);
  assert.equal(cli(primaryPort, "reader", readerSecond, ["GET", "app:greeting"]), "bye");

  // Deleting a user removes it from its groups and from the engines.
  await ec.send(new DeleteUserCommand({ UserId: "writer" }));
  await waitFor("writer deleted", async () =>
    (await errorOf(ec.send(new DescribeUsersCommand({ UserId: "writer" })))).code === "UserNotFound"
      ? true
      : undefined,
  );
  assert.match(cli(primaryPort, "writer", "anything-at-all-here", ["PING"]), /WRONGPASS|invalid/i);
  const inGroup = await errorOf(ec.send(new DeleteUserCommand({ UserId: "app-default" })));
  assert.equal(inGroup.code, "DefaultUserAssociatedToUserGroup");

  // Detaching the group: the engine's default user is open again, the group's users are gone.
  const detaching = await ec.send(
    new ModifyReplicationGroupCommand({ ReplicationGroupId: "rbac", UserGroupIdsToRemove: ["app-users"] }),
  );
  assert.deepEqual(detaching.ReplicationGroup?.PendingModifiedValues?.UserGroups?.UserGroupIdsToRemove, [
    "app-users",
  ]);
  g = await waitGroupAvailable(ec, "rbac");
  assert.deepEqual(g.UserGroupIds, []);
  for (const port of ports) {
    assert.equal(cli(port, undefined, undefined, ["PING"]), "PONG");
    assert.match(cli(port, "reader", readerPassword, ["PING"]), /WRONGPASS|invalid/i);
  }

  // Moving to an AUTH token and back to the user group, as AWS documents it: the token strategy and
  // the user group change go in one ModifyReplicationGroup.
  const token = "auth-token-between-rbac-01";
  passwords.push(token);
  await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "rbac",
      AuthToken: token,
      AuthTokenUpdateStrategy: "SET",
    }),
  );
  await waitGroupAvailable(ec, "rbac");
  assert.equal(cli(primaryPort, undefined, token, ["PING"]), "PONG");
  const mixed = await errorOf(
    ec.send(
      new ModifyReplicationGroupCommand({ ReplicationGroupId: "rbac", UserGroupIdsToAdd: ["app-users"] }),
    ),
  );
  assert.equal(mixed.code, "InvalidParameterCombination");
  await ec.send(
    new ModifyReplicationGroupCommand({
      ReplicationGroupId: "rbac",
      AuthTokenUpdateStrategy: "DELETE",
      UserGroupIdsToAdd: ["app-users"],
    }),
  );
  g = await waitGroupAvailable(ec, "rbac");
  assert.equal(g.AuthTokenEnabled, false);
  assert.deepEqual(g.UserGroupIds, ["app-users"]);
  for (const port of ports) {
    assert.match(cli(port, undefined, token, ["PING"]), /WRONGPASS|invalid/i);
    assert.equal(cli(port, "reader", readerSecond, ["GET", "app:greeting"]), "bye");
  }

  // No password was written to the data dir or the log.
  const onDisk = textUnder(t.dataDir);
  const logged = t.log.join("\n");
  for (const p of passwords) {
    assert.ok(!onDisk.includes(p), "a password is stored in clear text under the data dir");
    assert.ok(!logged.includes(p), "a password is in the local cloud's log");
  }
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "rbac" }));
});
