// The engine side of the local cloud: createEngineHost() implements the EngineHost contract
// with real redis-server / valkey-server / memcached processes, one per cache node.

import { mkdirSync, realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";

import { applyAclUsers } from "./acl-users.ts";
import { adminUserName, loadOrCreateAdminSecret } from "./admin-user.ts";
import { type ResolvedBinary, resolveEngineBinary } from "./binaries.ts";
import * as cluster from "./cluster.ts";
import { applyConfigSettings } from "./config-settings.ts";
import type { AclUser, EngineHost, EngineName, NodeOptions, RunningNode, ShardLayout } from "./contract.ts";
import { stopEngine } from "./engine-process.ts";
import { installExitGuard } from "./exit-guard.ts";
import { type ManagedNode, withAdmin } from "./managed-node.ts";
import { startMemcachedNode } from "./memcached-node.ts";
import { PortAllocator } from "./ports.ts";
import { digestRule } from "./redis-config.ts";
import { type RedisStartContext, removeNodeDir, rewriteRedisConfig, startRedisNode } from "./redis-node.ts";
import { engineRole, followPrimary, stopFollowing } from "./replication.ts";
import { parseInfo } from "./resp.ts";
import { snapshotNode } from "./snapshot.ts";
import { killEnginesUnder, startWatchdog } from "./watchdog.ts";

export { ensureLocalCa } from "./tls-ca.ts";

export interface EngineHostOptions {
  /** The local cloud's data dir: the host keeps its admin secret (and the TLS CA) there. */
  dataDir: string;
  /** Loopback address the engines listen on. */
  host?: string;
  log?: (line: string) => void;
  /** Stop all engines on SIGTERM/SIGINT/exit of this process (default true). */
  handleSignals?: boolean;
  /** Bound for a node to answer after start (default 15 s). */
  readyTimeoutMs?: number;
  /** Bound for replication syncs and cluster changes to settle (default 60 s). */
  topologyTimeoutMs?: number;
  /** PATH used to find the engine programs (default: this process's PATH). */
  searchPath?: string;
}

/** How long stopAll lets each engine stop on SIGTERM before SIGKILL. */
const stopGraceMs = 3000;

/** The folder's real path (engines' working folders are seen resolved in /proc); created when missing. */
function realDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return realpathSync(dir);
}

