// A stand-in for a tenant's own "STS": plain TCP on 127.0.0.1 that records every byte any
// connection sends (and answers nothing), so a test can show that no token, key or Secret value
// ever reached it, or that nothing connected at all.
import net from "node:net";

export interface CaptureServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Everything received so far, all connections concatenated. */
  received(): string;
  stop(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("data", (data) => chunks.push(data));
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    received: () => Buffer.concat(chunks).toString("latin1"),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
