// Every manifest of the documentation (examples/) is accepted by the real API server: schema,
// defaults and CEL rules included. Each file goes into its own namespace, created for real.
import assert from "node:assert/strict";
import path from "node:path";
import { before, test } from "node:test";
import { installCrds } from "../support/crds.ts";
import { exampleFiles, examplesDir } from "../support/examples.ts";
import { kubectl } from "../support/kubectl.ts";
import { asKubectlInput, inNamespace, readManifests } from "../support/manifests.ts";
import { createTestNamespace } from "../support/namespace.ts";

before(async () => {
  await installCrds();
});

const files = exampleFiles();

test("examples/ holds manifests", () => {
  assert.ok(files.length > 0, `no *.yaml under ${examplesDir}`);
});

for (const file of files) {
  const relative = path.relative(examplesDir, file);
  test(`examples/${relative} is accepted by the API server`, async () => {
    const manifests = readManifests(file);
    assert.ok(manifests.length > 0, `${relative} holds no manifest`);
    const namespace = await createTestNamespace();
    const input = asKubectlInput(manifests.map((manifest) => inNamespace(manifest, namespace)));
    const created = await kubectl(["create", "-n", namespace, "-f", "-", "-o", "name"], { input });
    assert.equal(created.code, 0, `${relative} was rejected:\n${created.stderr}`);
    assert.equal(created.stdout.trim().split("\n").length, manifests.length, created.stdout);
  });
}
