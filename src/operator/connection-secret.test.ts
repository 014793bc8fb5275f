// writeConnectionSecret against a real API server: what it sends with and without the informer's
// copy (requests counted on the real client).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { coreResources } from "../kube/resource.ts";
import { type HttpMethod, KubeRest, type RequestOptions } from "../kube/rest.ts";
import { type KubeTestEnv, kubeTestEnv } from "../kube/test-env.ts";
import type { SecretObject } from "../secrets/secret-values.ts";
import { SecretConflictError, writeConnectionSecret } from "./connection-secret.ts";

class CountingRest extends KubeRest {
  sent: string[] = [];
  override request<T>(method: HttpMethod, path: string, options?: RequestOptions): Promise<T> {
    this.sent.push(method);
    return super.request<T>(method, path, options);
  }
}

let env: KubeTestEnv;
let rest: CountingRest;
before(async () => {
  env = await kubeTestEnv("connection-secret");
  rest = new CountingRest(env.rest.config);
});
after(async () => {
  rest?.close();
  await env?.close();
});

const owner = (name: string, uid: string) => ({
  apiVersion: "aws-infra-operator.runner.codes/v1alpha1",
  kind: "ElastiCacheCluster",
  metadata: { name, namespace: env.namespace, uid },
});
const read = (name: string) =>
  env.rest.get<SecretObject>(coreResources.secrets, { namespace: env.namespace, name });

test("an informer copy that is ours and already holds the data: nothing is sent", async () => {
  const cache = owner("settled", "00000000-0000-0000-0000-000000000001");
  assert.equal(
    await writeConnectionSecret(rest, cache, "settled-connection", { endpoint: "a:1" }, false),
    true,
  );
  const copy = await read("settled-connection");
  rest.sent = [];
  assert.equal(
    await writeConnectionSecret(rest, cache, "settled-connection", { endpoint: "a:1" }, false, copy),
    false,
  );
  assert.deepEqual(rest.sent, []);
  // A kept token counts as held data: the copy has one, the new data has none.
  await writeConnectionSecret(rest, cache, "settled-connection", { endpoint: "a:1", authToken: "t" }, false);
  const withToken = await read("settled-connection");
  rest.sent = [];
  assert.equal(
    await writeConnectionSecret(rest, cache, "settled-connection", { endpoint: "a:1" }, true, withToken),
    false,
  );
  assert.deepEqual(rest.sent, []);
});

test("an informer copy with other data: read from the server, then written", async () => {
  const cache = owner("changed", "00000000-0000-0000-0000-000000000002");
  await writeConnectionSecret(rest, cache, "changed-connection", { endpoint: "a:1" }, false);
  const stale = await read("changed-connection");
  rest.sent = [];
  assert.equal(
    await writeConnectionSecret(rest, cache, "changed-connection", { endpoint: "b:2" }, false, stale),
    true,
  );
  assert.deepEqual(rest.sent, ["GET", "PUT"]);
  const now = await read("changed-connection");
  assert.equal(Buffer.from(now.data?.endpoint ?? "", "base64").toString(), "b:2");
});

test("an informer copy that is someone else's: the server's copy decides, and it is refused", async () => {
  await env.rest.create(coreResources.secrets, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "theirs", namespace: env.namespace },
    data: { endpoint: Buffer.from("a:1").toString("base64") },
  });
  const copy = await read("theirs");
  const cache = owner("intruder", "00000000-0000-0000-0000-000000000003");
  await assert.rejects(
    writeConnectionSecret(rest, cache, "theirs", { endpoint: "a:1" }, false, copy),
    SecretConflictError,
  );
  assert.equal((await read("theirs")).metadata?.ownerReferences, undefined);
});
