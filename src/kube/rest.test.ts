import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isConflict, isNotFound, KubeApiError, PatchType } from "./rest.ts";
import { type KubeTestEnv, kubeTestEnv, newWidget, type Widget, widgets } from "./test-env.ts";

let env: KubeTestEnv;
before(async () => {
  env = await kubeTestEnv("kit-rest");
});
after(async () => {
  await env?.close();
});

test("create, get, patch, replace and delete a custom object", async () => {
  const { rest, namespace } = env;
  const created = await rest.create<Widget>(widgets, newWidget(namespace, "a", { size: 1 }));
  assert.ok(created.metadata.uid);
  const patched = await rest.patch<Widget>(widgets, { namespace, name: "a" }, { spec: { size: 2 } });
  assert.equal(patched.spec?.size, 2);
  const stale = { ...created, spec: { size: 3 } };
  await assert.rejects(rest.replace(widgets, stale), (err) => isConflict(err));
  const fresh = await rest.get<Widget>(widgets, { namespace, name: "a" });
  assert.equal(fresh.spec?.size, 2);
  await assert.rejects(
    rest.patch(
      widgets,
      { namespace, name: "a" },
      [{ op: "test", path: "/spec/size", value: 7 }],
      PatchType.json,
    ),
    (err) => err instanceof KubeApiError && err.status === 422,
    "a failed JSON patch test is reported with the server's status",
  );
  await rest.delete(widgets, { namespace, name: "a" });
  await assert.rejects(rest.get(widgets, { namespace, name: "a" }), (err) => {
    assert.ok(isNotFound(err));
    assert.match(
      String((err as Error).message),
      /GET \/apis\/kit\.test\.infra-operator\.io\/v1\/namespaces\/.*\/widgets\/a: 404 NotFound/,
    );
    return true;
  });
});
