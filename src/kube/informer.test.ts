import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Informer } from "./informer.ts";
import { leanObject } from "./lean.ts";
import { coreResources } from "./resource.ts";
import { type KubeTestEnv, kubeTestEnv, newWidget, type Widget, waitFor, widgets } from "./test-env.ts";

let env: KubeTestEnv;
before(async () => {
  env = await kubeTestEnv("kit-informer");
});
after(async () => {
  await env?.close();
});

test("the cache converges through watches that the server keeps ending", async () => {
  const { rest, namespace } = env;
  await rest.create(widgets, newWidget(namespace, "before", { size: 1 }));
  const informer = new Informer<Widget>(rest, widgets, { namespace, watchTimeoutSeconds: 1 });
  const seen: string[] = [];
  informer.addHandlers({
    add: (o) => seen.push(`add ${o.metadata.name}`),
    update: (old, o) => seen.push(`update ${o.metadata.name} ${old.spec?.size}->${o.spec?.size}`),
    delete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  informer.start();
  try {
    await informer.waitForSync();
    assert.equal(informer.hasSynced(), true);
    assert.deepEqual(seen, ["add before"]);
    assert.equal(informer.get(`${namespace}/before`)?.kind, "Widget", "list items get their kind filled in");

    // Let at least two server-side watch timeouts pass between changes.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await rest.create(widgets, newWidget(namespace, "during", { size: 5 }));
    await rest.patch(widgets, { namespace, name: "before" }, { spec: { size: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await rest.delete(widgets, { namespace, name: "during" });
    await rest.create(widgets, newWidget(namespace, "last", { size: 9 }));

    await waitFor("the cache to converge", () => informer.get(`${namespace}/last`) !== undefined);
    assert.deepEqual(informer.keys().sort(), [`${namespace}/before`, `${namespace}/last`]);
    assert.equal(informer.get(`${namespace}/before`)?.spec?.size, 2);
    assert.deepEqual(seen, ["add before", "add during", "update before 1->2", "delete during", "add last"]);
    assert.ok(informer.stats.watches >= 3, `the watch was resumed (watches: ${informer.stats.watches})`);
    assert.equal(informer.stats.lists, 1, "resumed from the last resourceVersion, without relisting");
    assert.equal(informer.health(), undefined);
  } finally {
    await informer.stop();
  }
});

test("handlers added after sync get the cached objects; resync replays updates", async () => {
  const { rest, namespace } = env;
  const informer = new Informer<Widget>(rest, widgets, { namespace, resyncMs: 200 });
  informer.start();
  try {
    await informer.waitForSync();
    const added: string[] = [];
    let resyncs = 0;
    informer.addHandlers({
      add: (o) => added.push(o.metadata.name),
      update: (old, o) => {
        if (old === o) resyncs++;
      },
    });
    assert.deepEqual(added.sort(), ["before", "last"]);
    await waitFor("a resync", () => resyncs >= 2);
  } finally {
    await informer.stop();
  }
});

test("an informer started before its CRD exists backs off, reports it, and syncs once the CRD appears", async () => {
  const { rest, namespace } = env;
  const group = "kit.test.infra-operator.io";
  const plural = `gadgets${Math.floor(Math.random() * 1e6)}`;
  const gadgets = { group, version: "v1", plural, namespaced: true, kind: "Gadget" };
  const informer = new Informer<Widget>(rest, gadgets, {
    namespace,
    backoff: { baseMs: 50, capMs: 200 },
    unhealthyAfterMs: 300,
  });
  informer.start();
  try {
    await waitFor("the informer to report its failing list", () => informer.health() !== undefined);
    assert.match(
      informer.health() ?? "",
      new RegExp(`informer for ${plural}\\.${group} has failed for \\d+ s: .*404`),
    );
    assert.equal(informer.hasSynced(), false);

    await rest.create(coreResources.customResourceDefinitions, {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        scope: "Namespaced",
        names: { plural, singular: plural.slice(0, -1), kind: "Gadget" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        ],
      },
    });
    await waitFor("the informer to sync", () => informer.hasSynced());
    assert.equal(informer.health(), undefined, "healthy again once it synced");
  } finally {
    await informer.stop();
    await rest
      .delete(coreResources.customResourceDefinitions, { name: `${plural}.${group}` })
      .catch(() => {});
  }
});

test("a transform makes lean copies: the cache holds no managedFields", async () => {
  const { rest, namespace } = env;
  await rest.create(widgets, newWidget(namespace, "lean", { size: 3 }));
  const informer = new Informer<Widget>(rest, widgets, { namespace, transform: leanObject });
  informer.start();
  try {
    await informer.waitForSync();
    const listed = informer.get(`${namespace}/lean`);
    assert.equal(listed?.spec?.size, 3);
    assert.equal(
      (listed?.metadata as Record<string, unknown> | undefined)?.managedFields,
      undefined,
      "dropped from list items",
    );
    await rest.patch(widgets, { namespace, name: "lean" }, { spec: { size: 4 } });
    await waitFor("the update", () => informer.get(`${namespace}/lean`)?.spec?.size === 4);
    assert.equal(
      (informer.get(`${namespace}/lean`)?.metadata as Record<string, unknown> | undefined)?.managedFields,
      undefined,
      "and from watch events",
    );
    const stored = await rest.get<Widget>(widgets, { namespace, name: "lean" });
    assert.ok(
      (stored.metadata as Record<string, unknown>).managedFields !== undefined,
      "the server does keep them",
    );
  } finally {
    await informer.stop();
  }
});
