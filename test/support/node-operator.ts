// The operator as users install it, on the test node (support/node.ts): the chart or the kustomize
// packaging with the image built from packages, the local cloud on the host's end of the node's
// veth behind an https front whose CA the Pod trusts (NODE_EXTRA_CA_CERTS from a ConfigMap), its
// endpoint in --allowed-endpoints.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LocalCloudConfig } from "../../src/localcloud/config.ts";
import { type LocalCloudForTests, startCloudForTests, type TestUser } from "./localcloud.ts";
import { runToolOk, type TestNode } from "./node.ts";
import { repoPath } from "./paths.ts";
import { startTlsFront, type TlsFront } from "./tls-front.ts";
import { waitFor } from "./wait.ts";

export const NAMESPACE = "infra-operator-system";
export const CA_CONFIGMAP = "local-cloud-ca";
const CA_DIR = "/etc/local-cloud-ca";

export interface CloudOnNode {
  cloud: LocalCloudForTests;
  front: TlsFront;
  /** The endpoint Pods use: the https front. */
  url: string;
  stop(): Promise<void>;
}

/** The local cloud on the node's host address, with its https front. */
export async function startCloudOnNode(
  node: TestNode,
  options: {
    users?: TestUser[];
    transitionDelayMs?: number;
    configure?: (config: LocalCloudConfig) => LocalCloudConfig;
  } = {},
): Promise<CloudOnNode> {
  const host = node.env.NODE_HOST_IP as string;
  const cloud = await startCloudForTests({ host, ...options });
  const front = await startTlsFront(host, cloud.url);
  return {
    cloud,
    front,
    url: front.url,
    stop: async () => {
      await front.stop();
      await cloud.stop();
    },
  };
}

/** The operator's namespace, enforcing Pod Security "restricted" as config/manager/namespace.yaml does, with the CA ConfigMap. */
export async function prepareNamespace(node: TestNode, cloud: CloudOnNode): Promise<void> {
  const objects = [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: NAMESPACE, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: CA_CONFIGMAP, namespace: NAMESPACE },
      data: { "ca.crt": cloud.front.caPem },
    },
  ];
  for (const o of objects) await runToolOk(node.kubectl, ["apply", "-f", "-"], JSON.stringify(o));
}

/** Chart values: the loaded image (never pulled), the local cloud allowed, its CA trusted. */
export function chartValues(
  node: TestNode,
  cloud: CloudOnNode,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const [repository, tag] = node.image.name.split(":");
  return {
    image: { repository, tag, pullPolicy: "Never" },
    allowedEndpoints: [cloud.url],
    extraEnv: [{ name: "NODE_EXTRA_CA_CERTS", value: `${CA_DIR}/ca.crt` }],
    extraVolumes: [{ name: "local-cloud-ca", configMap: { name: CA_CONFIGMAP } }],
    extraVolumeMounts: [{ name: "local-cloud-ca", mountPath: CA_DIR, readOnly: true }],
    ...extra,
  };
}

/** `helm install RELEASE charts/infra-operator --wait` with the values (as a file). */
export async function helmInstall(
  node: TestNode,
  release: string,
  values: Record<string, unknown>,
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "node-helm-"));
  try {
    const file = path.join(dir, "values.json");
    writeFileSync(file, JSON.stringify(values));
    await runToolOk(
      node.helm,
      [
        "install",
        release,
        repoPath("charts", "infra-operator"),
        "-n",
        NAMESPACE,
        "-f",
        file,
        "--wait",
        "--timeout",
        "180s",
      ],
      undefined,
      240_000,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A kustomize overlay of config/default, as a user writes one: the loaded image, the local cloud
 * in --allowed-endpoints, its CA trusted (a generated ConfigMap). Returns the overlay's folder (for apply -k / delete -k).
 */
export function kustomizeOverlay(node: TestNode, cloud: CloudOnNode, replicas = 1): string {
  const dir = mkdtempSync(path.join(tmpdir(), "node-kustomize-"));
  const [name, tag] = node.image.name.split(":");
  const base = path.relative(dir, repoPath("config", "default"));
  writeFileSync(
    path.join(dir, "kustomization.yaml"),
    `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ${base}
images:
  - name: infra-operator
    newName: ${name}
    newTag: "${tag}"
replicas:
  - name: infra-operator-controller-manager
    count: ${replicas}
patches:
  - path: deployment.yaml
configMapGenerator:
  - name: ${CA_CONFIGMAP}
    namespace: ${NAMESPACE}
    files:
      - ca.crt
    options:
      disableNameSuffixHash: true
`,
  );
  writeFileSync(path.join(dir, "ca.crt"), cloud.front.caPem);
  writeFileSync(
    path.join(dir, "deployment.yaml"),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: infra-operator-controller-manager
  namespace: ${NAMESPACE}
spec:
  template:
    spec:
      containers:
        - name: manager
          imagePullPolicy: Never
          args:
            - run
            - --leader-elect=true
            - --leader-election-lease-duration=15s
            - --leader-election-renew-deadline=10s
            - --leader-election-retry-period=2s
            - --metrics-bind-address=:8080
            - --log-level=info
            - --log-format=json
            - --allowed-endpoints=${cloud.url}
            - --operator-identity-namespaces=
          env:
            - name: NODE_EXTRA_CA_CERTS
              value: ${CA_DIR}/ca.crt
          volumeMounts:
            - name: local-cloud-ca
              mountPath: ${CA_DIR}
              readOnly: true
      volumes:
        - name: local-cloud-ca
          configMap:
            name: ${CA_CONFIGMAP}
`,
  );
  return dir;
}

export interface PodInfo {
  name: string;
  ip: string;
  ready: boolean;
  restarts: number;
  uid: string;
}

/** The operator's Pods (by the label both packagings set). */
export async function operatorPods(node: TestNode): Promise<PodInfo[]> {
  const list = JSON.parse(
    await runToolOk(node.kubectl, [
      "get",
      "pods",
      "-n",
      NAMESPACE,
      "-l",
      "app.kubernetes.io/name=infra-operator",
      "-o",
      "json",
    ]),
  ) as {
    items: {
      metadata: { name: string; uid: string; deletionTimestamp?: string };
      status: {
        podIP?: string;
        conditions?: { type: string; status: string }[];
        containerStatuses?: { restartCount: number }[];
      };
    }[];
  };
  return list.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata.name,
      uid: p.metadata.uid,
      ip: p.status.podIP ?? "",
      ready: p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
      restarts: p.status.containerStatuses?.[0]?.restartCount ?? 0,
    }));
}

/** Waits for `count` Ready operator Pods. */
export function waitOperatorReady(node: TestNode, count = 1, timeoutMs = 180_000): Promise<PodInfo[]> {
  return waitFor(
    `${count} Ready operator Pod(s)`,
    () => operatorPods(node),
    (pods) => pods.length === count && pods.every((p) => p.ready),
    timeoutMs,
  );
}

/** The holder of the operator's leader Lease, or "" when none. */
export async function leaseHolder(node: TestNode): Promise<string> {
  const lease = JSON.parse(
    await runToolOk(node.kubectl, ["get", "lease", "infra-operator-leader", "-n", NAMESPACE, "-o", "json"]),
  ) as { spec?: { holderIdentity?: string } };
  return lease.spec?.holderIdentity ?? "";
}

/** GET http://POD_IP:PORT/PATH from the host (through the node's route to the pod network). */
export function httpGet(
  ip: string,
  port: number,
  pathname: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: ip, port, path: pathname, timeout: 10_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${ip}:${port}${pathname} timed out`)));
    req.on("error", reject);
  });
}
