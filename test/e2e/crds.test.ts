// The generated CRDs install into a real API server the way users install them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { kinds } from "../../src/api/kinds.ts";
import { API_GROUP } from "../../src/api/shared.ts";
import { installCrds } from "../support/crds.ts";
import { kubectlOk } from "../support/kubectl.ts";
import { repoPath } from "../support/paths.ts";

// Every kind served (the family's kinds come from src/kinds/registry.ts).
const expected = kinds.map((k) => `${k.plural}.${API_GROUP}`).sort();

test("config/crd installs with server-side apply and becomes Established", async () => {
  const names = await installCrds();
  for (const name of expected) assert.ok(names.includes(name), `config/crd does not define ${name}`);

  for (const name of expected) {
    const conditions = JSON.parse(
      await kubectlOk(["get", "crd", name, "-o", "jsonpath={.status.conditions}"]),
    ) as Array<{ type: string; status: string }>;
    assert.equal(
      conditions.find((c) => c.type === "Established")?.status,
      "True",
      `${name} is not Established`,
    );
    assert.equal(
      conditions.find((c) => c.type === "NamesAccepted")?.status,
      "True",
      `${name} names not accepted`,
    );
  }
});

test("installing the CRDs again, also through config/crd's kustomization, changes nothing", async () => {
  await installCrds();
  const before = await kubectlOk([
    "get",
    "crd",
    ...expected,
    "-o",
    "jsonpath={.items[*].metadata.generation}",
  ]);
  const names = await installCrds({ kustomization: repoPath("config", "crd") });
  assert.deepEqual(names.slice().sort(), expected);
  const after = await kubectlOk([
    "get",
    "crd",
    ...expected,
    "-o",
    "jsonpath={.items[*].metadata.generation}",
  ]);
  assert.equal(after, before, "re-applying the same CRDs changed their spec (generation moved)");
});

test("every kind is served with the status subresource; ClusterAWSProvider cluster-scoped", async () => {
  await installCrds();
  const resources = JSON.parse(
    await kubectlOk(["get", "--raw", "/apis/aws-infra-operator.runner.codes/v1alpha1"]),
  ) as { resources: Array<{ name: string; namespaced: boolean }> };
  assert.equal(resources.resources.find((r) => r.name === "clusterawsproviders")?.namespaced, false);
  const served = resources.resources.map((resource) => resource.name).sort();
  for (const name of [
    "awsproviders",
    "awsproviders/status",
    "clusterawsproviders",
    "clusterawsproviders/status",
    "elasticacheclusters",
    "elasticacheclusters/status",
  ]) {
    assert.ok(served.includes(name), `API server does not serve ${name} (serves ${served.join(", ")})`);
  }
});
