import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import {
  defaultKubeconfigPath,
  inClusterConfig,
  kubeConfigFromFile,
  kubeConfigFromString,
} from "./kubeconfig.ts";

const dir = mkdtempSync(path.join(tmpdir(), "kit-kubeconfig-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** A kubeconfig with one context "main" joining `cluster` and `user` (flow-style YAML maps). */
function kubeconfig(cluster: string, user: string, extra = ""): string {
  return [
    `clusters: [{name: c, cluster: {${cluster}}}]`,
    `users: [{name: u, user: {${user}}}]`,
    `contexts: [{name: main, context: {cluster: c, user: u${extra}}}]`,
    "current-context: main",
  ].join("\n");
}

test("server (trailing slash dropped), inline CA, insecure-skip-tls-verify and tls-server-name", () => {
  const c = kubeConfigFromString(
    kubeconfig(
      `server: 'https://api.example:6443/', certificate-authority-data: ${b64("CA PEM")}, insecure-skip-tls-verify: true, tls-server-name: kubernetes.default`,
      "token: t0k",
    ),
  );
  assert.equal(c.server, "https://api.example:6443");
  assert.equal(c.tls.ca?.toString(), "CA PEM");
  assert.equal(c.tls.rejectUnauthorized, false);
  assert.equal(c.tls.serverName, "kubernetes.default");
  assert.deepEqual(c.credentials, { kind: "token", token: "t0k" });
});

test("TLS is verified unless the kubeconfig says otherwise", () => {
  const c = kubeConfigFromString(kubeconfig("server: 'https://a'", "token: t"));
  assert.equal(c.tls.rejectUnauthorized, true);
  assert.equal(c.tls.ca, undefined);
  assert.equal(c.tls.serverName, undefined);
});

test("file paths (CA, client certificate and key, tokenFile) are relative to the kubeconfig's folder", () => {
  const folder = path.join(dir, "files");
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "ca.crt"), "CA FILE");
  writeFileSync(path.join(folder, "client.crt"), "CERT FILE");
  writeFileSync(path.join(folder, "client.key"), "KEY FILE");
  const file = path.join(folder, "config");
  writeFileSync(
    file,
    kubeconfig(
      "server: 'https://a', certificate-authority: ca.crt",
      "client-certificate: client.crt, client-key: client.key, tokenFile: token",
      ", namespace: team",
    ),
  );
  const c = kubeConfigFromFile(file);
  assert.equal(c.tls.ca?.toString(), "CA FILE");
  assert.equal(c.tls.cert?.toString(), "CERT FILE");
  assert.equal(c.tls.key?.toString(), "KEY FILE");
  assert.deepEqual(c.credentials, { kind: "tokenFile", path: path.join(folder, "token"), refreshMs: 60_000 });
  assert.equal(c.namespace, "team");
  assert.equal(c.origin, file);
});

test("inline client certificate and key, no token: certificate authentication only", () => {
  const c = kubeConfigFromString(
    kubeconfig(
      "server: 'https://a'",
      `client-certificate-data: ${b64("CERT")}, client-key-data: ${b64("KEY")}`,
    ),
  );
  assert.equal(c.tls.cert?.toString(), "CERT");
  assert.equal(c.tls.key?.toString(), "KEY");
  assert.deepEqual(c.credentials, { kind: "none" });
});

test("-data wins over the file path of the same field", () => {
  const c = kubeConfigFromString(
    kubeconfig(
      `server: 'https://a', certificate-authority: /nonexistent/ca, certificate-authority-data: ${b64("X")}`,
      "",
    ),
  );
  assert.equal(c.tls.ca?.toString(), "X");
});

test("username and password: basic authentication", () => {
  const c = kubeConfigFromString(kubeconfig("server: 'https://a'", "username: admin, password: pw"));
  assert.deepEqual(c.credentials, { kind: "basic", username: "admin", password: "pw" });
});

test("a named context replaces current-context", () => {
  const text = [
    "clusters: [{name: one, cluster: {server: 'https://one'}}, {name: two, cluster: {server: 'https://two'}}]",
    "users: [{name: u, user: {token: t}}]",
    "contexts: [{name: a, context: {cluster: one, user: u}}, {name: b, context: {cluster: two, user: u}}]",
    "current-context: a",
  ].join("\n");
  assert.equal(kubeConfigFromString(text).server, "https://one");
  assert.equal(kubeConfigFromString(text, { context: "b" }).server, "https://two");
});