export function createEngineHost(options: EngineHostOptions): EngineHost {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = realDir(path.resolve(options.dataDir));
  const admin = { user: adminUserName, secret: loadOrCreateAdminSecret(dataDir) };
  const ports = new PortAllocator(host);
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const topologyTimeoutMs = options.topologyTimeoutMs ?? 60_000;
  const nodes = new Map<string, ManagedNode>();
  const starting = new Set<string>();
  const stopping = new WeakSet<ManagedNode>();
  /** While stopAll runs: no node starts, and one that finishes starting is stopped at once. */
  let closing = false;
  const notedBinaries = new Set<string>();

  function binaryFor(engine: EngineName): ResolvedBinary {
    const binary = resolveEngineBinary(engine, options.searchPath);
    if (binary.note && !notedBinaries.has(engine)) {
      notedBinaries.add(engine);
      log(binary.note);
    }
    return binary;
  }

  function redisContext(binary: ResolvedBinary): RedisStartContext {
    return { host, binary, admin, ports, log, readyTimeoutMs };
  }

  function get(nodeId: string): ManagedNode {
    const node = nodes.get(nodeId);
    if (!node)
      throw new Error(`node ${nodeId} is not running in this local cloud; start it with startNode first`);
    return node;
  }

  function getRedis(nodeId: string, action: string): ManagedNode {
    const node = get(nodeId);
    if (node.options.engine === "memcached") {
      throw new Error(`${action} is not supported for memcached node ${nodeId} (Redis/Valkey only)`);
    }
    return node;
  }

  function runningNode(node: ManagedNode): RunningNode {
    return {
      nodeId: node.options.nodeId,
      endpoint: { address: node.host, port: node.port },
      pid: node.process.pid,
    };
  }

  function shardsOf(layout: ShardLayout[]): cluster.ManagedShard[] {
    return layout.map((s) => ({
      primary: getRedis(s.primary, "cluster mode"),
      replicas: s.replicas.map((r) => getRedis(r, "cluster mode")),
      ...(s.slots ? { slots: s.slots } : {}),
    }));
  }

  async function stop(node: ManagedNode, removeData: boolean, graceMs = 15_000): Promise<void> {
    stopping.add(node);
    // SIGTERM makes redis save its RDB first (shutdown-on-sigterm "save now" in its config).
    await stopEngine(node.process, graceMs, removeData ? "SIGKILL" : "SIGTERM");
    nodes.delete(node.options.nodeId);
    ports.release(node.port);
    if (node.state.busPort !== undefined) ports.release(node.state.busPort);
    if (removeData) await removeNodeDir(node.nodeDir);
  }

  const engineHost: EngineHost = {
    async startNode(nodeOptions: NodeOptions): Promise<RunningNode> {
      const existing = nodes.get(nodeOptions.nodeId);
      if (closing) throw new Error(`node ${nodeOptions.nodeId} is not started: the local cloud is stopping`);
      if (existing && !existing.process.hasExited()) return runningNode(existing);
      if (starting.has(nodeOptions.nodeId)) throw new Error(`node ${nodeOptions.nodeId} is already starting`);
      starting.add(nodeOptions.nodeId);
      try {
        if (existing) nodes.delete(nodeOptions.nodeId);
        const binary = binaryFor(nodeOptions.engine);
        const node =
          nodeOptions.engine === "memcached"
            ? await startMemcachedNode(nodeOptions, { host, binary, ports, log, readyTimeoutMs })
            : await startRedisNode(nodeOptions, redisContext(binary));
        if (closing) {
          await stop(node, false, 1000);
          throw new Error(
            `node ${nodeOptions.nodeId} was stopped as it started: the local cloud is stopping`,
          );
        }
        nodes.set(nodeOptions.nodeId, node);
        void node.process.exited.then((how) => {
          // A crash is not repaired here (startNode again restarts the node), but it is said.
          if (!stopping.has(node)) {
            log(`engine node ${nodeOptions.nodeId}: exited unexpectedly (${how}); see ${node.logFile}`);
          }
        });
        log(
          `engine node ${nodeOptions.nodeId}: ${binary.name} pid ${node.process.pid} on ${host}:${node.port}${nodeOptions.tls ? " (TLS)" : ""}${nodeOptions.clusterEnabled ? " (cluster mode)" : ""}`,
        );
        return runningNode(node);
      } finally {
        starting.delete(nodeOptions.nodeId);
      }
    },

    async stopNode(nodeId: string, removeData = false): Promise<void> {
      const node = nodes.get(nodeId);
      if (!node) return;
      await stop(node, removeData);
      log(`engine node ${nodeId}: stopped${removeData ? ", data removed" : ""}`);
    },

    async stopNodeDiscardingData(nodeId: string): Promise<void> {
      const node = nodes.get(nodeId);
      if (!node) return;
      await stop(node, false);
      await rm(path.join(node.nodeDir, "dump.rdb"), { force: true });
      log(`engine node ${nodeId}: stopped, keys discarded`);
    },

    async stopAll(): Promise<void> {
      closing = true;
      // A short grace (Redis saves small data sets in milliseconds): a stop must end within seconds,
      // also when an engine cannot save (its folder removed) and so refuses SIGTERM.
      await Promise.all([...nodes.values()].map((node) => stop(node, false, stopGraceMs)));
      // Engines still starting are in no table yet: find them by their folder.
      await killEnginesUnder(dataDir);
      watchdog?.dispose();
      // The host may start nodes again afterwards (tests restart clusters on the same host).
      closing = false;
    },

    async replicate(replicaId: string, primaryId: string): Promise<void> {
      const replica = getRedis(replicaId, "replication");
      const primary = getRedis(primaryId, "replication");
      if (replica.state.busPort !== undefined) {
        return cluster.addClusterReplica(replica, primary, topologyTimeoutMs);
      }
      replica.state.replicaOf = { nodeId: primaryId, host: primary.host, port: primary.port };
      await rewriteRedisConfig(replica, redisContext(binaryFor(replica.options.engine)));
      await followPrimary(replica, primary, topologyTimeoutMs);
    },

    async promote(nodeId: string): Promise<void> {
      const node = getRedis(nodeId, "promote");
      if (node.state.busPort !== undefined) return cluster.clusterFailover(node, topologyTimeoutMs);
      await stopFollowing(node);
      delete node.state.replicaOf;
      await rewriteRedisConfig(node, redisContext(binaryFor(node.options.engine)));
    },

    async createCluster(shards: ShardLayout[]): Promise<void> {
      await cluster.createCluster(shardsOf(shards), topologyTimeoutMs);
    },

    async reshard(shards: ShardLayout[]): Promise<void> {
      const candidates = [...nodes.values()].filter(
        (n) => n.state.busPort !== undefined && !n.process.hasExited(),
      );
      await cluster.reshard(shardsOf(shards), candidates, topologyTimeoutMs);
    },

    async addClusterReplica(replicaId: string, primaryId: string): Promise<void> {
      await cluster.addClusterReplica(
        getRedis(replicaId, "cluster mode"),
        getRedis(primaryId, "cluster mode"),
        topologyTimeoutMs,
      );
    },

    async awaitClusterHealthy(nodeIds: string[]): Promise<void> {
      const members = nodeIds.map((id) => getRedis(id, "cluster mode"));
      await cluster.awaitHealthy(members, topologyTimeoutMs);
    },

    async forgetClusterNode(nodeId: string): Promise<void> {
      const node = getRedis(nodeId, "cluster mode");
      await cluster.forgetClusterNode(node, [...nodes.values()]);
    },

    async setAuthTokens(nodeId: string, tokenDigests: string[]): Promise<void> {
      const node = getRedis(nodeId, "AUTH tokens");
      const rules = tokenDigests.map(digestRule);
      await withAdmin(node, (connection) =>
        connection.command([
          "ACL",
          "SETUSER",
          "default",
          "on",
          "resetpass",
          ...(rules.length ? rules : ["nopass"]),
        ]),
      );
      node.state.passwordRules = rules;
      // Written to the config file too, so a restart keeps the new tokens.
      await rewriteRedisConfig(node, redisContext(binaryFor(node.options.engine)));
    },

    async setAclUsers(nodeId: string, users: AclUser[]): Promise<void> {
      const node = getRedis(nodeId, "ACL users");
      await withAdmin(node, (connection) =>
        applyAclUsers(connection, users, node.state.passwordRules, admin.user),
      );
      if (users.length > 0) node.state.aclUsers = users;
      else delete node.state.aclUsers;
      // Written to the config file too, so a restart keeps the users.
      await rewriteRedisConfig(node, redisContext(binaryFor(node.options.engine)));
    },

    async applySettings(nodeId: string, settings: Record<string, string>): Promise<void> {
      const node = getRedis(nodeId, "CONFIG SET");
      const refused = await applyConfigSettings(node, settings);
      node.options = { ...node.options, configSettings: { ...node.options.configSettings, ...settings } };
      if (refused.length > 0) throw new Error(`node ${nodeId} refused ${refused.join("; ")}`);
    },

    async snapshot(nodeId: string, destFile: string): Promise<void> {
      await snapshotNode(getRedis(nodeId, "snapshot"), destFile);
    },

    async info(nodeId: string): Promise<Map<string, string>> {
      const node = getRedis(nodeId, "info");
      return withAdmin(node, async (connection) => {
        const sections = await Promise.all(
          ["memory", "cpu", "stats", "clients"].map(async (s) =>
            String(await connection.command(["INFO", s])),
          ),
        );
        return parseInfo(sections.join("\r\n"));
      });
    },

    async role(nodeId: string): Promise<"primary" | "replica"> {
      const node = get(nodeId);
      if (node.options.engine === "memcached") return "primary";
      return engineRole(node);
    },
  };

  const watchdog = options.handleSignals !== false ? startWatchdog(dataDir) : undefined;
  if (options.handleSignals !== false) {
    installExitGuard(
      () => engineHost.stopAll(),
      () => {
        for (const node of nodes.values()) if (!node.process.hasExited()) node.process.child.kill("SIGTERM");
      },
    );
  }
  return engineHost;
}
