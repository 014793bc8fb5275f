import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseManifests } from "../api/manifests.ts";
import { manifestSetOf } from "./manifest-set.ts";
import { UserError } from "./user-error.ts";

const cluster = (extra = "") => `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: ElastiCacheCluster
metadata:
  name: c
spec:
  providerRef:
    name: p
  clusterID: c-1
  engine: redis
  engineVersion: "7.1"
  nodeType: cache.t3.micro
${extra}`;

const set = (text: string) => manifestSetOf(parseManifests(text, "f.yaml"));

describe("manifestSetOf", () => {
  it("sorts documents by kind, with the default namespace and schema defaults", () => {
    const s = set(
      `${cluster()}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: abc\ndata:\n  other: eHl6\n`,
    );
    assert.equal(s.clusters.length, 1);
    assert.equal(s.clusters[0]?.metadata.namespace, "default");
    assert.equal(s.clusters[0]?.spec.deletionPolicy, "Delete");
    assert.deepEqual(s.secrets.get("default/s")?.data, {
      other: "eHl6",
      token: Buffer.from("abc").toString("base64"),
    });
  });

  it("lists every problem with file:document, as validate does", () => {
    assert.throws(
      () =>
        set(`${cluster("  numCacheNodes: 0\n")}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n`),
      (err: unknown) => {
        assert.ok(err instanceof UserError);
        assert.match(err.message, /^f\.yaml:1: spec\.numCacheNodes: /m);
        assert.match(err.message, /^f\.yaml:2: unknown kind "ConfigMap"/m);
        return true;
      },
    );
  });

  it("refuses the same object twice", () => {
    assert.throws(() => set(`${cluster()}---\n${cluster()}`), /ElastiCacheCluster default\/c appears twice/);
  });

  it("refuses names and namespaces Kubernetes would refuse, naming the document, kind and rule", () => {
    const secret = (namespace: string, name: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n`;
    assert.throws(
      () =>
        set(
          `${secret("x/../../../../escaped", "s")}---\n${secret("ok", "Bad_Name")}---\n${cluster().replace("name: c", "name: a.b.")}`,
        ),
      (err: unknown) => {
        assert.ok(err instanceof UserError);
        const lines = err.message.split("\n");
        assert.equal(lines.length, 3);
        assert.match(
          lines[0] ?? "",
          /^f\.yaml:1: Secret "s": metadata\.namespace: "x\/\.\.\/\.\.\/\.\.\/\.\.\/escaped" must be a DNS-1123 label/,
        );
        assert.match(lines[1] ?? "", /^f\.yaml:2: Secret "Bad_Name": metadata\.name: .* DNS-1123 subdomain/);
        assert.match(lines[2] ?? "", /^f\.yaml:3: ElastiCacheCluster "a\.b\.": metadata\.name: /);
        return true;
      },
    );
  });
});
