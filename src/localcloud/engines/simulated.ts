// The simulated engine host: the EngineHost contract kept in memory, with no processes, for
// benchmarks and scale tests (`local-cloud --engines simulated`, docs/local-cloud.md). The API side
// runs unchanged (states, pace, events, tags), so what differs is only that nothing listens: the
// endpoints it hands out are bookkeeping, not connectable. A node costs a few hundred bytes instead
// of a ~12 MiB process, which is what lets one machine hold 10,000 caches.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { AclUser, EngineHost, NodeOptions, RunningNode, ShardLayout } from "./contract.ts";

/** The smallest valid RDB (header, EOF opcode, zero checksum = "not checked"): snapshots of simulated nodes. */
const EMPTY_RDB = Buffer.concat([Buffer.from("REDIS0009", "latin1"), Buffer.from([0xff]), Buffer.alloc(8)]);

interface SimulatedNode {
  options: NodeOptions;
  port: number;
  running: boolean;
  role: "primary" | "replica";
}

export interface SimulatedEngineHostOptions {
  /** Address put in the endpoints (the local cloud's host); nothing listens there for these nodes. */
  host: string;
  /** First port handed out; ports count up from here and a node keeps its port across restarts. */
  firstPort?: number;
}

export class SimulatedEngineHost implements EngineHost {
  readonly #nodes = new Map<string, SimulatedNode>();
  readonly #host: string;
  #nextPort: number;

  constructor(options: SimulatedEngineHostOptions) {
    this.#host = options.host;
    this.#nextPort = options.firstPort ?? 40000;
  }

  /** Nodes currently "running" (tests, health). */
  get runningNodes(): number {
    let n = 0;
    for (const node of this.#nodes.values()) if (node.running) n++;
    return n;
  }

  async startNode(options: NodeOptions): Promise<RunningNode> {
    const known = this.#nodes.get(options.nodeId);
    const port = options.port ?? known?.port ?? this.#allocatePort();
    this.#nodes.set(options.nodeId, { options, port, running: true, role: known?.role ?? "primary" });
    // pid 0: there is no process; the contract's callers only record it.
    return { nodeId: options.nodeId, endpoint: { address: this.#host, port }, pid: 0 };
  }

  async stopNode(nodeId: string, removeData = false): Promise<void> {
    const node = this.#nodes.get(nodeId);
    if (!node) return;
    if (removeData) this.#nodes.delete(nodeId);
    else node.running = false;
  }

  async stopNodeDiscardingData(nodeId: string): Promise<void> {
    await this.stopNode(nodeId);
  }

  async stopAll(): Promise<void> {
    for (const node of this.#nodes.values()) node.running = false;
  }

  async replicate(replicaId: string, _primaryId: string): Promise<void> {
    this.#node(replicaId).role = "replica";
  }

  async promote(nodeId: string): Promise<void> {
    this.#node(nodeId).role = "primary";
  }

  async createCluster(shards: ShardLayout[]): Promise<void> {
    for (const shard of shards) {
      this.#node(shard.primary).role = "primary";
      for (const replica of shard.replicas) this.#node(replica).role = "replica";
    }
  }

  async reshard(shards: ShardLayout[]): Promise<void> {
    for (const shard of shards) this.#node(shard.primary);
  }

  async addClusterReplica(replicaId: string, primaryId: string): Promise<void> {
    this.#node(primaryId);
    this.#node(replicaId).role = "replica";
  }

  async forgetClusterNode(_nodeId: string): Promise<void> {}

  async awaitClusterHealthy(nodeIds: string[]): Promise<void> {
    for (const id of nodeIds) this.#node(id);
  }

  async setAuthTokens(nodeId: string, tokenDigests: string[]): Promise<void> {
    const node = this.#node(nodeId);
    node.options = { ...node.options, authTokenDigests: tokenDigests };
  }

  async setAclUsers(nodeId: string, users: AclUser[]): Promise<void> {
    const node = this.#node(nodeId);
    node.options = { ...node.options, aclUsers: users };
  }

  async applySettings(nodeId: string, settings: Record<string, string>): Promise<void> {
    const node = this.#node(nodeId);
    node.options = { ...node.options, configSettings: { ...node.options.configSettings, ...settings } };
  }

  async snapshot(nodeId: string, destFile: string): Promise<void> {
    this.#node(nodeId);
    mkdirSync(dirname(destFile), { recursive: true });
    // Simulated nodes hold no keys, so every snapshot is the empty RDB (restores load nothing).
    writeFileSync(destFile, EMPTY_RDB);
  }

  async info(nodeId: string): Promise<Map<string, string>> {
    const node = this.#node(nodeId);
    // An idle engine: no keys, no clients, nothing evicted (the metrics read these fields).
    return new Map([
      ["used_memory", "1048576"],
      ["maxmemory", String((node.options.maxMemoryMb ?? 0) * 1024 * 1024)],
      ["connected_clients", "0"],
      ["used_cpu_sys", "0"],
      ["used_cpu_user", "0"],
      ["evicted_keys", "0"],
      ["keyspace_hits", "0"],
      ["keyspace_misses", "0"],
    ]);
  }

  async role(nodeId: string): Promise<"primary" | "replica"> {
    return this.#node(nodeId).role;
  }

  #node(nodeId: string): SimulatedNode {
    const node = this.#nodes.get(nodeId);
    if (!node?.running) throw new Error(`simulated engine: node ${nodeId} is not running`);
    return node;
  }

  #allocatePort(): number {
    if (this.#nextPort > 65535)
      throw new Error("simulated engine: no ports left to hand out (65535 reached)");
    return this.#nextPort++;
  }
}
