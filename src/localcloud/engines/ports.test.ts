import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";

import { isPortFree, PortAllocator } from "./ports.ts";

test("concurrent allocations get distinct free ports below the ephemeral range", async () => {
  const allocator = new PortAllocator("127.0.0.1");
  const ports = await Promise.all(Array.from({ length: 50 }, () => allocator.allocate()));
  assert.equal(new Set(ports).size, 50);
  for (const port of ports) assert.ok(port >= 20000 && port < 30000);
});

test("a port someone listens on is not free", async (t) => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  const port = (server.address() as net.AddressInfo).port;
  assert.equal(await isPortFree("127.0.0.1", port), false);
});
