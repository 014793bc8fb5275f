// Free loopback ports for engine processes.
// Ports are drawn from 20000-29999, below Linux's ephemeral range (32768+), so that the
// port we checked cannot be taken by some outgoing connection before the engine binds it.
import net from "node:net";

const low = 20000;
const high = 30000;

/** True when nothing listens on host:port right now. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** Hands out free ports, never the same one twice from the same allocator. */
export class PortAllocator {
  private readonly given = new Set<number>();
  private readonly host: string;

  constructor(host: string) {
    this.host = host;
  }

  /** Remembers a port as taken (a node restarted on its previous port). */
  reserve(port: number): void {
    this.given.add(port);
  }

  release(port: number): void {
    this.given.delete(port);
  }

  async allocate(): Promise<number> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const port = low + Math.floor(Math.random() * (high - low));
      if (this.given.has(port)) continue;
      // Taken before the check, so concurrent allocations never hand out the same port.
      this.given.add(port);
      if (await isPortFree(this.host, port)) return port;
      this.given.delete(port);
    }
    throw new Error(`no free port found on ${this.host} in ${low}-${high - 1} after 200 attempts`);
  }
}
