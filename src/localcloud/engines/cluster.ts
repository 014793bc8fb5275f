// Redis Cluster topology work: forming a cluster, adding/draining shards with their keys,
// attaching replicas, forgetting nodes and manual failover. Every wait is bounded.
import { type ManagedNode, openAdmin, waitFor, withAdmin } from "./managed-node.ts";
import { clusterNodeTimeoutMs } from "./redis-config.ts";
import { replicationInfo } from "./replication.ts";
import { parseInfo, type RespConnection, RespReplyError } from "./resp.ts";
import {
  type ClusterNodeEntry,
  evenSlotRanges,
  parseClusterNodes,
  planAssignment,
  planRebalance,
  type SlotMove,
  type SlotRange,
  slotOwners,
  slotsToRanges,
} from "./slot-plan.ts";

export interface ManagedShard {
  primary: ManagedNode;
  replicas: ManagedNode[];
  /** The slots this shard owns when the layout is explicit (createCluster); an even share otherwise. */
  slots?: SlotRange[];
}

/** How many slots migrate at once (commands of different slots are pipelined). */
const migrationConcurrency = 32;

function requireClusterMode(node: ManagedNode): void {
  if (node.options.engine === "memcached" || node.state.busPort === undefined) {
    throw new Error(
      `node ${node.options.nodeId} is not in cluster mode; start it with clusterEnabled: true to use it in a cluster`,
    );
  }
}

export async function clusterId(node: ManagedNode): Promise<string> {
  if (node.clusterId) return node.clusterId;
  const id = String(await withAdmin(node, (c) => c.command(["CLUSTER", "MYID"])));
  node.clusterId = id;
  return id;
}

export async function clusterNodes(connection: RespConnection): Promise<ClusterNodeEntry[]> {
  return parseClusterNodes(String(await connection.command(["CLUSTER", "NODES"])));
}

async function meet(from: RespConnection, node: ManagedNode): Promise<void> {
  await from.command(["CLUSTER", "MEET", node.host, node.port, node.state.busPort ?? node.port + 10000]);
}

/**
 * Waits until every node sees all `nodes` (no handshakes, no failures), with the same slot
 * owners, replicas attached to the expected primaries, and `cluster_state:ok`.
 */
async function waitConverged(
  nodes: ManagedNode[],
  timeoutMs: number,
  expect: { primaryOf?: Map<string, string>; stateOk: boolean },
) {
  const ids = await Promise.all(nodes.map(clusterId));
  const connections = await Promise.all(nodes.map((n) => openAdmin(n)));
  let problem = "not checked yet";
  try {
    await waitFor(
      async () => {
        let reference: string | undefined;
        for (const [index, connection] of connections.entries()) {
          const who = nodes[index]?.options.nodeId;
          const entries = await clusterNodes(connection);
          const known = new Map(entries.map((e) => [e.id, e]));
          for (const id of ids) {
            const entry = known.get(id);
            if (!entry) return fail(`${who} does not know ${id} yet`);
            const bad = entry.flags.find((f) => ["handshake", "noaddr", "fail", "fail?"].includes(f));
            if (bad) return fail(`${who} sees ${id} as ${bad}`);
            const wanted = expect.primaryOf?.get(id);
            if (wanted !== undefined && entry.primaryId !== wanted)
              return fail(`${who} does not see ${id} as replica of ${wanted} yet`);
          }
          const owners = slotOwners(entries).join(",");
          if (reference === undefined) reference = owners;
          else if (owners !== reference) return fail(`${who} does not agree on slot owners yet`);
          if (!expect.stateOk) continue;
          const info = parseInfo(String(await connection.command(["CLUSTER", "INFO"])));
          if (info.get("cluster_state") !== "ok")
            return fail(`${who} reports cluster_state:${info.get("cluster_state")}`);
        }
        return true;
      },
      timeoutMs,
      () => `the cluster did not settle: ${problem}`,
      nodes,
      100,
    );
  } finally {
    for (const connection of connections) connection.close();
  }
  function fail(reason: string): boolean {
    problem = reason;
    return false;
  }
}

/**
 * Every node meets every other directly: handshakes then finish within a cluster tick or
 * two, instead of waiting for gossip to spread the news from one introducer.
 */
async function meetAll(nodes: ManagedNode[]): Promise<void> {
  await Promise.all(
    nodes.map((node, index) =>
      withAdmin(node, async (connection) => {
        for (const other of nodes.slice(index + 1)) await meet(connection, other);
      }),
    ),
  );
}

