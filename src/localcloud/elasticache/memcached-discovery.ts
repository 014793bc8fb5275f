// The configuration endpoint of a memcached cluster, as AWS's auto-discovery clients (ElastiCache
// Cluster Client and the like) expect it: it answers `config get cluster` with a version line and
// the nodes as `host|ip|port`, and passes every other command through to the cluster's first node.
// Real memcached answers `config get cluster` with ERROR, hence this small front in the local cloud.
import { readFileSync } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import type { TlsFiles } from "../engines/contract.ts";
import type { CacheClusterRecord } from "../state/records.ts";

const configRequest = /^config get cluster\r?\n/i;

/** The reply to `config get cluster`: the payload's byte count, the version, the node list. */
export function configGetClusterReply(version: number, nodes: { address: string; port: number }[]): string {
  const list = nodes.map((n) => `${n.address}|${n.address}|${n.port}`).join(" ");
  const payload = `${version}\n${list}\n`;
  return `CONFIG cluster 0 ${Buffer.byteLength(payload)}\r\n${payload}\r\nEND\r\n`;
}

interface Front {
  server: net.Server;
  port: number;
  sockets: Set<net.Socket>;
}

/** One front per memcached cluster, keyed by cluster ARN (unique across accounts and regions). */
export class MemcachedDiscovery {
  readonly #fronts = new Map<string, Front>();
  readonly #tlsFiles: () => Promise<TlsFiles>;

  constructor(tlsFiles: () => Promise<TlsFiles>) {
    this.#tlsFiles = tlsFiles;
  }

  /**
   * Opens (or keeps) the cluster's configuration endpoint, on its recorded port when it has one,
   * and records the port. Call again after nodes change: the version goes up, as on AWS.
   */
  async open(cluster: CacheClusterRecord): Promise<void> {
    if (cluster.engine !== "memcached") return;
    cluster.configVersion = (cluster.configVersion ?? 0) + 1;
    if (this.#fronts.has(cluster.arn)) return;
    const address = cluster.nodes[0]?.address ?? "127.0.0.1";
    const files = cluster.transitEncryption ? await this.#tlsFiles() : undefined;
    const ca = files ? readFileSync(files.caFile, "utf8") : undefined;
    const sockets = new Set<net.Socket>();
    const onClient = (client: net.Socket) => {
      sockets.add(client);
      client.on("close", () => sockets.delete(client));
      serveClient(client, () => cluster, ca, sockets);
    };
    // Half-open: a client that shuts its sending side (nc, scripts) still gets the replies.
    const server = files
      ? tls.createServer(
          { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile), allowHalfOpen: true },
          onClient,
        )
      : net.createServer({ allowHalfOpen: true }, onClient);
    const port = await listenOn(server, address, cluster.configPort);
    cluster.configPort = port;
    this.#fronts.set(cluster.arn, { server, port, sockets });
  }

  async close(cluster: CacheClusterRecord): Promise<void> {
    const front = this.#fronts.get(cluster.arn);
    if (front === undefined) return;
    this.#fronts.delete(cluster.arn);
    await closeFront(front);
  }

  async closeAll(): Promise<void> {
    const fronts = [...this.#fronts.values()];
    this.#fronts.clear();
    await Promise.all(fronts.map(closeFront));
  }
}

function closeFront(front: Front): Promise<void> {
  for (const s of front.sockets) s.destroy();
  return new Promise((resolve) => front.server.close(() => resolve()));
}

function listenOn(server: net.Server, host: string, wanted: number | undefined): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  // The port a restart had: reused when free, else a new one (clients read it from the API).
  return wanted === undefined ? attempt(0) : attempt(wanted).catch(() => attempt(0));
}

/**
 * Answers `config get cluster` requests at the start of a connection itself; from the first other
 * command on, the connection is piped to the first node (memcached's own replies).
 */
function serveClient(
  client: net.Socket,
  cluster: () => CacheClusterRecord,
  ca: string | undefined,
  sockets: Set<net.Socket>,
): void {
  let pending = Buffer.alloc(0);
  let piped = false;
  client.on("end", () => {
    if (!piped) client.end();
  });
  const onData = (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const text = pending.toString("latin1");
      const m = configRequest.exec(text);
      if (m !== null) {
        const c = cluster();
        client.write(configGetClusterReply(c.configVersion ?? 1, liveNodes(c)));
        pending = pending.subarray(m[0].length);
        continue;
      }
      // Not a whole line yet, and possibly the start of `config get cluster`: wait for more.
      if (!text.includes("\n") && "config get cluster".startsWith(text.toLowerCase().trimEnd())) return;
      break;
    }
    if (pending.length === 0) return;
    client.off("data", onData);
    client.pause();
    piped = true;
    const first = cluster().nodes[0];
    if (first?.port === undefined) {
      client.end("SERVER_ERROR the cluster has no node running\r\n");
      return;
    }
    const host = first.address ?? "127.0.0.1";
    const upstream = ca
      ? tls.connect({ host, port: first.port, ca })
      : net.connect({ host, port: first.port });
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.write(pending);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  };
  client.on("data", onData);
  client.on("error", () => client.destroy());
}

function liveNodes(c: CacheClusterRecord): { address: string; port: number }[] {
  return c.nodes.flatMap((n) =>
    n.port === undefined ? [] : [{ address: n.address ?? "127.0.0.1", port: n.port }],
  );
}
