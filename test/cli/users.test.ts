// ElastiCacheUser and ElastiCacheUserGroup through the standalone CLI, on the local cloud's real
// engines: a folder with a password user (its password in a Secret document of the folder, as
// clusters' authTokenRef are read), a no-password default user, their user group and a TLS cluster
// naming the group is applied in one go; redis-cli AUTH as the user works over TLS and its access
// string is what the engine enforces; a changed password reaches the engine on the next apply; the
// password is never printed nor written to the state dir; delete -f DIR removes everything.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DescribeReplicationGroupsCommand, DescribeUsersCommand } from "@aws-sdk/client-elasticache";
import { adminUserName } from "../../src/localcloud/engines/admin-user.ts";
import { cli, cliWorkspace } from "./cli.ts";
import { cluster, provider, writeManifest } from "./manifests.ts";

// Test-only passwords (AWS's rule: 16 to 128 printable characters).
const FIRST = "cli-user-password-1a2b3c4d5e";
const SECOND = "cli-user-password-9f8e7d6c5b";

const secret = (password: string) => `apiVersion: v1
kind: Secret
metadata:
  name: cli-app-password
  namespace: default
stringData:
  password: ${password}
`;

const users = `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheUser
metadata:
  name: cli-app
spec:
  providerRef:
    name: local-test
  userID: cli-app
  userName: cli-app
  engine: redis
  accessString: on ~app:* +get +set
  passwordSecretRefs:
    - name: cli-app-password
      key: password
---
apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheUser
metadata:
  name: cli-default
spec:
  providerRef:
    name: local-test
  userID: cli-default
  userName: default
  engine: redis
  accessString: on ~public:* +get
  authenticationMode: no-password
---
apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheUserGroup
metadata:
  name: cli-users
spec:
  providerRef:
    name: local-test
  userGroupID: cli-users
  engine: redis
  userIDs: [cli-default]
  userRefs:
    - name: cli-app
`;

/** Every file of a directory tree as text (RDB files and the `skip` folder aside). */
function textUnder(dir: string, skip: string): string {
  let text = "";
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (path === skip) continue;
    if (statSync(path).isDirectory()) text += textUnder(path, skip);
    else if (!entry.endsWith(".rdb")) text += readFileSync(path, "latin1");
  }
  return text;
}