/** Attaches `replica` to `primary` (both already members of the same cluster). */
async function replicateInCluster(
  replica: ManagedNode,
  primary: ManagedNode,
  timeoutMs: number,
): Promise<void> {
  const primaryId = await clusterId(primary);
  await withAdmin(replica, async (connection) => {
    // REPLICATE needs the replica to know the primary first (gossip after MEET); retry until then.
    await waitFor(
      async () => {
        const reply = await connection.send(["CLUSTER", "REPLICATE", primaryId]);
        if (reply instanceof RespReplyError) {
          if (/unknown node/i.test(reply.message)) return false;
          throw reply;
        }
        return true;
      },
      timeoutMs,
      () => `node ${replica.options.nodeId} never learned about primary ${primary.options.nodeId}`,
      [replica, primary],
    );
    await waitFor(
      async () => (await replicationInfo(connection)).get("master_link_status") === "up",
      timeoutMs,
      () =>
        `node ${replica.options.nodeId} did not finish syncing from ${primary.options.nodeId}; see ${replica.logFile}`,
      [replica, primary],
    );
  });
}

/**
 * While a new cluster forms, a shorter node timeout: a primary reports cluster_state:ok only
 * a node timeout after it got its slots, and gossip runs at least twice per node timeout.
 * Fresh, idle nodes answer well within it; the normal value comes back afterwards.
 */
const formingNodeTimeoutMs = 1000;

async function setNodeTimeout(nodes: ManagedNode[], ms: number): Promise<void> {
  await Promise.all(
    nodes.map((n) => withAdmin(n, (c) => c.command(["CONFIG", "SET", "cluster-node-timeout", ms]))),
  );
}

/** Joins started cluster-mode nodes into one cluster with the slots spread evenly over the shards. */
/** After a restart, nodes report CLUSTERDOWN until their peers are back: wait for all of them. */
export async function awaitHealthy(nodes: ManagedNode[], timeoutMs: number): Promise<void> {
  await waitConverged(nodes, timeoutMs, { stateOk: true });
}

export async function createCluster(shards: ManagedShard[], timeoutMs: number): Promise<void> {
  const all = shards.flatMap((s) => [s.primary, ...s.replicas]);
  for (const node of all) requireClusterMode(node);
  await setNodeTimeout(all, formingNodeTimeoutMs);
  try {
    await formCluster(shards, all, timeoutMs);
  } finally {
    await setNodeTimeout(
      all.filter((n) => !n.process.hasExited()),
      clusterNodeTimeoutMs,
    );
  }
}

async function formCluster(shards: ManagedShard[], all: ManagedNode[], timeoutMs: number): Promise<void> {
  const first = shards[0]?.primary;
  if (!first) throw new Error("createCluster needs at least one shard");
  await Promise.all(all.map(clusterId));
  // Distinct config epochs for fresh primaries avoid an epoch collision round at start
  // (refused, harmlessly, by nodes that already have an epoch or know other nodes).
  await Promise.all(
    shards.map((shard, index) =>
      withAdmin(shard.primary, (c) => c.send(["CLUSTER", "SET-CONFIG-EPOCH", index + 1])),
    ),
  );
  await meetAll(all);
  // Everybody knows everybody (and any slots that restored nodes claimed for their keys).
  await waitConverged(all, timeoutMs, { stateOk: false });
  // Assign every slot nobody owns yet to its shard's range.
  const owners = slotOwners(await withAdmin(first, clusterNodes));
  const even = evenSlotRanges(shards.length);
  await Promise.all(
    shards.map(async (shard, index) => {
      const free: number[] = [];
      for (const [start, end] of shard.slots ?? [even[index] ?? [0, -1]]) {
        for (let slot = start; slot <= end; slot++) if (owners[slot] === undefined) free.push(slot);
      }
      if (free.length === 0) return;
      await withAdmin(shard.primary, async (connection) => {
        const args: (string | number)[] = ["CLUSTER", "ADDSLOTSRANGE"];
        for (const [a, b] of slotsToRanges(free)) args.push(a, b);
        await connection.command(args);
      });
    }),
  );
  const expected = new Map<string, string>();
  for (const shard of shards) {
    const primaryId = await clusterId(shard.primary);
    for (const replica of shard.replicas) expected.set(await clusterId(replica), primaryId);
  }
  await waitConverged(all, timeoutMs, { stateOk: true });
  await Promise.all(
    shards.flatMap((s) => s.replicas.map((r) => replicateInCluster(r, s.primary, timeoutMs))),
  );
  // Restored nodes may have claimed slots outside their range: move them where they belong.
  await rebalance(shards, all, timeoutMs);
  await waitConverged(all, timeoutMs, { primaryOf: expected, stateOk: true });
}

