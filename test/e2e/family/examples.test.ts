// Every examples/ file holding a kind of the family (parameter and subnet groups, users and user
// groups, snapshots, serverless caches), applied whole with kubectl as users would (only the
// namespace changes), against the local cloud under an identity that holds only docs/iam-policy.json:
// every object of the file reaches Ready, what the comments promise holds (the RBAC cache admits its
// application user and refuses clients that do not log in; the snapshot is available in AWS and the
// cache restored from it Ready; the serverless cache answers over TLS and has its connection
// Secret), no call is refused by IAM, and deleting the file removes what its deletion policies say
// (the Retain-ed snapshot stays). test/e2e/examples.test.ts checks the schema of every file;
// test/e2e/operator/examples.test.ts runs the files that hold clusters only.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { DescribeSnapshotsCommand } from "@aws-sdk/client-elasticache";
import { type Endpoint, redisAnswers, redisAuth, redisPing } from "../../support/endpoints.ts";
import { exampleFiles, examplesDir } from "../../support/examples.ts";
import { waitObjGone, waitObjReady } from "../../support/family.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import { asKubectlInput, inNamespace, type Manifest, readManifests } from "../../support/manifests.ts";
import { assertNoSecretsLeaked, type OperatorEnv, startOperatorEnv } from "../../support/operator-env.ts";
import { repoPath } from "../../support/paths.ts";

const FAMILY = new Set([
  "ElastiCacheParameterGroup",
  "ElastiCacheSubnetGroup",
  "ElastiCacheUser",
  "ElastiCacheUserGroup",
  "ElastiCacheSnapshot",
  "ElastiCacheServerlessCache",
]);

/** The example files that hold a family kind, with their manifests. */
const FILES = exampleFiles()
  .map((file) => ({ file, manifests: readManifests(file) }))
  .filter(({ manifests }) => manifests.some((m) => FAMILY.has(m.kind ?? "")));

const POLICY_USER = {
  name: "complete-policy-user",
  accessKeyId: "AKIAFAMILYEXAMPLES01",
  secretAccessKey: "family-examples-secret-key-4e8a1c",
  policies: [JSON.parse(readFileSync(repoPath("docs", "iam-policy.json"), "utf8"))],
};

/** Secret values the examples write (user passwords): they must not leak either. */
const EXAMPLE_SECRETS = FILES.flatMap(({ manifests }) =>
  manifests
    .filter((m) => m.kind === "Secret")
    .flatMap((m) => Object.values((m as { stringData?: Record<string, string> }).stringData ?? {})),
);

let env: OperatorEnv;

before(async () => {
  env = await startOperatorEnv({
    users: [POLICY_USER],
    secrets: {
      "policy-credentials": {
        "access-key-id": POLICY_USER.accessKeyId,
        "secret-access-key": POLICY_USER.secretAccessKey,
      },
    },
    providers: [{ name: "localstack", secretName: "policy-credentials" }],
  });
});

after(async () => {
  await env?.stop();
});

const resourceOf = (m: Manifest) => (m.kind ?? "").toLowerCase();
const isManaged = (m: Manifest) => FAMILY.has(m.kind ?? "") || m.kind === "ElastiCacheCluster";

function placed(manifests: Manifest[]): Manifest[] {
  return manifests.map((m) => inNamespace(m, env.namespace));
}

async function statusOf(m: Manifest) {
  return waitObjReady(env.namespace, resourceOf(m), m.metadata?.name ?? "", 300_000);
}

/** What a file's comments promise, beyond Ready. */
const promises: Record<
  string,
  (objects: Map<string, Awaited<ReturnType<typeof statusOf>>>) => Promise<void>
> = {
  "user-and-group.yaml": async (objects) => {
    const cache = objects.get("app-cache-rbac");
    const endpoint = cache?.status?.primaryEndpoint as Endpoint | undefined;
    assert.ok(endpoint, JSON.stringify(cache?.status));
    const [secret] = FILES.flatMap((f) => f.manifests).filter((m) => m.kind === "Secret");
    const password = (secret as { stringData: { password: string } }).stringData.password;
    const caFile = env.cloud.caFile;
    assert.equal(await redisAuth(endpoint, "app", password, { caFile }), "+OK", "the app user logs in");
    const anonymous = await redisPing(endpoint, { caFile });
    assert.match(anonymous[0] ?? "", /^-/, `a client that does not log in is refused: ${anonymous}`);
  },
  "snapshot.yaml": async () => {
    const out = await env.cloud.aws.send(new DescribeSnapshotsCommand({ SnapshotName: "app-cache-backup" }));
    assert.equal(out.Snapshots?.[0]?.SnapshotStatus, "available");
  },
  "serverless.yaml": async (objects) => {
    const endpoint = objects.get("sessions")?.status?.endpoint as Endpoint | undefined;
    assert.ok(endpoint?.address, "status.endpoint");
    assert.equal(await redisAnswers(endpoint, { caFile: env.cloud.caFile }), true, "PING over TLS");
    await kubectlOk(["get", "secret", "sessions-connection", "-n", env.namespace]);
  },
};

/** What a file's deletion policies promise once its objects are gone. */
const afterDeletion: Record<string, () => Promise<void>> = {
  "snapshot.yaml": async () => {
    const out = await env.cloud.aws.send(new DescribeSnapshotsCommand({ SnapshotName: "app-cache-backup" }));
    assert.equal(out.Snapshots?.length, 1, "deletionPolicy Retain keeps the snapshot in AWS");
  },
};

describe("every example file of the family, applied whole under docs/iam-policy.json", () => {
  test("the family has examples", () => {
    const names = FILES.map((f) => path.relative(examplesDir, f.file));
    for (const expected of [
      "parameter-group.yaml",
      "subnet-group.yaml",
      "user-and-group.yaml",
      "snapshot.yaml",
      "serverless.yaml",
    ])
      assert.ok(names.includes(expected), `examples/${expected} is missing (found ${names.join(", ")})`);
  });

  for (const { file, manifests } of FILES) {
    const relative = path.relative(examplesDir, file);
    test(`examples/${relative}: every object Ready, then deleted`, async () => {
      const input = asKubectlInput(placed(manifests));
      await kubectlOk(["apply", "-n", env.namespace, "-f", "-"], { input });
      const objects = new Map<string, Awaited<ReturnType<typeof statusOf>>>();
      for (const m of manifests.filter(isManaged)) objects.set(m.metadata?.name ?? "", await statusOf(m));
      await promises[relative]?.(objects);

      await kubectlOk(["delete", "-n", env.namespace, "-f", "-", "--wait=false"], { input });
      for (const m of manifests.filter(isManaged))
        await waitObjGone(env.namespace, resourceOf(m), m.metadata?.name ?? "", 300_000);
      await afterDeletion[relative]?.();
    });
  }

  test("IAM refused no call of the operator", async () => {
    const calls = await env.cloud.calls();
    assert.ok((calls.byAccessKey[POLICY_USER.accessKeyId] ?? 0) > 0, "the policy user made no call");
    assert.equal(calls.byErrorCode.AccessDenied ?? 0, 0, JSON.stringify(calls.byErrorCode));
    assert.equal(calls.byErrorCode.AccessDeniedException ?? 0, 0, JSON.stringify(calls.byErrorCode));
  });

  test("no secret in the operator's log or Events", async () => {
    await assertNoSecretsLeaked(env, [POLICY_USER.secretAccessKey, ...EXAMPLE_SECRETS]);
  });
});
