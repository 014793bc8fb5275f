// A node the host has started: where it listens, its process, and how to log in to it.
import type { NodeOptions } from "./contract.ts";
import type { EngineProcess } from "./engine-process.ts";
import type { NodeState } from "./node-state.ts";
import { RespConnection, RespReplyError } from "./resp.ts";

export interface ManagedNode {
  options: NodeOptions;
  nodeDir: string;
  host: string;
  port: number;
  logFile: string;
  pidFile: string;
  process: EngineProcess;
  state: NodeState;
  /** Redis/Valkey over TLS: the CA (PEM) the host trusts when it connects. */
  tlsCa?: string;
  /** The host's own ACL login on Redis/Valkey nodes. */
  admin?: { user: string; secret: string };
  /** Cluster mode: the engine's node id (CLUSTER MYID), cached. */
  clusterId?: string;
}

/** Opens an admin connection to a Redis/Valkey node, logged in as the host's user. */
export async function openAdmin(node: ManagedNode, timeoutMs = 5000): Promise<RespConnection> {
  const connection = await RespConnection.connect({
    host: node.host,
    port: node.port,
    timeoutMs,
    ...(node.tlsCa ? { tlsCa: node.tlsCa } : {}),
  });
  if (node.admin) {
    const reply = await connection.send(["AUTH", node.admin.user, node.admin.secret]);
    if (reply instanceof RespReplyError) {
      connection.close();
      // The reply never echoes the password; quoting it is safe.
      throw new Error(`node ${node.options.nodeId} refused the local cloud's admin login: ${reply.message}`);
    }
  }
  return connection;
}

/** Runs `work` with an admin connection that is always closed afterwards. */
export async function withAdmin<T>(
  node: ManagedNode,
  work: (connection: RespConnection) => Promise<T>,
): Promise<T> {
  const connection = await openAdmin(node);
  try {
    return await work(connection);
  } finally {
    connection.close();
  }
}

/**
 * Polls `check` every `intervalMs` until it returns true; throws `describe()` after `timeoutMs`,
 * or at once when one of the `nodes` it waits on has exited (stopped, or the local cloud stopping):
 * waiting on would only run into the timeout.
 */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
  nodes: readonly ManagedNode[] = [],
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | undefined;
  for (;;) {
    const gone = nodes.find((n) => n.process.hasExited());
    if (gone) throw new Error(`${describe()}: node ${gone.options.nodeId} has stopped`);
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error as Error;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `${describe()} (waited ${timeoutMs} ms${lastError ? `; last error: ${lastError.message}` : ""})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
