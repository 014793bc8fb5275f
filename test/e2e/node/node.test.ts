// The real node itself (tools/node): Ready, a Pod from the image built from packages runs under Pod
// Security "restricted" as uid 1000 and reaches the API through the kubernetes Service with its
// kubelet-mounted ServiceAccount token, kubectl logs works from the host, and tools/node/down
// leaves no process, cgroup, network namespace, interface or mount behind.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { nodeTestsSkipReason, runToolOk, startNode, type TestNode, timings } from "../../support/node.ts";
import { waitFor } from "../../support/wait.ts";

const skip = nodeTestsSkipReason();

describe("a real node: kubelet and containerd in their own network namespace", { skip }, () => {
  let node: TestNode;
  before(async () => {
    node = await startNode();
    process.stderr.write(`node timings: ${JSON.stringify(timings)}\n`);
  });
  after(async () => {
    await node?.stop();
  });

  test("the Node is Ready, named by its IP, with the control plane's Kubernetes version", async () => {
    const json = JSON.parse(
      await runToolOk(node.kubectl, ["get", "node", node.env.NODE_NAME as string, "-o", "json"]),
    );
    const ready = json.status.conditions.find((c: { type: string }) => c.type === "Ready");
    assert.equal(ready?.status, "True");
    assert.equal(json.status.nodeInfo.kubeletVersion, "v1.34.4");
    assert.match(json.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/1\.6\./);
    assert.deepEqual(
      json.status.addresses.find((a: { type: string }) => a.type === "InternalIP")?.address,
      node.env.NODE_IP,
    );
  });

  test("a restricted Pod of the built image runs as uid 1000 and calls the API with its projected token", async () => {
    await runToolOk(node.kubectl, ["create", "namespace", "smoke"]);
    await runToolOk(node.kubectl, [
      "label",
      "namespace",
      "smoke",
      "pod-security.kubernetes.io/enforce=restricted",
    ]);
    await runToolOk(node.kubectl, [
      "create",
      "clusterrolebinding",
      "smoke-version",
      "--clusterrole=system:discovery",
      "--serviceaccount=smoke:default",
    ]);
    const script = [
      "const fs = require('fs'); const sa = '/var/run/secrets/kubernetes.io/serviceaccount/';",
      "require('https').get({ host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT, path: '/version',",
      "  ca: fs.readFileSync(sa + 'ca.crt'), servername: 'kubernetes.default.svc', headers: { authorization: 'Bearer ' + fs.readFileSync(sa + 'token', 'utf8') } },",
      "  (r) => { let s = ''; r.on('data', (d) => (s += d)); r.on('end', () => { console.log('uid=' + process.getuid(), r.statusCode, JSON.parse(s).gitVersion); setInterval(() => {}, 1e6); }); })",
      "  .on('error', (e) => { console.log('error', e.message); process.exit(1); });",
    ].join("\n");
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "smoke", namespace: "smoke" },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "smoke",
            image: node.image.name,
            imagePullPolicy: "Never",
            command: ["node", "-e", script],
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"] },
            },
          },
        ],
      },
    };
    await runToolOk(node.kubectl, ["apply", "-f", "-"], JSON.stringify(pod));
    const log = await waitFor(
      "the smoke Pod's log line",
      () => runToolOk(node.kubectl, ["logs", "-n", "smoke", "smoke"]).catch(() => ""),
      (l) => l.includes("uid=") || l.includes("error"),
      90_000,
    );
    assert.match(log, /^uid=1000 200 v1\.34\.4$/m);
  });

  test("down leaves no process, cgroup, network namespace, interface or mount behind", async () => {
    const { dir, env } = node;
    await node.stop();
    const leftovers: string[] = [];
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir)) leftovers.push(`process ${pid}`);
      } catch {}
    }
    if (existsSync(`/run/netns/${env.NODE_NETNS}`)) leftovers.push(`netns ${env.NODE_NETNS}`);
    if (existsSync(`/sys/class/net/${env.NODE_HOST_IF}`)) leftovers.push(`interface ${env.NODE_HOST_IF}`);
    for (const line of readFileSync("/proc/self/mounts", "utf8").split("\n")) {
      const [, mountPoint, type] = line.split(" ");
      if (mountPoint?.includes(dir)) leftovers.push(`mount ${mountPoint}`);
      if ((type === "cgroup" || type === "cgroup2") && existsSync(`${mountPoint}${env.NODE_CGROUP}`))
        leftovers.push(`cgroup ${mountPoint}${env.NODE_CGROUP}`);
    }
    assert.deepEqual(leftovers, []);
  });
});
