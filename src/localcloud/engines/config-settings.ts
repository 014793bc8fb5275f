// Live Redis/Valkey settings (CONFIG SET) from a node's parameter group. Each setting is tried on its
// own, so one the installed engine does not know (a Valkey-only setting on redis-server, say) does not
// keep the others from applying; the refusals are returned for the caller to report.
import { type ManagedNode, withAdmin } from "./managed-node.ts";
import { RespReplyError } from "./resp.ts";

export async function applyConfigSettings(
  node: ManagedNode,
  settings: Record<string, string>,
): Promise<string[]> {
  const entries = Object.entries(settings);
  if (entries.length === 0) return [];
  return withAdmin(node, async (connection) => {
    const refused: string[] = [];
    for (const [name, value] of entries) {
      const reply = await connection.send(["CONFIG", "SET", name, value]);
      if (reply instanceof RespReplyError) refused.push(`${name}: ${reply.message}`);
    }
    return refused;
  });
}
