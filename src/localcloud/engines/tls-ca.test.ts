// The local CA: created once, valid for loopback names, and really usable for TLS.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import tls from "node:tls";
import { promisify } from "node:util";

import { ensureLocalCa } from "./tls-ca.ts";

const run = promisify(execFile);

test("the CA is created once under <dataDir>/tls and signs a loopback server certificate", async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "engines-ca-"));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const lines: string[] = [];
  const [files, concurrent] = await Promise.all([
    ensureLocalCa(dataDir, (line) => lines.push(line)),
    ensureLocalCa(dataDir, (line) => lines.push(line)),
  ]);
  assert.deepEqual(files, concurrent);
  assert.equal(files.caFile, path.join(dataDir, "tls", "ca.crt"));
  assert.equal(lines.filter((line) => line.includes(files.caFile)).length, 1);
  const { stdout } = await run("openssl", ["verify", "-CAfile", files.caFile, files.certFile]);
  assert.match(stdout, /OK/);
  const text = (await run("openssl", ["x509", "-in", files.certFile, "-noout", "-text"])).stdout;
  assert.match(text, /IP Address:127\.0\.0\.1/);
  assert.match(text, /DNS:localhost/);

  // A second call (as after a restart) keeps the same CA.
  const caBefore = await readFile(files.caFile, "utf8");
  const mtime = (await stat(files.caFile)).mtimeMs;
  await ensureLocalCa(dataDir, () => {});
  assert.equal(await readFile(files.caFile, "utf8"), caBefore);
  assert.equal((await stat(files.caFile)).mtimeMs, mtime);

  // Node's TLS stack accepts the server certificate for 127.0.0.1 with only the CA.
  const server = tls.createServer(
    { cert: await readFile(files.certFile), key: await readFile(files.keyFile) },
    (socket) => socket.end("hi"),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  const port = (server.address() as { port: number }).port;
  const greeting = await new Promise<string>((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ca: caBefore }, () => {
      socket.once("data", (data) => resolve(data.toString()));
    });
    socket.once("error", reject);
  });
  assert.equal(greeting, "hi");
});
