// Starting one redis-server / valkey-server node: folder, generated config, process, and
// waiting until it answers PING.
import { copyFile, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import type { ResolvedBinary } from "./binaries.ts";
import { applyConfigSettings } from "./config-settings.ts";
import type { NodeOptions } from "./contract.ts";
import { logTail, spawnEngine, stopEngine, stopLeftoverEngine, writePidFile } from "./engine-process.ts";
import { type ManagedNode, openAdmin } from "./managed-node.ts";
import { choosePort } from "./node-ports.ts";
import { type NodeState, readNodeState, writeNodeState } from "./node-state.ts";
import type { PortAllocator } from "./ports.ts";
import { digestRule, renderRedisConfig } from "./redis-config.ts";
import { RespReplyError } from "./resp.ts";

export interface RedisStartContext {
  host: string;
  binary: ResolvedBinary;
  admin: { user: string; secret: string };
  ports: PortAllocator;
  log: (line: string) => void;
  readyTimeoutMs: number;
}

const defaultMaxMemoryMb = 64;

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

export async function startRedisNode(options: NodeOptions, context: RedisStartContext): Promise<ManagedNode> {
  const nodeDir = path.resolve(options.dataDir);
  await mkdir(nodeDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(nodeDir, "engine.log");
  const pidFile = path.join(nodeDir, "engine.pid");
  const what = `node ${options.nodeId}`;
  if (await stopLeftoverEngine(pidFile, nodeDir)) {
    context.log(`${what}: stopped an engine left running by a previous local cloud`);
  }
  const previous = await readNodeState(nodeDir);
  const dumpFile = path.join(nodeDir, "dump.rdb");
  if (options.restoreRdbFile && !previous && !(await exists(dumpFile))) {
    try {
      await copyFile(options.restoreRdbFile, dumpFile);
    } catch (error) {
      throw new Error(`${what}: cannot restore from ${options.restoreRdbFile}: ${(error as Error).message}`);
    }
  }
  const passwordRules =
    options.authTokenDigests !== undefined
      ? options.authTokenDigests.map(digestRule)
      : (previous?.passwordRules ?? []);
  const aclUsers = options.aclUsers ?? previous?.aclUsers ?? [];
  const tlsCa = options.tls ? await readFile(options.tls.caFile, "utf8") : undefined;

  let requestedPort = options.port;
  for (let attempt = 1; ; attempt++) {
    const portChoice = await choosePort(
      context.ports,
      context.host,
      requestedPort,
      previous?.port,
      context.log,
      what,
    );
    const busChoice = options.clusterEnabled
      ? await choosePort(
          context.ports,
          context.host,
          undefined,
          previous?.busPort,
          context.log,
          `${what} cluster bus`,
        )
      : undefined;
    const state: NodeState = {
      engine: options.engine,
      port: portChoice.port,
      passwordRules,
      ...(aclUsers.length > 0 ? { aclUsers } : {}),
      ...(busChoice ? { busPort: busChoice.port } : {}),
      ...(previous?.replicaOf && !options.clusterEnabled ? { replicaOf: previous.replicaOf } : {}),
    };
    const configFile = path.join(nodeDir, "redis.conf");
    await writeFile(configFile, renderRedisConfig(configInput(state, nodeDir, options, context)), {
      mode: 0o600,
    });
    const logStart = (await exists(logFile)) ? (await stat(logFile)).size : 0;
    const engine = spawnEngine(context.binary.path, [configFile], logFile, nodeDir);
    await writePidFile(pidFile, engine.pid);
    const node: ManagedNode = {
      options,
      nodeDir,
      host: context.host,
      port: state.port,
      logFile,
      pidFile,
      process: engine,
      state,
      admin: context.admin,
      ...(tlsCa ? { tlsCa } : {}),
    };
    try {
      await waitUntilAnswering(node, context.binary.name, context.readyTimeoutMs);
    } catch (error) {
      await stopEngine(engine, 2000, "SIGKILL");
      context.ports.release(state.port);
      if (state.busPort) context.ports.release(state.busPort);
      const startLog = (await readFile(logFile, "utf8").catch(() => "")).slice(logStart);
      const portClash = /Address already in use/i.test(startLog);
      if (portClash && !portChoice.requested && attempt < 3) {
        context.log(`${what}: port ${state.port} was taken while starting; retrying on another port`);
        requestedPort = undefined;
        continue;
      }
      throw error;
    }
    await writeNodeState(nodeDir, state);
    const refused = await applyConfigSettings(node, options.configSettings ?? {});
    if (refused.length > 0)
      context.log(`${what}: parameter group settings refused by the engine: ${refused.join("; ")}`);
    return node;
  }
}

function configInput(state: NodeState, nodeDir: string, options: NodeOptions, context: RedisStartContext) {
  return {
    host: context.host,
    port: state.port,
    nodeDir,
    maxMemoryMb: options.maxMemoryMb ?? defaultMaxMemoryMb,
    passwordRules: state.passwordRules,
    ...(state.aclUsers ? { aclUsers: state.aclUsers } : {}),
    admin: context.admin,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(state.busPort !== undefined ? { cluster: { busPort: state.busPort } } : {}),
    ...(state.replicaOf ? { replicaOf: { host: state.replicaOf.host, port: state.replicaOf.port } } : {}),
  };
}

/** Rewrites the node's config file from its current state (kept in sync with live changes). */
export async function rewriteRedisConfig(node: ManagedNode, context: RedisStartContext): Promise<void> {
  await writeFile(
    path.join(node.nodeDir, "redis.conf"),
    renderRedisConfig(configInput(node.state, node.nodeDir, node.options, context)),
    { mode: 0o600 },
  );
  await writeNodeState(node.nodeDir, node.state);
}

/** Waits until the node answers PING (loading a big RDB counts as not yet). */
async function waitUntilAnswering(node: ManagedNode, program: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "no answer yet";
  while (Date.now() < deadline) {
    if (node.process.hasExited()) {
      throw new Error(
        `${program} for node ${node.options.nodeId} exited during startup; ${node.logFile} ends with:\n${logTail(node.logFile)}`,
      );
    }
    try {
      const connection = await openAdmin(node, 1000);
      try {
        const reply = await connection.send(["PING"]);
        if (reply === "PONG") return;
        lastProblem =
          reply instanceof RespReplyError ? reply.message : `unexpected reply ${JSON.stringify(reply)}`;
      } finally {
        connection.close();
      }
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(
    `${program} for node ${node.options.nodeId} did not answer PING on ${node.host}:${node.port} within ${timeoutMs} ms (${lastProblem}); ${node.logFile} ends with:\n${logTail(node.logFile)}`,
  );
}

/** Removes a node's folder (stopNode with removeData). */
export async function removeNodeDir(nodeDir: string): Promise<void> {
  await rm(nodeDir, { recursive: true, force: true });
}