/**
 * Makes exactly the given shards own all slots (evenly), moving keys with the slots.
 * New primaries and replicas are joined first; drained primaries stay members with no
 * slots until forgetClusterNode. `candidates`: every running cluster-mode node of the host
 * (the members of this cluster are picked out of them).
 */
export async function reshard(
  shards: ManagedShard[],
  candidates: ManagedNode[],
  timeoutMs: number,
): Promise<void> {
  const targets = shards.flatMap((s) => [s.primary, ...s.replicas]);
  for (const node of targets) requireClusterMode(node);
  await Promise.all([...targets, ...candidates].map(clusterId));
  // The cluster as a primary that already owns slots sees it.
  let anchorView: ClusterNodeEntry[] | undefined;
  for (const shard of shards) {
    const view = await withAdmin(shard.primary, clusterNodes);
    if (view.some((e) => e.flags.includes("myself") && e.slots.length > 0)) {
      anchorView = view;
      break;
    }
  }
  if (!anchorView)
    throw new Error("reshard: none of the given primaries owns slots yet; call createCluster first");
  const knownIds = new Set(anchorView.map((e) => e.id));
  const members = candidates.filter((n) => knownIds.has(n.clusterId ?? ""));
  const all = [...new Set([...members, ...targets])];
  const newcomers = all.filter((n) => !knownIds.has(n.clusterId ?? ""));
  const anchor = all.find((n) => n.clusterId === anchorView.find((e) => e.flags.includes("myself"))?.id);
  if (newcomers.length > 0 && anchor) await meetAll([anchor, ...newcomers]);
  const expected = new Map<string, string>();
  for (const shard of shards) {
    for (const replica of shard.replicas)
      expected.set(replica.clusterId ?? "", shard.primary.clusterId ?? "");
  }
  await waitConverged(all, timeoutMs, { stateOk: true });
  await Promise.all(
    shards.flatMap((s) =>
      s.replicas.filter((r) => newcomers.includes(r)).map((r) => replicateInCluster(r, s.primary, timeoutMs)),
    ),
  );
  await rebalance(shards, all, timeoutMs);
  await waitConverged(all, timeoutMs, { primaryOf: expected, stateOk: true });
}

async function rebalance(shards: ManagedShard[], all: ManagedNode[], timeoutMs: number): Promise<void> {
  const anchor = shards[0]?.primary;
  if (!anchor) return;
  const entries = await withAdmin(anchor, clusterNodes);
  const explicit = shards.every((s) => s.slots !== undefined);
  const moves = explicit
    ? planAssignment(
        slotOwners(entries),
        shards.map((s) => ({ id: s.primary.clusterId ?? "", slots: s.slots ?? [] })),
      )
    : planRebalance(
        slotOwners(entries),
        shards.map((s) => s.primary.clusterId ?? ""),
      );
  if (moves.length === 0) return;
  const byId = new Map(all.map((n) => [n.clusterId ?? "", n]));
  const primaryIds = entries.filter((e) => e.flags.includes("master")).map((e) => e.id);
  const connections = new Map<string, RespConnection>();
  try {
    for (const id of primaryIds) {
      const node = byId.get(id);
      if (node) connections.set(id, await openAdmin(node, timeoutMs));
    }
    let next = 0;
    const worker = async () => {
      for (;;) {
        const move = moves[next++];
        if (!move) return;
        await moveSlot(move, connections, byId);
      }
    };
    await Promise.all(Array.from({ length: migrationConcurrency }, worker));
  } finally {
    for (const connection of connections.values()) connection.close();
  }
}

