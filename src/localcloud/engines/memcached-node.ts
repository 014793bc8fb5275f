// Starting one memcached node, and the few text-protocol commands the host sends it.
import { mkdir, readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import tls from "node:tls";

import type { ResolvedBinary } from "./binaries.ts";
import type { NodeOptions, TlsFiles } from "./contract.ts";
import { logTail, spawnEngine, stopEngine, stopLeftoverEngine, writePidFile } from "./engine-process.ts";
import type { ManagedNode } from "./managed-node.ts";
import { choosePort } from "./node-ports.ts";
import { readNodeState, writeNodeState } from "./node-state.ts";
import type { PortAllocator } from "./ports.ts";

export interface MemcachedStartContext {
  host: string;
  binary: ResolvedBinary;
  ports: PortAllocator;
  log: (line: string) => void;
  readyTimeoutMs: number;
}

export function memcachedArgs(
  host: string,
  port: number,
  maxMemoryMb: number,
  runningAsRoot: boolean,
  tls?: TlsFiles,
): string[] {
  const args = ["-l", host, "-p", String(port), "-U", "0", "-m", String(maxMemoryMb), "-c", "256", "-t", "1"];
  // In-transit encryption (ElastiCache has it for Memcached 1.6.12+): TLS only, no client certificates.
  if (tls) args.push("-Z", "-o", `ssl_chain_cert=${tls.certFile},ssl_key=${tls.keyFile}`);
  // memcached refuses to run as root unless told which user to be.
  if (runningAsRoot) args.push("-u", "root");
  return args;
}

/**
 * Sends one text-protocol request and collects the reply up to a line that ends it
 * (`END`, `VERSION ...`, `STORED`, an error...).
 */
export function memcachedRequest(
  host: string,
  port: number,
  request: string,
  timeoutMs = 2000,
  tlsCa?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsCa ? tls.connect({ host, port, ca: tlsCa }) : net.connect({ host, port });
    let reply = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`memcached at ${host}:${port} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(tlsCa ? "secureConnect" : "connect", () => socket.write(request));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (
        /(^|\r\n)(END|STORED|NOT_STORED|DELETED|NOT_FOUND|OK|ERROR|VERSION [^\r]*|(CLIENT|SERVER)_ERROR [^\r]*)\r\n$/.test(
          reply,
        )
      ) {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach memcached at ${host}:${port}: ${error.message}`));
    });
  });
}

export async function startMemcachedNode(
  options: NodeOptions,
  context: MemcachedStartContext,
): Promise<ManagedNode> {
  const nodeDir = path.resolve(options.dataDir);
  await mkdir(nodeDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(nodeDir, "engine.log");
  const pidFile = path.join(nodeDir, "engine.pid");
  const what = `node ${options.nodeId}`;
  if (await stopLeftoverEngine(pidFile, nodeDir)) {
    context.log(`${what}: stopped an engine left running by a previous local cloud`);
  }
  const previous = await readNodeState(nodeDir);
  const portChoice = await choosePort(
    context.ports,
    context.host,
    options.port,
    previous?.port,
    context.log,
    what,
  );
  const args = [
    ...memcachedArgs(
      context.host,
      portChoice.port,
      options.maxMemoryMb ?? 64,
      process.getuid?.() === 0,
      options.tls,
    ),
    ...(options.extraArgs ?? []),
  ];
  const tlsCa = options.tls ? await readFile(options.tls.caFile, "utf8") : undefined;
  const engine = spawnEngine(context.binary.path, args, logFile, nodeDir);
  await writePidFile(pidFile, engine.pid);
  const node: ManagedNode = {
    options,
    nodeDir,
    host: context.host,
    port: portChoice.port,
    logFile,
    pidFile,
    process: engine,
    state: { engine: "memcached", port: portChoice.port, passwordRules: [] },
    ...(tlsCa ? { tlsCa } : {}),
  };
  const deadline = Date.now() + context.readyTimeoutMs;
  let lastProblem = "no answer yet";
  for (;;) {
    if (engine.hasExited()) {
      context.ports.release(portChoice.port);
      throw new Error(
        `memcached for ${what} exited during startup; ${logFile} ends with:\n${logTail(logFile)}`,
      );
    }
    try {
      const reply = await memcachedRequest(context.host, portChoice.port, "version\r\n", 1000, tlsCa);
      if (reply.startsWith("VERSION ")) break;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      await stopEngine(engine, 2000, "SIGKILL");
      context.ports.release(portChoice.port);
      throw new Error(
        `memcached for ${what} did not answer 'version' within ${context.readyTimeoutMs} ms (${lastProblem}); ${logFile} ends with:\n${logTail(logFile)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await writeNodeState(nodeDir, node.state);
  return node;
}
