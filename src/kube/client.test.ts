import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
      `clusters: [{name: c, cluster: {server: '${server}'}}]`,
      "users: [{name: u, user: {token: not-a-real-token}}]",
      "contexts: [{name: x, context: {cluster: c, user: u}}]",
      "current-context: x",
    ].join("\n"),
  );
  return file;
}

const noCluster = { serviceAccountTokenPath: path.join(dir, "no-token") };

test("the --kubeconfig path wins over KUBECONFIG", () => {
  const flag = writeKubeconfig("flag.yaml", "https://flag.example:6443");
  const fromEnv = writeKubeconfig("env.yaml", "https://env.example:6443");
  const loaded = loadKubeConfig({ path: flag, env: { KUBECONFIG: fromEnv }, ...noCluster });
  assert.equal(loaded.source, "flag");
  assert.equal(loaded.config.getCurrentCluster()?.server, "https://flag.example:6443");
  assert.equal(loaded.inCluster, false);
});

test("without a flag, KUBECONFIG is used", () => {
  const fromEnv = writeKubeconfig("env2.yaml", "https://env2.example:6443");
  const loaded = loadKubeConfig({ env: { KUBECONFIG: fromEnv }, ...noCluster });
  assert.equal(loaded.source, "default");
  assert.equal(loaded.config.getCurrentCluster()?.server, "https://env2.example:6443");
});

test("a missing --kubeconfig file is named in the error", () => {
  assert.throws(
    () => loadKubeConfig({ path: path.join(dir, "nope.yaml"), ...noCluster }),
    /kubeconfig .*nope\.yaml \(--kubeconfig\) does not exist/,
  );
});

test("the clients share one configuration", () => {
  const loaded = loadKubeConfig({ path: writeKubeconfig("c.yaml", "https://c.example:6443"), ...noCluster });
  const clients = makeKubeClients(loaded.config);
  assert.equal(clients.rest.config, loaded.config);
  assert.ok(clients.core && clients.coordination);
});