describe("standalone CLI, ElastiCacheUser and ElastiCacheUserGroup", () => {
  const { state, S, folder, aws } = cliWorkspace();
  const printed: string[] = [];
  const cloudInfo = () =>
    JSON.parse(readFileSync(join(state.dir, "local-cloud.json"), "utf8")) as {
      caFile: string;
      dataDir: string;
    };
  const primary = async () => {
    const out = await aws().send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "cli-rbac" }));
    const e = out.ReplicationGroups?.[0]?.NodeGroups?.[0]?.PrimaryEndpoint;
    return { address: e?.Address ?? "", port: e?.Port ?? 0 };
  };
  /** redis-cli over TLS as `user` (password in REDISCLI_AUTH, never in argv). */
  const redis = async (user: string | undefined, password: string | undefined, args: string[]) => {
    const e = await primary();
    const r = spawnSync(
      "redis-cli",
      [
        "-h",
        e.address,
        "-p",
        String(e.port),
        "--tls",
        "--cacert",
        cloudInfo().caFile,
        ...(user ? ["--user", user] : []),
        "--no-auth-warning",
        ...args,
      ],
      {
        encoding: "utf8",
        timeout: 15_000,
        env: { ...process.env, ...(password ? { REDISCLI_AUTH: password } : {}) },
      },
    );
    return `${r.stdout}${r.stderr}`.trim();
  };

  it("apply -f DIR makes the users, the group and the cluster; AUTH as the user works over TLS", async () => {
    writeManifest(
      folder,
      "a-cluster.yaml",
      cluster(
        "cli-rbac",
        "cli-rbac",
        'engine: redis\nengineVersion: "7.1"\nnodeType: cache.t3.micro\nreplicationGroupDescription: CLI users\nreplicasPerNodeGroup: 0\ntransitEncryptionEnabled: true\nuserGroupIDs: [cli-users]',
      ),
    );
    writeManifest(folder, "b-provider.yaml", provider("local-test"));
    writeManifest(folder, "c-secret.yaml", secret(FIRST));
    writeManifest(folder, "d-users.yaml", users);
    const applied = await cli(["apply", ...S, "-f", folder, "--timeout", "4m"], {}, 300_000);
    printed.push(applied.stdout, applied.stderr);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /elasticacheuser\/cli-app: Ready/);
    assert.match(applied.stdout, /elasticacheusergroup\/cli-users: Ready/);

    assert.equal(await redis("cli-app", FIRST, ["SET", "app:x", "hello"]), "OK");
    assert.equal(await redis("cli-app", FIRST, ["GET", "app:x"]), "hello");
    assert.match(await redis("cli-app", FIRST, ["GET", "other"]), /NOPERM/);
    assert.match(await redis("cli-app", "wrong-password-0123456789", ["PING"]), /WRONGPASS/);
    assert.match(await redis(undefined, undefined, ["GET", "app:x"]), /NOPERM/);

    // What the engine holds for the access string "on ~app:* +get +set": ElastiCache's rules after
    // a reset (no other command, no channel), the password only as its SHA-256.
    const admin = readFileSync(join(cloudInfo().dataDir, "engine-admin.secret"), "utf8").trim();
    const acl = await redis(adminUserName, admin, ["ACL", "GETUSER", "cli-app"]);
    const lines = acl.split("\n");
    const field = (name: string) => lines[lines.indexOf(name) + 1] ?? "";
    assert.deepEqual(field("commands").split(" ").sort(), ["+get", "+set", "-@all"], acl);
    assert.equal(field("keys"), "~app:*");
    assert.equal(field("channels"), "", "no channel (resetchannels)");
    assert.ok(!acl.includes(FIRST), "the engine shows the password");

    const status = JSON.parse((await cli(["get", "ecuser", "cli-app", "-o", "json", ...S])).stdout) as {
      status: { passwordFingerprints?: string[]; passwordCount?: number };
    };
    assert.match(String(status.status.passwordFingerprints?.[0]), /^hmac-sha256:/);
    assert.equal(status.status.passwordCount, 1);
  });

  it("a changed password in the Secret document reaches the engine on the next apply", async () => {
    writeManifest(folder, "c-secret.yaml", secret(SECOND));
    const plan = await cli(["plan", ...S, "-f", folder]);
    printed.push(plan.stdout, plan.stderr);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /~ ElastiCacheUser default\/cli-app/);
    const applied = await cli(["apply", ...S, "-f", folder, "--timeout", "3m"], {}, 240_000);
    printed.push(applied.stdout, applied.stderr);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.equal(await redis("cli-app", SECOND, ["GET", "app:x"]), "hello");
    assert.match(await redis("cli-app", FIRST, ["GET", "app:x"]), /WRONGPASS/);
    const user = (await aws().send(new DescribeUsersCommand({ UserId: "cli-app" }))).Users?.[0];
    assert.deepEqual(user?.Authentication, { Type: "password", PasswordCount: 1 });
  });

  it("never prints a password nor writes one to the state dir; delete -f DIR removes everything", async () => {
    const deleted = await cli(["delete", ...S, "-f", folder, "--timeout", "4m"], {}, 300_000);
    printed.push(deleted.stdout, deleted.stderr);
    assert.equal(deleted.code, 0, deleted.stderr + deleted.stdout);
    await assert.rejects(aws().send(new DescribeUsersCommand({ UserId: "cli-app" })), /UserNotFound/);
    const text = printed.join("\n");
    // The manifests folder holds the Secret documents the test wrote; nothing else may.
    const stored = textUnder(state.dir, folder);
    for (const p of [FIRST, SECOND]) {
      assert.ok(!text.includes(p), "a password was printed");
      assert.ok(!stored.includes(p), "a password is in the state dir");
    }
  });
});
