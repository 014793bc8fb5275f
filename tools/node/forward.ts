// A TCP forwarder from the node's side of its veth to the control plane on the host's loopback:
// kube-apiserver listens on 127.0.0.1 only, which the node's network namespace cannot reach.
// Bytes are copied as they are (TLS stays end to end between the client and kube-apiserver).
//
//   node tools/node/forward.ts LISTEN_HOST:PORT TARGET_HOST:PORT TAG
// TAG is only there so that the process's command line names the node's folder (pid checks).
import net from "node:net";

function hostPort(value: string | undefined): { host: string; port: number } {
  const m = /^(.+):(\d+)$/.exec(value ?? "");
  if (!m) {
    process.stderr.write("usage: forward.ts LISTEN_HOST:PORT TARGET_HOST:PORT TAG\n");
    process.exit(2);
  }
  return { host: m[1] as string, port: Number(m[2]) };
}

const listen = hostPort(process.argv[2]);
const target = hostPort(process.argv[3]);
const server = net.createServer((client) => {
  const upstream = net.connect(target.port, target.host);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
});
server.on("error", (error) => {
  process.stderr.write(`forward: ${error.message}\n`);
  process.exit(1);
});
server.listen(listen.port, listen.host, () => {
  process.stderr.write(`forward: ${listen.host}:${listen.port} -> ${target.host}:${target.port}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));
