// A recording EngineHost for unit tests of the API side's state rules only (integration tests use
// the real engines). It hands out ports and remembers every call.
import type { EngineHost, NodeOptions, RunningNode } from "../engines/contract.ts";

export class FakeEngineHost implements EngineHost {
  readonly calls: string[] = [];
  readonly started = new Map<string, NodeOptions>();
  #nextPort = 30000;

  async startNode(options: NodeOptions): Promise<RunningNode> {
    const port = options.port ?? this.#nextPort++;
    this.calls.push(`start ${options.nodeId}:${port}`);
    this.started.set(options.nodeId, options);
    return { nodeId: options.nodeId, endpoint: { address: "127.0.0.1", port }, pid: 1 };
  }
  async stopNode(nodeId: string, removeData = false): Promise<void> {
    this.calls.push(`stop ${nodeId}${removeData ? " remove" : ""}`);
    this.started.delete(nodeId);
  }
  async stopNodeDiscardingData(nodeId: string): Promise<void> {
    this.calls.push(`stop ${nodeId} discard`);
    this.started.delete(nodeId);
  }
  async stopAll(): Promise<void> {
    this.calls.push("stopAll");
  }
  async replicate(replicaId: string, primaryId: string): Promise<void> {
    this.calls.push(`replicate ${replicaId}->${primaryId}`);
  }
  async promote(nodeId: string): Promise<void> {
    this.calls.push(`promote ${nodeId}`);
  }
  async createCluster(): Promise<void> {
    this.calls.push("createCluster");
  }
  async reshard(): Promise<void> {
    this.calls.push("reshard");
  }
  async addClusterReplica(replicaId: string, primaryId: string): Promise<void> {
    this.calls.push(`addClusterReplica ${replicaId}->${primaryId}`);
  }
  async forgetClusterNode(nodeId: string): Promise<void> {
    this.calls.push(`forget ${nodeId}`);
  }
  async awaitClusterHealthy(nodeIds: string[]): Promise<void> {
    this.calls.push(`awaitClusterHealthy ${nodeIds.join(",")}`);
  }
  async setAuthTokens(nodeId: string, tokens: string[]): Promise<void> {
    this.calls.push(`setAuthTokens ${nodeId} x${tokens.length}`);
  }
  async setAclUsers(nodeId: string, users: { name: string }[]): Promise<void> {
    this.calls.push(`setAclUsers ${nodeId} ${users.map((u) => u.name).join(",")}`);
  }
  async applySettings(nodeId: string, settings: Record<string, string>): Promise<void> {
    this.calls.push(`applySettings ${nodeId} ${Object.keys(settings).join(",")}`);
  }
  async snapshot(nodeId: string): Promise<void> {
    this.calls.push(`snapshot ${nodeId}`);
  }
  async info(): Promise<Map<string, string>> {
    return new Map();
  }
  async role(): Promise<"primary" | "replica"> {
    return "primary";
  }
}
