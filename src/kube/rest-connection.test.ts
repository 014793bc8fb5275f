// KubeRest's connection settings against the real API server: the CA and tls-server-name checks,
// insecure-skip-tls-verify, bearer tokens (inline and from a file) and the request timeout. The
// test control plane's serving certificate names 127.0.0.1, localhost and kubernetes.default.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { KubeConfig } from "./kubeconfig.ts";
import { KubeApiError, KubeRest } from "./rest.ts";
import { type KubeTestEnv, kubeTestEnv } from "./test-env.ts";

let env: KubeTestEnv;
const dir = mkdtempSync(path.join(tmpdir(), "kit-rest-connection-"));
const opened: KubeRest[] = [];
before(async () => {
  env = await kubeTestEnv("kit-conn");
});
after(async () => {
  for (const rest of opened) rest.close();
  rmSync(dir, { recursive: true, force: true });
  await env?.close();
});

/** A client on the test control plane with some settings changed. */
function client(change: (admin: KubeConfig) => KubeConfig): KubeRest {
  const rest = new KubeRest(change(env.rest.config));
  opened.push(rest);
  return rest;
}
const withoutClientCertificate = (c: KubeConfig): KubeConfig => ({
  ...c,
  tls: { ...c.tls, cert: undefined, key: undefined },
});
const whoAmI = async (rest: KubeRest): Promise<string | undefined> => {
  const review = await rest.request<{ status?: { userInfo?: { username?: string } } }>(
    "POST",
    "/apis/authentication.k8s.io/v1/selfsubjectreviews",
    { body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" } },
  );
  return review.status?.userInfo?.username;
};

test("the client certificate authenticates, the CA verifies the server", async () => {
  assert.equal(await whoAmI(env.rest), "admin");
});

test("tls-server-name: the certificate is checked against that name instead of the URL's host", async () => {
  const good = client((c) => ({ ...c, tls: { ...c.tls, serverName: "kubernetes.default" } }));
  assert.equal(await whoAmI(good), "admin");
  const wrong = client((c) => ({ ...c, tls: { ...c.tls, serverName: "wrong.example" } }));
  await assert.rejects(whoAmI(wrong), /ERR_TLS_CERT_ALTNAME_INVALID|does not match|altnames/i);
});

test("without the cluster CA the server is refused, unless insecure-skip-tls-verify", async () => {
  const noCa = client((c) => ({ ...c, tls: { ...c.tls, ca: undefined } }));
  await assert.rejects(whoAmI(noCa), /certificate|self.signed|verify/i);
  const insecure = client((c) => ({ ...c, tls: { ...c.tls, ca: undefined, rejectUnauthorized: false } }));
  assert.equal(await whoAmI(insecure), "admin");
});

test("bearer tokens: a ServiceAccount token, inline or from a file; a wrong one is 401", async () => {
  const { rest, namespace } = env;
  await rest.request("POST", `/api/v1/namespaces/${namespace}/serviceaccounts`, {
    body: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot" } },
  });
  const issued = await rest.request<{ status: { token: string } }>(
    "POST",
    `/api/v1/namespaces/${namespace}/serviceaccounts/robot/token`,
    {
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 600 },
      },
    },
  );
  const expected = `system:serviceaccount:${namespace}:robot`;
  const inline = client((c) => ({
    ...withoutClientCertificate(c),
    credentials: { kind: "token", token: issued.status.token },
  }));
  assert.equal(await whoAmI(inline), expected);

  const file = path.join(dir, "token");
  writeFileSync(file, `${issued.status.token}\n`);
  const fromFile = client((c) => ({
    ...withoutClientCertificate(c),
    credentials: { kind: "tokenFile", path: file, refreshMs: 60_000 },
  }));
  assert.equal(await whoAmI(fromFile), expected);

  const wrong = client((c) => ({
    ...withoutClientCertificate(c),
    credentials: { kind: "token", token: "wrong" },
  }));
  await assert.rejects(whoAmI(wrong), (err) => {
    assert.ok(err instanceof KubeApiError);
    assert.equal(err.status, 401);
    assert.doesNotMatch(err.message, /wrong/, "the token is not in the error");
    return true;
  });
});

test("a request that outlives timeoutMs is aborted; an aborted watch resolves", async () => {
  const { rest, namespace } = env;
  // A watch request answered in full only at its timeoutSeconds: the 50 ms client timeout wins.
  await assert.rejects(
    rest.request("GET", `/api/v1/namespaces/${namespace}/configmaps`, {
      query: { watch: true, timeoutSeconds: 30 },
      timeoutMs: 50,
    }),
    (err) => (err as Error).name === "AbortError" || /abort/i.test(String(err)),
  );
  const stop = new AbortController();
  const watching = rest.watch(`/api/v1/namespaces/${namespace}/configmaps`, {}, () => {}, stop.signal);
  setTimeout(() => stop.abort(), 200);
  await watching;
});
