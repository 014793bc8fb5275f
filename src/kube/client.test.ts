import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { loadKubeConfig, makeKubeClients } from "./client.ts";

const dir = mkdtempSync(path.join(tmpdir(), "kit-client-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function writeKubeconfig(name: string, server: string): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: c, cluster: {server: '${server}'}}, {name: other, cluster: {server: 'https://other.example'}}]`,
      "users: [{name: u, user: {token: not-a-real-token}}]",
      "contexts: [{name: x, context: {cluster: c, user: u}}, {name: y, context: {cluster: other, user: u}}]",
      "current-context: x",
    ].join("\n"),
  );
  return file;
}

/** A service-account folder with a token, as the kubelet mounts it in a pod. */
function serviceAccountDir(): string {
  const sa = path.join(dir, "sa");
  mkdirSync(sa, { recursive: true });
  writeFileSync(path.join(sa, "token"), "sa-token");
  writeFileSync(path.join(sa, "namespace"), "ops\n");
  return sa;
}

const noCluster = { serviceAccountDir: path.join(dir, "no-service-account") };

test("the --kubeconfig path wins over KUBECONFIG", () => {
  const flag = writeKubeconfig("flag.yaml", "https://flag.example:6443");
  const fromEnv = writeKubeconfig("env.yaml", "https://env.example:6443");
  const loaded = loadKubeConfig({ path: flag, env: { KUBECONFIG: fromEnv }, ...noCluster });
  assert.equal(loaded.source, "flag");
  assert.equal(loaded.config.server, "https://flag.example:6443");
  assert.equal(loaded.inCluster, false);
});

test("the --kubeconfig path wins over the in-cluster service account, which is still reported", () => {
  const flag = writeKubeconfig("flag2.yaml", "https://flag2.example:6443");
  const env = { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" };
  const loaded = loadKubeConfig({ path: flag, env, serviceAccountDir: serviceAccountDir() });
  assert.equal(loaded.source, "flag");
  assert.equal(loaded.config.server, "https://flag2.example:6443");
  assert.equal(loaded.inCluster, true);
});

test("in a pod (service host set, token mounted) the service account wins over KUBECONFIG", () => {
  const env = {
    KUBERNETES_SERVICE_HOST: "10.0.0.1",
    KUBERNETES_SERVICE_PORT: "443",
    KUBECONFIG: writeKubeconfig("env3.yaml", "https://env3.example:6443"),
  };
  const loaded = loadKubeConfig({ env, serviceAccountDir: serviceAccountDir() });
  assert.equal(loaded.source, "in-cluster");
  assert.equal(loaded.config.server, "https://10.0.0.1:443");
  assert.equal(loaded.config.namespace, "ops");
});

test("without a flag, KUBECONFIG's first file is used", () => {
  const first = writeKubeconfig("env2.yaml", "https://env2.example:6443");
  const second = writeKubeconfig("env2b.yaml", "https://env2b.example:6443");
  const loaded = loadKubeConfig({ env: { KUBECONFIG: `${first}${path.delimiter}${second}` }, ...noCluster });
  assert.equal(loaded.source, "default");
  assert.equal(loaded.config.server, "https://env2.example:6443");
});

test("without KUBECONFIG, ~/.kube/config is used", () => {
  const home = path.join(dir, "home");
  mkdirSync(path.join(home, ".kube"), { recursive: true });
  const file = writeKubeconfig(path.join("home", ".kube", "config"), "https://home.example:6443");
  assert.equal(file, path.join(home, ".kube", "config"));
  const loaded = loadKubeConfig({ env: { HOME: home }, ...noCluster });
  assert.equal(loaded.source, "default");
  assert.equal(loaded.config.server, "https://home.example:6443");
});

test("a named context is used instead of current-context", () => {
  const flag = writeKubeconfig("ctx.yaml", "https://c.example:6443");
  assert.equal(
    loadKubeConfig({ path: flag, context: "y", ...noCluster }).config.server,
    "https://other.example",
  );
});

test("with no configuration anywhere, the error says what to do", () => {
  assert.throws(
    () => loadKubeConfig({ env: { HOME: path.join(dir, "empty-home") }, ...noCluster }),
    /no Kubernetes cluster configured .*pass --kubeconfig, set KUBECONFIG/,
  );
});

test("a missing --kubeconfig file is named in the error", () => {
  assert.throws(
    () => loadKubeConfig({ path: path.join(dir, "nope.yaml"), ...noCluster }),
    /kubeconfig .*nope\.yaml \(--kubeconfig\) does not exist/,
  );
});

test("the client shares the configuration", () => {
  const loaded = loadKubeConfig({ path: writeKubeconfig("c.yaml", "https://c.example:6443"), ...noCluster });
  const clients = makeKubeClients(loaded.config);
  assert.equal(clients.rest.config, loaded.config);
  clients.rest.close();
});
