// Shared set-up for the kit's integration tests (not a test file itself): a real kube-apiserver
// from test/support/controlplane.ts, a fresh namespace per test file, and a tiny CRD of the kit's
// own (group kit.test.infra-operator.io) so tests never depend on the product's CRDs.
import { randomBytes } from "node:crypto";
import { sharedControlPlane } from "../../test/support/controlplane.ts";
import { loadKubeConfig } from "./client.ts";
import { coreResources, type ResourceType } from "./resource.ts";
import { isAlreadyExists, isNotFound, KubeRest } from "./rest.ts";

export const widgets: ResourceType = {
  group: "kit.test.infra-operator.io",
  version: "v1",
  plural: "widgets",
  namespaced: true,
  kind: "Widget",
};

export interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    finalizers?: string[];
    deletionTimestamp?: string;
    generation?: number;
  };
  spec?: { size?: number; note?: string };
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface KubeTestEnv {
  rest: KubeRest;
  namespace: string;
  /** Deletes the namespace and stops the control plane if this process started it. */
  close(): Promise<void>;
}

const widgetCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `${widgets.plural}.${widgets.group}` },
  spec: {
    group: widgets.group,
    scope: "Namespaced",
    names: { plural: widgets.plural, singular: "widget", kind: widgets.kind, listKind: "WidgetList" },
    versions: [
      {
        name: widgets.version,
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: { type: "object", properties: { size: { type: "integer" }, note: { type: "string" } } },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
          },
        },
      },
    ],
  },
};

export async function kubeTestEnv(prefix: string): Promise<KubeTestEnv> {
  const cp = await sharedControlPlane();
  const rest = new KubeRest(loadKubeConfig({ path: cp.kubeconfig }).config);
  await ensureWidgetCrd(rest);
  const namespace = `${prefix}-${randomBytes(3).toString("hex")}`;
  await rest.create(coreResources.namespaces, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace },
  });
  return {
    rest,
    namespace,
    async close() {
      await rest.delete(coreResources.namespaces, { name: namespace }).catch(() => {});
      await cp.stop();
    },
  };
}

export function newWidget(namespace: string, name: string, spec: Widget["spec"] = {}): Widget {
  return {
    apiVersion: `${widgets.group}/${widgets.version}`,
    kind: widgets.kind,
    metadata: { name, namespace },
    spec,
  };
}

/** Installs the test CRD (once per control plane) and waits until it is served. */
export async function ensureWidgetCrd(rest: KubeRest): Promise<void> {
  try {
    await rest.create(coreResources.customResourceDefinitions, widgetCrd);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  // Established is not enough right after creation: wait until the resource is actually served.
  await waitFor("the test CRD to be served", async () => {
    try {
      await rest.list(widgets, "default");
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  });
}

/** Polls `check` every 50 ms until it returns true; fails after `timeoutMs` naming `what`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
