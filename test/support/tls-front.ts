// An https front for a plain-http test server (the local cloud) on an address that is not loopback:
// the operator sends credentials over plain http to loopback only (--allowed-endpoints), so a Pod
// on the test node reaches the local cloud through TLS, trusting a CA of the test's making.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";

export interface TlsFront {
  /** https://HOST:PORT */
  url: string;
  /** PEM of the CA that signed the front's certificate. */
  caPem: string;
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.trim()}`);
}

/** A CA and a serving certificate for the IP `host` (keys in a temp dir removed at once). */
function certificates(host: string): { ca: string; cert: string; key: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "tls-front-"));
  try {
    const ec = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];
    openssl(["genpkey", ...ec, "-out", "ca.key"], dir);
    openssl(
      [
        "req",
        "-x509",
        "-new",
        "-key",
        "ca.key",
        "-days",
        "2",
        "-subj",
        "/CN=infra-operator-test-front-ca",
        "-out",
        "ca.crt",
      ],
      dir,
    );
    openssl(["genpkey", ...ec, "-out", "server.key"], dir);
    openssl(["req", "-new", "-key", "server.key", "-subj", `/CN=${host}`, "-out", "server.csr"], dir);
    writeFileSync(path.join(dir, "server.ext"), `subjectAltName=IP:${host}\nextendedKeyUsage=serverAuth\n`);
    openssl(
      [
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.crt",
      ],
      dir,
    );
    const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
    return { ca: read("ca.crt"), cert: read("server.crt"), key: read("server.key") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Listens with TLS on host:0 and passes each connection's bytes on to `target` (http://...). */
export async function startTlsFront(host: string, target: string): Promise<TlsFront> {
  const { ca, cert, key } = certificates(host);
  const to = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert, key }, (client) => {
    const upstream = net.connect(Number(to.port), to.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host}:${port}`,
    caPem: ca,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