/** One slot to its new owner, keys included (the same steps as `redis-cli --cluster reshard`). */
async function moveSlot(
  move: SlotMove,
  connections: Map<string, RespConnection>,
  byId: Map<string, ManagedNode>,
) {
  const target = connections.get(move.to);
  const targetNode = byId.get(move.to);
  if (!target || !targetNode)
    throw new Error(`internal error: no connection to the slot's new owner ${move.to}`);
  if (move.from === undefined) {
    await target.command(["CLUSTER", "ADDSLOTS", move.slot]);
    return;
  }
  const source = connections.get(move.from);
  if (!source) {
    throw new Error(
      `slot ${move.slot} belongs to cluster node ${move.from}, which this local cloud did not start`,
    );
  }
  await target.command(["CLUSTER", "SETSLOT", move.slot, "IMPORTING", move.from]);
  await source.command(["CLUSTER", "SETSLOT", move.slot, "MIGRATING", move.to]);
  for (let batch = 0; batch < 100_000; batch++) {
    const keys = (await source.command(["CLUSTER", "GETKEYSINSLOT", move.slot, 100])) as string[];
    if (keys.length === 0) break;
    const auth = targetNode.admin ? ["AUTH2", targetNode.admin.user, targetNode.admin.secret] : [];
    await source.command([
      "MIGRATE",
      targetNode.host,
      targetNode.port,
      "",
      0,
      10_000,
      "REPLACE",
      ...auth,
      "KEYS",
      ...keys,
    ]);
  }
  await target.command(["CLUSTER", "SETSLOT", move.slot, "NODE", move.to]);
  await source.command(["CLUSTER", "SETSLOT", move.slot, "NODE", move.to]);
  await Promise.all(
    [...connections.entries()]
      .filter(([id]) => id !== move.to && id !== move.from)
      .map(([, c]) => c.send(["CLUSTER", "SETSLOT", move.slot, "NODE", move.to])),
  );
}

/** Attaches a started cluster-mode node as a replica of `primary`'s shard. */
export async function addClusterReplica(replica: ManagedNode, primary: ManagedNode, timeoutMs: number) {
  requireClusterMode(replica);
  requireClusterMode(primary);
  await withAdmin(primary, (connection) => meet(connection, replica));
  await replicateInCluster(replica, primary, timeoutMs);
}

/** Removes a node from its cluster: it forgets the others, and every other node forgets it. */
export async function forgetClusterNode(node: ManagedNode, others: ManagedNode[]): Promise<void> {
  requireClusterMode(node);
  const id = await clusterId(node);
  if (!node.process.hasExited()) {
    await withAdmin(node, async (connection) => {
      // Replicas and empty primaries can simply leave; a primary still holding keys refuses,
      // then it forgets its peers one by one.
      const reset = await connection.send(["CLUSTER", "RESET", "SOFT"]);
      if (reset instanceof RespReplyError) {
        for (const entry of await clusterNodes(connection)) {
          if (!entry.flags.includes("myself")) await connection.send(["CLUSTER", "FORGET", entry.id]);
        }
      }
    });
  }
  for (const other of others) {
    if (other === node || other.process.hasExited() || other.state.busPort === undefined) continue;
    await withAdmin(other, async (connection) => {
      const reply = await connection.send(["CLUSTER", "FORGET", id]);
      // A replica of a removed primary cannot forget its own primary; it is being removed
      // too (the API side forgets it next), so that refusal is expected.
      if (reply instanceof RespReplyError && !/unknown node|forget my master/i.test(reply.message)) {
        throw new Error(
          `node ${other.options.nodeId} cannot forget ${node.options.nodeId}: ${reply.message}`,
        );
      }
    });
  }
}

/** How long a coordinated CLUSTER FAILOVER gets before FORCE (Redis's own limit is 5 s). */
const coordinatedFailoverMs = 6000;

/** Manual failover: the replica takes over its primary's slots (FORCE when the primary is down). */
export async function clusterFailover(replica: ManagedNode, timeoutMs: number): Promise<void> {
  await withAdmin(replica, async (connection) => {
    const info = await replicationInfo(connection);
    if (info.get("role") === "master") return;
    const isPrimary = async () => (await replicationInfo(connection)).get("role") === "master";
    const didNotTakeOver = () =>
      `node ${replica.options.nodeId} did not take over as primary; see ${replica.logFile}`;
    if (info.get("master_link_status") === "up") {
      await connection.command(["CLUSTER", "FAILOVER"]);
      // A primary stopped a moment ago can still show its link up; the coordinated failover
      // then waits for it in vain (Redis gives up after 5 s), and FORCE below takes over.
      try {
        await waitFor(isPrimary, Math.min(timeoutMs, coordinatedFailoverMs), didNotTakeOver, [replica]);
        return;
      } catch (error) {
        if (replica.process.hasExited()) throw error;
      }
    }
    await connection.command(["CLUSTER", "FAILOVER", "FORCE"]);
    await waitFor(isPrimary, timeoutMs, didNotTakeOver, [replica]);
  });
}
