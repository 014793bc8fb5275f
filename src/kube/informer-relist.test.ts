// The informer's 410 path against a real API server: while the informer is cut off (through a
// TCP proxy the test controls), objects change, etcd is compacted and the API server restarts
// (emptying its watch cache), so resuming from the old resourceVersion gets 410 Gone and the
// informer must relist and still deliver the delete it missed. Uses a private control plane,
// because it restarts the API server.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { openSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import { type ControlPlane, startControlPlane } from "../../test/support/controlplane.ts";
import { Informer } from "./informer.ts";
import { type KubeConfig, kubeConfigFromString } from "./kubeconfig.ts";
import { coreResources } from "./resource.ts";
import { KubeRest } from "./rest.ts";
import { ensureWidgetCrd, newWidget, type Widget, waitFor, widgets } from "./test-env.ts";

let cp: ControlPlane;
let proxy: PausableProxy;
before(async () => {
  cp = await startControlPlane();
});
after(async () => {
  await proxy?.close();
  await cp?.stop();
});

test("a resourceVersion lost across an API server restart and compaction leads to a relist", async () => {
  const direct = new KubeRest(kubeConfigFor(readFileSync(cp.kubeconfig, "utf8")));
  await ensureWidgetCrd(direct);
  const namespace = "relist";
  await direct.create(coreResources.namespaces, { metadata: { name: namespace } });
  await direct.create(widgets, newWidget(namespace, "a", { size: 1 }));
  await direct.create(widgets, newWidget(namespace, "b", { size: 1 }));

  const server = new URL(cp.env.CONTROLPLANE_SERVER ?? "");
  proxy = await PausableProxy.start(Number(server.port));
  const viaProxy = new KubeRest(
    kubeConfigFor(
      readFileSync(cp.kubeconfig, "utf8").replace(server.origin, `https://127.0.0.1:${proxy.port}`),
    ),
  );
  const informer = new Informer<Widget>(viaProxy, widgets, {
    namespace,
    backoff: { baseMs: 100, capMs: 500 },
  });
  const seen: string[] = [];
  informer.addHandlers({
    add: (o) => seen.push(`add ${o.metadata.name}`),
    update: (_, o) => seen.push(`update ${o.metadata.name}`),
    delete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  informer.start();
  try {
    await informer.waitForSync();
    proxy.pause();
    await direct.delete(widgets, { namespace, name: "a" });
    await direct.patch(widgets, { namespace, name: "b" }, { spec: { size: 2 } });
    await direct.create(widgets, newWidget(namespace, "c", { size: 3 }));
    await compactEtcd(cp.env.CONTROLPLANE_ETCD ?? "");
    await restartApiServer(cp.dir);
    await waitFor(
      "the restarted API server",
      () =>
        direct.list(widgets, namespace).then(
          () => true,
          () => false,
        ),
      60_000,
    );
    proxy.resume();

    await waitFor(
      "the cache to converge after the relist",
      () => informer.keys().length === 2 && informer.get(`${namespace}/c`) !== undefined,
      30_000,
    );
    assert.deepEqual(informer.keys().sort(), [`${namespace}/b`, `${namespace}/c`]);
    assert.equal(informer.get(`${namespace}/b`)?.spec?.size, 2);
    assert.ok(seen.includes("delete a"), `the missed delete was delivered: ${seen.join(", ")}`);
    assert.ok(seen.includes("update b") && seen.includes("add c"), seen.join(", "));
    assert.ok(informer.stats.goneRelists >= 1, `410 Gone was seen (stats ${JSON.stringify(informer.stats)})`);
    assert.ok(informer.stats.lists >= 2);
  } finally {
    await informer.stop();
  }
});

function kubeConfigFor(text: string): KubeConfig {
  return kubeConfigFromString(text, { baseDir: cp.dir });
}

// Compacts etcd's history up to its current revision through its JSON gateway, so no old
// resourceVersion can be served from etcd either.
async function compactEtcd(etcdUrl: string): Promise<void> {
  const range = await fetch(`${etcdUrl}/v3/kv/range`, {
    method: "POST",
    body: JSON.stringify({ key: Buffer.from("/").toString("base64") }),
  });
  const { header } = (await range.json()) as { header: { revision: string } };
  const res = await fetch(`${etcdUrl}/v3/kv/compaction`, {
    method: "POST",
    body: JSON.stringify({ revision: header.revision, physical: true }),
  });
  assert.equal(res.status, 200, `etcd compaction failed: ${await res.text()}`);
}

// Stops kube-apiserver and starts it again with the same command line, recording the new pid
// where tools/controlplane/down looks for it.
async function restartApiServer(dir: string): Promise<void> {
  const pidFile = path.join(dir, "apiserver.pid");
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8")
    .split("\0")
    .filter((a) => a !== "");
  process.kill(pid, "SIGTERM");
  await waitFor("kube-apiserver to exit", () => !isAlive(pid), 30_000);
  const log = openSync(path.join(dir, "apiserver.log"), "a");
  const [program, ...args] = argv;
  const child = spawn(program ?? "kube-apiserver", args, { detached: true, stdio: ["ignore", log, log] });
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
}

function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/status`, "utf8").match(/^State:\s+(\S)/m)?.[1];
    return state !== undefined && state !== "Z";
  } catch {
    return false;
  }
}

/** A loopback TCP proxy that can cut every connection and refuse new ones until resumed. */
class PausableProxy {
  readonly port: number;
  #server: net.Server;
  #sockets = new Set<net.Socket>();
  #paused = false;

  private constructor(server: net.Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  static async start(targetPort: number): Promise<PausableProxy> {
    let self: PausableProxy | undefined;
    const server = net.createServer((client) => {
      if (self === undefined || self.#paused) {
        client.destroy();
        return;
      }
      const upstream = net.connect(targetPort, "127.0.0.1");
      const sockets = self.#sockets;
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    self = new PausableProxy(server, (server.address() as net.AddressInfo).port);
    return self;
  }

  pause(): void {
    this.#paused = true;
    for (const s of this.#sockets) s.destroy();
  }

  resume(): void {
    this.#paused = false;
  }

  async close(): Promise<void> {
    this.pause();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
