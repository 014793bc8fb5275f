// The local cloud's certificate authority for in-transit encryption: generated once under
// the data dir with the openssl CLI, plus one server certificate (127.0.0.1, ::1, localhost)
// shared by every TLS node. Clients trust the CA file, as they trust Amazon's CA.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { findOnPath, MissingBinaryError } from "./binaries.ts";
import type { TlsFiles } from "./contract.ts";

const run = promisify(execFile);

export function tlsFilesIn(dataDir: string): TlsFiles {
  const dir = path.join(path.resolve(dataDir), "tls");
  return {
    caFile: path.join(dir, "ca.crt"),
    certFile: path.join(dir, "server.crt"),
    keyFile: path.join(dir, "server.key"),
  };
}

// One generation at a time per folder within this process.
const inFlight = new Map<string, Promise<TlsFiles>>();
const announced = new Set<string>();

/**
 * Returns the CA and server certificate under `<dataDir>/tls`, creating them on first use.
 * Prints the CA path (once per process) so people know what to pass to `--cacert`.
 */
export function ensureLocalCa(
  dataDir: string,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<TlsFiles> {
  const files = tlsFilesIn(dataDir);
  const existing = inFlight.get(files.caFile);
  if (existing) return existing;
  const work = createIfMissing(files).then((created) => {
    if (created || !announced.has(files.caFile)) {
      announced.add(files.caFile);
      log(`local cloud TLS CA certificate: ${files.caFile} (e.g. redis-cli --tls --cacert ${files.caFile})`);
    }
    return files;
  });
  inFlight.set(files.caFile, work);
  work.catch(() => inFlight.delete(files.caFile));
  return work;
}

async function createIfMissing(files: TlsFiles): Promise<boolean> {
  if (existsSync(files.caFile) && existsSync(files.certFile) && existsSync(files.keyFile)) return false;
  const openssl = findOnPath("openssl");
  if (!openssl) throw new MissingBinaryError("openssl");
  const finalDir = path.dirname(files.caFile);
  await mkdir(path.dirname(finalDir), { recursive: true });
  // Built in a scratch folder and renamed into place, so a crash never leaves half a CA.
  const work = await mkdtemp(`${finalDir}.tmp-`);
  try {
    const at = (name: string) => path.join(work, name);
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    await run(openssl, [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      at("ca.key"),
      "-out",
      at("ca.crt"),
      "-days",
      "3650",
      "-subj",
      "/O=infra-operator/CN=infra-operator local cloud CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    await run(openssl, [
      "req",
      "-new",
      ...ec,
      "-keyout",
      at("server.key"),
      "-out",
      at("server.csr"),
      "-subj",
      "/O=infra-operator/CN=localhost",
    ]);
    await writeFile(
      at("server.ext"),
      [
        "basicConstraints=CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        // clientAuth too: redis presents this certificate when it connects to its primary
        // or to cluster peers.
        "extendedKeyUsage=serverAuth,clientAuth",
        "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
        "",
      ].join("\n"),
    );
    await run(openssl, [
      "x509",
      "-req",
      "-in",
      at("server.csr"),
      "-CA",
      at("ca.crt"),
      "-CAkey",
      at("ca.key"),
      "-CAcreateserial",
      "-out",
      at("server.crt"),
      "-days",
      "825",
      "-extfile",
      at("server.ext"),
    ]);
    await rm(finalDir, { recursive: true, force: true });
    await rename(work, finalDir);
    return true;
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw new Error(`could not create the local TLS CA with openssl: ${(error as Error).message}`);
  }
}
