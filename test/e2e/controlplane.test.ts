// The test control plane itself: the built version is served, admin access works, RBAC denies
// what is not granted, and ServiceAccount tokens from the TokenRequest API are signed with the key
// that `up` exposes (what an IRSA test gives the local cloud to trust).
import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { before, describe, test } from "node:test";
import { type ControlPlane, sharedControlPlane } from "../support/controlplane.ts";
import { kubectl, kubectlOk } from "../support/kubectl.ts";
import { createTestNamespace } from "../support/namespace.ts";

// The version stamped by tools/controlplane/build, read from the wrapper module it builds.
function builtKubernetesVersion(): string {
  const goMod = readFileSync(
    new URL("../../tools/controlplane/kube-apiserver/go.mod", import.meta.url),
    "utf8",
  );
  const match = /k8s\.io\/kubernetes (v\d+\.\d+\.\d+)/.exec(goMod);
  assert.ok(match?.[1], "tools/controlplane/kube-apiserver/go.mod requires no k8s.io/kubernetes version");
  return match[1];
}

function decodeJwtPart(part: string | undefined): Record<string, unknown> {
  assert.ok(part, "token is not a JWT (header.payload.signature)");
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("test control plane", () => {
  let controlPlane: ControlPlane;
  let namespace: string;

  before(async () => {
    controlPlane = await sharedControlPlane();
    namespace = await createTestNamespace();
  });

  test("serves the built Kubernetes version on /version", async () => {
    const raw = await kubectlOk(["get", "--raw", "/version"]);
    const version = JSON.parse(raw) as { gitVersion: string; major: string };
    assert.equal(version.gitVersion, builtKubernetesVersion());
    assert.equal(version.major, "1");
  });

  test("the admin identity is in system:masters", async () => {
    const whoami = JSON.parse(await kubectlOk(["auth", "whoami", "-o", "json"])) as {
      status: { userInfo: { username: string; groups: string[] } };
    };
    assert.equal(whoami.status.userInfo.username, "admin");
    assert.ok(whoami.status.userInfo.groups.includes("system:masters"));
  });

  test("TokenRequest issues ServiceAccount tokens that authenticate, are signed by the exposed key, and RBAC limits", async () => {
    await kubectlOk(["create", "serviceaccount", "robot", "-n", namespace]);
    const audience = "sts.amazonaws.com";
    const token = (
      await kubectlOk([
        "create",
        "token",
        "robot",
        "-n",
        namespace,
        "--audience",
        audience,
        "--duration",
        "10m",
      ])
    ).trim();

    const [headerPart, payloadPart, signaturePart] = token.split(".");
    const header = decodeJwtPart(headerPart);
    const claims = decodeJwtPart(payloadPart);
    assert.equal(header.alg, "RS256");
    assert.equal(claims.iss, controlPlane.env.CONTROLPLANE_SA_ISSUER);
    assert.deepEqual(claims.aud, [audience]);
    assert.equal(claims.sub, `system:serviceaccount:${namespace}:robot`);

    const publicKeyPath = controlPlane.env.CONTROLPLANE_SA_PUBLIC_KEY;
    assert.ok(publicKeyPath, "controlplane.env names no CONTROLPLANE_SA_PUBLIC_KEY");
    const publicKey = createPublicKey(readFileSync(publicKeyPath));
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    assert.ok(verify("sha256", signed, publicKey, Buffer.from(signaturePart ?? "", "base64url")));
    const tampered = Buffer.from(
      `${headerPart}.${Buffer.from(JSON.stringify({ ...claims, sub: "x" })).toString("base64url")}`,
    );
    assert.equal(verify("sha256", tampered, publicKey, Buffer.from(signaturePart ?? "", "base64url")), false);

    // A token for the API server's own audience logs in as the ServiceAccount, which RBAC confines.
    const apiToken = (await kubectlOk(["create", "token", "robot", "-n", namespace])).trim();
    const asRobot = [
      "--kubeconfig=/dev/null",
      `--server=${controlPlane.env.CONTROLPLANE_SERVER}`,
      `--certificate-authority=${controlPlane.env.CONTROLPLANE_CA}`,
      `--token=${apiToken}`,
    ];
    // kubectl() prepends the run's kubeconfig; the later --kubeconfig/--server flags win.
    const whoami = await kubectl([
      ...asRobot,
      "auth",
      "whoami",
      "-o",
      "jsonpath={.status.userInfo.username}",
    ]);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal(whoami.stdout, `system:serviceaccount:${namespace}:robot`);
    const listSecrets = await kubectl([...asRobot, "get", "secrets", "-n", namespace]);
    assert.notEqual(listSecrets.code, 0);
    assert.match(listSecrets.stderr, /forbidden/);
  });
});
