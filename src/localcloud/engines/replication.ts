// Non-cluster replication and roles: REPLICAOF, promotion, and the role the engine reports.
import { type ManagedNode, waitFor, withAdmin } from "./managed-node.ts";
import { parseInfo, type RespConnection } from "./resp.ts";

export async function replicationInfo(connection: RespConnection): Promise<Map<string, string>> {
  return parseInfo(String(await connection.command(["INFO", "replication"])));
}

/** Makes `replica` follow `primary` and waits until the first sync is done. */
export async function followPrimary(
  replica: ManagedNode,
  primary: ManagedNode,
  timeoutMs: number,
): Promise<void> {
  await withAdmin(replica, async (connection) => {
    // masteruser/masterauth (the host's own login) are in every node's config already.
    await connection.command(["REPLICAOF", primary.host, primary.port]);
    await waitFor(
      async () => (await replicationInfo(connection)).get("master_link_status") === "up",
      timeoutMs,
      () =>
        `node ${replica.options.nodeId} did not finish syncing from ${primary.options.nodeId}; see ${replica.logFile}`,
      [replica, primary],
    );
  });
}

/** REPLICAOF NO ONE: the node becomes a primary keeping its data. */
export async function stopFollowing(node: ManagedNode): Promise<void> {
  await withAdmin(node, async (connection) => {
    await connection.command(["REPLICAOF", "NO", "ONE"]);
  });
}

/** Role as the engine reports it (ROLE works the same in cluster mode). */
export async function engineRole(node: ManagedNode): Promise<"primary" | "replica"> {
  return withAdmin(node, async (connection) => {
    const reply = await connection.command(["ROLE"]);
    const role = Array.isArray(reply) ? reply[0] : undefined;
    if (role === "master") return "primary";
    if (role === "slave") return "replica";
    throw new Error(`node ${node.options.nodeId} reported an unexpected ROLE ${JSON.stringify(role)}`);
  });
}
