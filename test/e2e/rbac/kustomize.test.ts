// config/default on the real control plane: the server accepts it, and the operator runs the main
// scenarios authenticated only as the infra-operator-controller-manager ServiceAccount it creates,
// with leader election in infra-operator-system, never refused anything; the account has no
// rights beyond those.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  applyPackaging,
  canI,
  kustomize,
  OPERATOR_NAMESPACE,
  OPERATOR_SERVICE_ACCOUNT,
  serviceAccountKubeconfig,
} from "../../support/install.ts";
import { kubectl } from "../../support/kubectl.ts";
import { repoPath } from "../../support/paths.ts";
import { assertNoExtraRights, type IdentityRun, mainScenarios, startUnderIdentity } from "./scenarios.ts";

describe("kustomize config/default: RBAC proven by running the operator as its ServiceAccount", () => {
  let kubeconfig = "";
  let run: IdentityRun | undefined;

  before(async () => {
    await applyPackaging(await kustomize(repoPath("config", "default")));
    kubeconfig = await serviceAccountKubeconfig();
    run = await startUnderIdentity(kubeconfig, OPERATOR_NAMESPACE);
  });

  after(async () => {
    await run?.stop();
  });

  test("kubectl apply -k config/default --dry-run=server is accepted (Deployment included, Pod Security restricted)", async () => {
    const result = await kubectl(["apply", "-k", repoPath("config", "default"), "--dry-run=server"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /deployment\.apps\/infra-operator-controller-manager/);
    // The namespace enforces the "restricted" Pod Security Standard: the Pod template must meet it.
    assert.doesNotMatch(result.stderr, /PodSecurity/);
  });

  test("the RBAC has no wildcard and grants Leases only in the operator's namespace", async () => {
    const objects = await kustomize(repoPath("config", "default"));
    const roles = objects.filter((o) => o.kind === "ClusterRole" || o.kind === "Role");
    assert.equal(roles.length, 2);
    for (const role of roles) {
      for (const rule of role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]) {
        for (const word of [...rule.apiGroups, ...rule.resources, ...rule.verbs])
          assert.ok(!word.includes("*"), word);
        if (rule.resources.includes("leases")) assert.equal(role.kind, "Role");
      }
    }
  });

  test("the kubeconfig authenticates as the ServiceAccount, not as an admin", async () => {
    const who = await kubectl(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], {
      kubeconfig,
    });
    assert.equal(who.code, 0, who.stderr);
    assert.equal(
      who.stdout.trim(),
      `system:serviceaccount:${OPERATOR_NAMESPACE}:${OPERATOR_SERVICE_ACCOUNT}`,
    );
  });

  test("main scenarios pass under the ServiceAccount", async (t) => {
    assert.ok(run);
    await mainScenarios(t, run, OPERATOR_NAMESPACE);
  });

  test("the ServiceAccount cannot touch what the operator has no reason to", async () => {
    await assertNoExtraRights((verb, resource, namespace) => canI(kubeconfig, verb, resource, namespace));
    // Leases only in its own namespace, and only the verbs leader election uses.
    assert.equal(await canI(kubeconfig, "update", "leases.coordination.k8s.io", OPERATOR_NAMESPACE), true);
    assert.equal(await canI(kubeconfig, "delete", "leases.coordination.k8s.io", OPERATOR_NAMESPACE), false);
  });
});
