// The contract between the local cloud's API side (ElastiCache state machine) and its
// engine side (real redis-server / valkey-server / memcached processes).
// The API side decides *what* exists; the engine side makes processes match and reports
// where they listen. Neither reaches into the other's internals.

import type { AclUser } from "./acl-users.ts";

export type { AclUser };

export type EngineName = "redis" | "valkey" | "memcached";

/** Where a node listens, as returned to AWS clients ({Address, Port}). */
export interface Endpoint {
  address: string;
  port: number;
}

/** Paths of the local CA and a server certificate/key signed by it (PEM files). */
export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Everything needed to (re)start one cache node process. */
export interface NodeOptions {
  /** Unique across the local cloud, e.g. "my-rg-0001-002" or "my-memcached-0003". */
  nodeId: string;
  engine: EngineName;
  /** Requested engine version; informative (the installed binary's version runs). */
  engineVersion: string;
  /** Folder owned by this node: config, RDB/AOF files, logs. Created when missing. */
  dataDir: string;
  /** Port to listen on; reuse the previous one on restart. A free loopback port when absent. */
  port?: number;
  /**
   * Redis/Valkey: SHA-256 (hex) of the default user's accepted passwords (ROTATE keeps two); the
   * passwords themselves never reach the engine side. Empty: no auth; absent: as before a restart.
   */
  authTokenDigests?: string[];
  /** Redis/Valkey: RBAC users (user groups); empty: none. Absent: as at the previous start. */
  aclUsers?: AclUser[];
  /** Redis/Valkey: serve TLS only (transit encryption). */
  tls?: TlsFiles;
  /** Redis/Valkey: start with cluster-enabled yes (cluster mode). */
  clusterEnabled?: boolean;
  /** Redis/Valkey: an RDB file whose keys the node loads at first start (restore from snapshot). */
  restoreRdbFile?: string;
  /** memory limit passed to the engine (maxmemory / -m). */
  maxMemoryMb?: number;
  /** Redis/Valkey: settings applied with CONFIG SET once the node answers (its parameter group's). */
  configSettings?: Record<string, string>;
  /** memcached: extra command-line arguments (its parameter group's values, e.g. `-I 2097152`). */
  extraArgs?: string[];
}

export interface RunningNode {
  nodeId: string;
  endpoint: Endpoint;
  pid: number;
}

/** One shard of a Redis Cluster: its primary and replicas (node ids already started). */
export interface ShardLayout {
  primary: string;
  replicas: string[];
  /** createCluster: the slot ranges (inclusive) this shard owns; an even share when absent. */
  slots?: [start: number, end: number][];
}

export interface EngineHost {
  /** Starts (or restarts after a local-cloud restart) a node and waits until it answers. */
  startNode(options: NodeOptions): Promise<RunningNode>;
  /** Stops a node's process (data stays on disk unless `removeData`). */
  stopNode(nodeId: string, removeData?: boolean): Promise<void>;
  /**
   * Stops a node and discards its keys (the RDB), keeping its folder, port, config and passwords:
   * the next startNode brings it back empty, as an ElastiCache reboot does.
   */
  stopNodeDiscardingData(nodeId: string): Promise<void>;
  /** Stops every process this host started. Called on SIGTERM/SIGINT and shutdown. */
  stopAll(): Promise<void>;

  /** Non-cluster replication: make `replica` follow `primary` (REPLICAOF + masterauth). */
  replicate(replicaId: string, primaryId: string): Promise<void>;
  /** Promote a replica to primary (REPLICAOF NO ONE, or CLUSTER FAILOVER in cluster mode). */
  promote(nodeId: string): Promise<void>;

  /** Cluster mode: join started nodes into one Redis Cluster; each shard owns its `slots`, else an even share. */
  createCluster(shards: ShardLayout[]): Promise<void>;
  /** Cluster mode: move slots so that exactly `shards` own them (adding or draining shards); keys move too. */
  reshard(shards: ShardLayout[]): Promise<void>;
  /** Cluster mode: attach a started node as a replica of a shard's primary, or forget a removed node. */
  addClusterReplica(replicaId: string, primaryId: string): Promise<void>;
  forgetClusterNode(nodeId: string): Promise<void>;
  /** Cluster mode: waits until the started nodes all see each other and report cluster_state:ok (after a restart). */
  awaitClusterHealthy(nodeIds: string[]): Promise<void>;

  /** Replace the accepted passwords on a running node (AuthTokenUpdateStrategy ROTATE/SET/DELETE). */
  setAuthTokens(nodeId: string, tokenDigests: string[]): Promise<void>;
  /** Replace the RBAC users on a running node (user groups attached, detached or changed); empty: none. */
  setAclUsers(nodeId: string, users: AclUser[]): Promise<void>;
  /**
   * Redis/Valkey: apply settings live (CONFIG SET) and keep them for the node's restarts. Settings the
   * engine refuses are skipped; the error names them.
   */
  applySettings(nodeId: string, settings: Record<string, string>): Promise<void>;
  /** Write a point-in-time RDB of a node to `destFile` (SAVE/BGSAVE, then copy). */
  snapshot(nodeId: string, destFile: string): Promise<void>;
  /** Redis/Valkey: the engine's INFO fields (memory, cpu, stats, clients), for the metrics. */
  info(nodeId: string): Promise<Map<string, string>>;
  /** Role as the engine itself reports it (INFO replication / CLUSTER NODES). */
  role(nodeId: string): Promise<"primary" | "replica">;
}
