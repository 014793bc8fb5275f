import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parseManifests } from "../api/manifests.ts";
import { manifestSetOf } from "./manifest-set.ts";
import { resolveClusters } from "./resolve.ts";
import { StateStore } from "./state-store.ts";

const cluster = (provider: string, extra = "") => `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheCluster
metadata:
  name: c
spec:
  providerRef:
    name: ${provider}
  clusterID: c-1
  engine: redis
  engineVersion: "7.1"
  nodeType: cache.t3.micro
${extra}`;
const provider = (name: string, spec: string) => `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: AWSProvider
metadata:
  name: ${name}
spec:
  region: eu-west-1
${spec}`;
const secured = `  replicationGroupDescription: x
  transitEncryptionEnabled: true
  authTokenRef:
    name: tok
    key: token
`;

describe("resolveClusters", () => {
  const dir = mkdtempSync(join(tmpdir(), "resolve-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new StateStore(dir);
  const resolve = (text: string, notices: string[] = []) => {
    const set = manifestSetOf(parseManifests(text, "f.yaml"));
    return resolveClusters(set, store, set.clusters, (l) => notices.push(l));
  };

  it("falls back to the embedded local cloud when no provider is found, and says so", () => {
    const notices: string[] = [];
    const [r] = resolve(cluster("nowhere"), notices);
    assert.equal(r?.provider.local, true);
    assert.equal(r?.provider.embedded, true);
    assert.deepEqual(r?.provider.auth, { region: "us-east-1", accessKeyId: "test", secretAccessKey: "test" });
    assert.match(notices[0] ?? "", /no AWSProvider default\/nowhere .* using the embedded local cloud/);
  });

  it("uses endpoint: local with the local cloud's keys, and a provider kept in the state dir", () => {
    const [r] = resolve(`${provider("p", "  endpoint: local\n")}---\n${cluster("p")}`);
    assert.equal(r?.provider.local, true);
    assert.equal(r?.provider.embedded, false);
    assert.equal(r?.provider.auth.region, "eu-west-1");
    assert.equal(r?.provider.auth.accessKeyId, "test");
    store.put(
      store.prepare({
        apiVersion: "v1",
        kind: "AWSProvider",
        name: "kept",
        namespace: "default",
        spec: { region: "ap-south-1", endpoint: "http://127.0.0.1:9" },
        now: new Date(),
      }),
    );
    const [k] = resolve(cluster("kept"));
    assert.equal(k?.provider.local, false);
    assert.equal(k?.provider.auth.endpoint, "http://127.0.0.1:9");
  });

  it("reads the auth token from a Secret in the files", () => {
    const [r] = resolve(
      `${cluster("p", secured)}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: tok\nstringData:\n  token: A-Valid-Token-123456\n`,
    );
    assert.equal(r?.authToken, "A-Valid-Token-123456");
  });

  it("names missing Secrets and what to add, for tokens and provider keys together", () => {
    const keys =
      "  accessKeyIDRef:\n    name: creds\n    key: id\n  secretAccessKeyRef:\n    name: creds\n    key: secret\n";
    assert.throws(
      () => resolve(`${provider("p", keys)}---\n${cluster("p", secured)}`),
      (err: Error) => {
        assert.match(err.message, /AWSProvider default\/p cannot get credentials: Secret default\/creds/);
        assert.match(err.message, /Secret default\/tok \(referenced by spec\.authTokenRef\) does not exist/);
        assert.match(err.message, /add a Secret document named tok with the key token/);
        return true;
      },
    );
  });
});
