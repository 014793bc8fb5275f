// IRSA per tenant: an AWSProvider names a ServiceAccount of its own namespace (spec.serviceAccountRef);
// the operator asks the TokenRequest API for that account's token (audience sts.amazonaws.com) and
// trades it with the local cloud's STS, which checks it against the control plane's issuer and the
// role's trust policy. The role trusts one ServiceAccount of team A: team A's provider becomes Ready
// as that role, another ServiceAccount of team A is refused, and team B naming team A's role (even
// trying to name team A's ServiceAccount) is refused, since the token's subject is always B's own.
// No namespace is listed for the operator's own identity: none is needed.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { installCrds } from "../../support/crds.ts";
import { kubectlOk } from "../../support/kubectl.ts";
import { ACCOUNT } from "../../support/localcloud.ts";
import { createTestNamespace } from "../../support/namespace.ts";
import { type OperatorProcess, startOperatorProcess } from "../../support/operator.ts";
import { API, applyObject, eventsFor } from "../../support/operator-env.ts";
import { providerVerdict } from "./provider-verdicts.ts";
import { type IrsaCloud, startIrsaCloud } from "./tenant-irsa-cloud.ts";

const ROLE = "team-a-cache";
const SERVICE_ACCOUNT = "cache-irsa";

describe("IRSA through a ServiceAccount of the provider's own namespace", () => {
  let teamA = "";
  let teamB = "";
  let cloud: IrsaCloud | undefined;
  const operators: OperatorProcess[] = [];

  before(async () => {
    await installCrds();
    teamA = await createTestNamespace("team-a");
    teamB = await createTestNamespace("team-b");
    for (const ns of [teamA, teamB]) await kubectlOk(["create", "serviceaccount", SERVICE_ACCOUNT, "-n", ns]);
    await kubectlOk(["create", "serviceaccount", "other-app", "-n", teamA]);
    cloud = await startIrsaCloud([
      { name: ROLE, serviceAccount: { namespace: teamA, name: SERVICE_ACCOUNT } },
    ]);
    for (const namespace of [teamA, teamB])
      operators.push(
        await startOperatorProcess({
          namespace,
          allowedEndpoints: [cloud.url],
          operatorIdentityNamespaces: [],
        }),
      );
  });

  after(async () => {
    for (const o of operators) await o.stop();
    await cloud?.stop();
  });

  const provider = (namespace: string, name: string, serviceAccountRef: Record<string, string>) => {
    assert.ok(cloud);
    return applyObject(namespace, {
      apiVersion: API,
      kind: "AWSProvider",
      metadata: { name },
      spec: { region: "us-east-1", endpoint: cloud.url, roleARN: cloud.roleArn(ROLE), serviceAccountRef },
    });
  };

  test("team A's provider with its trusted ServiceAccount becomes Ready as the role", async () => {
    await provider(teamA, "team-a-aws", { name: SERVICE_ACCOUNT });
    const ready = await providerVerdict(teamA, "team-a-aws");
    assert.equal(ready.status, "True", ready.message);
    assert.equal(ready.callerIdentity, `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/infra-operator`);
    assert.match(ready.message ?? "", /webIdentity credentials/);
  });

  test("another ServiceAccount of team A is refused by the trust policy", async () => {
    await provider(teamA, "other-app-aws", { name: "other-app" });
    const ready = await providerVerdict(teamA, "other-app-aws");
    assert.equal(ready.status, "False");
    assert.equal(ready.reason, "AccessDenied");
    assert.match(ready.message ?? "", new RegExp(`system:serviceaccount:${teamA}:other-app`));
  });

  test("team B naming team A's role and ServiceAccount gets a token for its own account only: refused", async () => {
    // serviceAccountRef has no namespace field: the API server refuses one; the name is B's own.
    await assert.rejects(
      provider(teamB, "borrow-a", { name: SERVICE_ACCOUNT, namespace: teamA }),
      /unknown field "spec\.serviceAccountRef\.namespace"/,
    );
    await provider(teamB, "borrow-a", { name: SERVICE_ACCOUNT });
    const ready = await providerVerdict(teamB, "borrow-a");
    assert.equal(ready.status, "False");
    assert.equal(ready.reason, "AccessDenied");
    assert.match(ready.message ?? "", new RegExp(`system:serviceaccount:${teamB}:${SERVICE_ACCOUNT}`));
  });

  test("a ServiceAccount that does not exist: ServiceAccountTokenUnavailable naming it", async () => {
    await provider(teamA, "missing-sa", { name: "no-such-account" });
    const ready = await providerVerdict(teamA, "missing-sa");
    assert.equal(ready.reason, "ServiceAccountTokenUnavailable");
    assert.match(ready.message ?? "", new RegExp(`ServiceAccount ${teamA}/no-such-account .*does not exist`));
  });

  test("no ServiceAccount token appears in the operators' logs or in Events", async () => {
    const token = await kubectlOk([
      "create",
      "token",
      SERVICE_ACCOUNT,
      "-n",
      teamA,
      "--audience",
      "sts.amazonaws.com",
      "--duration",
      "10m",
    ]);
    // Tokens differ per request; their header and issuer part do not, and a log would show a JWT.
    const jwt = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/;
    for (const o of operators) assert.doesNotMatch(o.log(), jwt);
    for (const [ns, name] of [
      [teamA, "team-a-aws"],
      [teamA, "other-app-aws"],
      [teamB, "borrow-a"],
    ] as const)
      for (const e of await eventsFor(ns, name)) assert.doesNotMatch(e.message ?? "", jwt);
    assert.match(token.trim(), jwt, "the pattern recognises a real token");
  });
});