test("auth providers and proxies are refused, naming the field; exec plugins need a command", () => {
  assert.throws(
    () => kubeConfigFromString(kubeconfig("server: 'https://a'", "exec: {apiVersion: v1}")),
    /users\[u\]\.user\.exec\.command is empty/,
  );
  assert.throws(
    () => kubeConfigFromString(kubeconfig("server: 'https://a'", "auth-provider: {name: oidc}")),
    /users\[u\]\.user\.auth-provider is not supported/,
  );
  assert.throws(
    () => kubeConfigFromString(kubeconfig("server: 'https://a', proxy-url: 'http://p:3128'", "token: t")),
    /clusters\[c\]\.cluster\.proxy-url is not supported/,
  );
});

test("errors name what is missing", () => {
  assert.throws(
    () => kubeConfigFromString("clusters: []", { origin: "k.yaml" }),
    /kubeconfig k\.yaml has no current-context/,
  );
  assert.throws(
    () => kubeConfigFromString(kubeconfig("server: 'https://a'", "token: t"), { context: "nope" }),
    /no contexts entry named "nope"/,
  );
  assert.throws(
    () => kubeConfigFromString(kubeconfig("insecure-skip-tls-verify: true", "token: t")),
    /clusters\[c\]\.cluster\.server is empty/,
  );
  assert.throws(
    () => kubeConfigFromString(kubeconfig("server: 'https://a'", `client-certificate-data: ${b64("C")}`)),
    /client certificate without a key/,
  );
  assert.throws(
    () =>
      kubeConfigFromString(kubeconfig("server: 'https://a', certificate-authority: missing.crt", ""), {
        baseDir: dir,
      }),
    /certificate-authority .*missing\.crt cannot be read: ENOENT/,
  );
  assert.throws(
    () => kubeConfigFromString("a: [", { origin: "bad.yaml" }),
    /kubeconfig bad\.yaml is not valid YAML/,
  );
});

test("errors never carry the token", () => {
  try {
    kubeConfigFromString(kubeconfig("server: 'https://a'", "token: very-secret, exec: {command: x}"));
    assert.fail("expected an error");
  } catch (err) {
    assert.doesNotMatch((err as Error).message, /very-secret/);
  }
});

test("in-cluster: server from the service env, token file, CA and namespace from the service-account folder", () => {
  const sa = path.join(dir, "serviceaccount");
  mkdirSync(sa, { recursive: true });
  writeFileSync(path.join(sa, "token"), "tok");
  writeFileSync(path.join(sa, "ca.crt"), "CLUSTER CA");
  writeFileSync(path.join(sa, "namespace"), "operators\n");
  const c = inClusterConfig({ KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" }, sa);
  assert.equal(c.server, "https://10.96.0.1:443");
  assert.equal(c.tls.ca?.toString(), "CLUSTER CA");
  assert.equal(c.tls.rejectUnauthorized, true);
  assert.deepEqual(c.credentials, { kind: "tokenFile", path: path.join(sa, "token"), refreshMs: 60_000 });
  assert.equal(c.namespace, "operators");
  assert.equal(c.origin, "in-cluster");

  const v6 = inClusterConfig({ KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" }, sa);
  assert.equal(v6.server, "https://[fd00::1]:443");
  assert.throws(
    () => inClusterConfig({ KUBERNETES_SERVICE_HOST: "10.96.0.1" }, sa),
    /KUBERNETES_SERVICE_PORT/,
  );
  assert.throws(
    () =>
      inClusterConfig({ KUBERNETES_SERVICE_HOST: "h", KUBERNETES_SERVICE_PORT: "1" }, path.join(dir, "none")),
    /service account token .* is missing/,
  );
});

test("default path: KUBECONFIG's first entry, else $HOME/.kube/config", () => {
  const list = ["", "/a/config", "/b/config"].join(path.delimiter);
  assert.equal(defaultKubeconfigPath({ KUBECONFIG: list }), "/a/config");
  assert.equal(defaultKubeconfigPath({ HOME: "/home/me" }), "/home/me/.kube/config");
  assert.equal(defaultKubeconfigPath({}, "/root"), "/root/.kube/config");
});
