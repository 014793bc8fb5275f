import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { Authorization } from "./authorization.ts";
import { kubeConfigFromString } from "./kubeconfig.ts";

const dir = mkdtempSync(path.join(tmpdir(), "exec-credential-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A plugin that counts its runs and prints a token (and an expiry when given). */
function plugin(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho run >> "${file}.runs"\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}
const runs = (file: string) => readFileSync(`${file}.runs`, "utf8").trim().split("\n").length;

function kubeconfig(command: string, extra = ""): string {
  return `apiVersion: v1
kind: Config
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ${command}
      args: [get-token, --cluster, demo]
      env: [{name: PLUGIN_GREETING, value: hello}]${extra}
`;
}

describe("exec credential plugins", () => {
  it("use the plugin's token, passing args, env and KUBERNETES_EXEC_INFO, cached until near expiry", () => {
    const file = plugin(
      "ok",
      `test "$1 $2 $3" = "get-token --cluster demo" && test "$PLUGIN_GREETING" = hello && echo "$KUBERNETES_EXEC_INFO" | grep -q ExecCredential || exit 3
echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"plugin-token-1","expirationTimestamp":"2030-01-01T00:10:00Z"}}'`,
    );
    const config = kubeConfigFromString(kubeconfig(file));
    assert.equal(config.credentials.kind, "exec");
    let now = Date.parse("2030-01-01T00:00:00Z");
    const auth = new Authorization(config.credentials, () => now);
    assert.equal(auth.header(), "Bearer plugin-token-1");
    now += 8 * 60_000;
    assert.equal(auth.header(), "Bearer plugin-token-1");
    assert.equal(runs(file), 1);
    now += 90_000; // within a minute of the expiry: renewed
    auth.header();
    assert.equal(runs(file), 2);
  });

  it("say which plugin failed and why, without the token", () => {
    const failing = plugin("failing", `echo "could not find credentials for profile prod" >&2; exit 1`);
    const auth = new Authorization(kubeConfigFromString(kubeconfig(failing)).credentials);
    assert.throws(
      () => auth.header(),
      /users\[u\]\.user\.exec: running the credential plugin failed: could not find credentials/,
    );
    const missing = new Authorization(kubeConfigFromString(kubeconfig("no-such-plugin-here")).credentials);
    assert.throws(() => missing.header(), /no-such-plugin-here is not installed or not on PATH/);
    const certs = plugin("certs", `echo '{"status":{"clientCertificateData":"x","clientKeyData":"y"}}'`);
    const certAuth = new Authorization(kubeConfigFromString(kubeconfig(certs)).credentials);
    assert.throws(() => certAuth.header(), /returned no status\.token/);
  });
});
