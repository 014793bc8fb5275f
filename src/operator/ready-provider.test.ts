// How a cluster's providerRef resolves, with informers holding plain objects: which kind is looked
// up where, the namespace selector, the Ready status and the identity policy checked once more.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { ClientCache } from "../aws/clients.ts";
import type { Informer } from "../kube/informer.ts";
import type { KubeObject } from "../kube/rest.ts";
import type { CacheGateway } from "../reconcile/cache-gateway.ts";
import { strictPolicy } from "./identity-policy.ts";
import { clusterProviderKind, namespacedProviderKind } from "./provider-kinds.ts";
import { readyProviderResolver } from "./ready-provider.ts";

const API = "aws-infra-operator.runner.codes/v1alpha1";
const ready = { ready: true, conditions: [] };
const keys = {
  accessKeyIDRef: { name: "aws", key: "id" },
  secretAccessKeyRef: { name: "aws", key: "secret" },
};

function informer(objects: Record<string, KubeObject>): Informer<KubeObject> {
  return { get: (key: string) => objects[key] } as unknown as Informer<KubeObject>;
}

describe("providerRef resolution", () => {
  const clients = new ClientCache({ maxAttempts: 1 });
  after(() => clients.clear());
  const secrets = {
    get: (key: string) =>
      key.endsWith("/aws")
        ? {
            data: {
              id: Buffer.from("AKIA").toString("base64"),
              secret: Buffer.from("s3cr3t-value").toString("base64"),
            },
          }
        : undefined,
  };
  const resolve = readyProviderResolver({
    namespaced: {
      kind: namespacedProviderKind,
      secrets,
      informer: informer({
        "team-a/own-keys": {
          apiVersion: API,
          kind: "AWSProvider",
          metadata: { name: "own-keys", namespace: "team-a", uid: "u1", generation: 1 },
          spec: { region: "us-east-1", ...keys, defaultTags: { team: "a" } },
          status: ready,
        },
        // Ready from before the operator's flags changed: the policy now refuses it.
        "team-a/borrowed": {
          apiVersion: API,
          kind: "AWSProvider",
          metadata: { name: "borrowed", namespace: "team-a", uid: "u2", generation: 1 },
          spec: { region: "us-east-1" },
          status: ready,
        },
      }),
    },
    cluster: {
      kind: clusterProviderKind("infra-operator-system"),
      secrets,
      informer: informer({
        shared: {
          apiVersion: API,
          kind: "ClusterAWSProvider",
          metadata: { name: "shared", uid: "u3", generation: 1 },
          spec: { region: "us-east-1", namespaceSelector: { matchLabels: { tier: "prod" } } },
          status: ready,
        },
      }),
    },
    namespaces: informer({
      "team-a": { metadata: { name: "team-a", labels: { tier: "prod" } } },
      "team-b": { metadata: { name: "team-b", labels: { tier: "dev" } } },
    }),
    clients,
    identityPolicy: strictPolicy,
    serviceAccountTokens: () => () => Promise.resolve("unused"),
    makeGateway: () => ({}) as CacheGateway,
  });

  test("an AWSProvider is looked up in the cluster's namespace", () => {
    const found = resolve("team-a", { name: "own-keys" });
    assert.ok("gateway" in found);
    assert.deepEqual(found.defaultTags, { team: "a" });
    assert.equal((resolve("team-b", { name: "own-keys" }) as { reason: string }).reason, "ProviderNotFound");
  });

  test("a Ready status does not outlive the policy: the operator's identity is refused", () => {
    const refused = resolve("team-a", { name: "borrowed" }) as { reason: string; message: string };
    assert.equal(refused.reason, "ProviderNotReady");
    assert.match(refused.message, /--operator-identity-namespaces/);
  });

  test("a ClusterAWSProvider serves the namespaces it selects, with the operator's identity", () => {
    assert.ok("gateway" in resolve("team-a", { kind: "ClusterAWSProvider", name: "shared" }));
    const other = resolve("team-b", { kind: "ClusterAWSProvider", name: "shared" }) as {
      reason: string;
      message: string;
    };
    assert.equal(other.reason, "ProviderNotAllowed");
    assert.match(other.message, /ClusterAWSProvider shared does not select namespace team-b/);
    const missing = resolve("team-a", { kind: "ClusterAWSProvider", name: "own-keys" }) as { reason: string };
    assert.equal(missing.reason, "ProviderNotFound", "an AWSProvider's name is not a ClusterAWSProvider");
  });
});
