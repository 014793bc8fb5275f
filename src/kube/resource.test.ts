import assert from "node:assert/strict";
import { test } from "node:test";
import { apiVersionOf, coreResources, type ResourceType, resourcePath } from "./resource.ts";

const widgets: ResourceType = {
  group: "kit.test.infra-operator.io",
  version: "v1",
  plural: "widgets",
  namespaced: true,
  kind: "Widget",
};

test("paths for core and custom resources", () => {
  assert.equal(resourcePath(coreResources.secrets, { namespace: "ns" }), "/api/v1/namespaces/ns/secrets");
  assert.equal(resourcePath(coreResources.secrets), "/api/v1/secrets");
  assert.equal(
    resourcePath(widgets, { namespace: "ns", name: "a", subresource: "status" }),
    "/apis/kit.test.infra-operator.io/v1/namespaces/ns/widgets/a/status",
  );
  assert.equal(resourcePath(coreResources.namespaces, { name: "x" }), "/api/v1/namespaces/x");
  assert.throws(() => resourcePath(widgets, { subresource: "status" }), /needs an object name/);
});

test("apiVersion", () => {
  assert.equal(apiVersionOf(coreResources.events), "v1");
  assert.equal(apiVersionOf(coreResources.leases), "coordination.k8s.io/v1");
});
