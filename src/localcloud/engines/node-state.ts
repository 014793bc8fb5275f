// What a node's folder remembers between starts (node.json), so that a restarted local cloud
// brings the node back on the same ports, with the same passwords and the same primary.
// Passwords are kept as `#<sha256>` ACL rules only, never as the tokens themselves.
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import type { AclUser } from "./acl-users.ts";
import type { EngineName } from "./contract.ts";

export interface NodeState {
  engine: EngineName;
  port: number;
  /** Cluster bus port (cluster mode only). */
  busPort?: number;
  /** ACL password rules of the default user (`#<sha256>`); empty: nopass. */
  passwordRules: string[];
  /** RBAC users (passwords as `#<sha256>` rules); absent: the default user only. */
  aclUsers?: AclUser[];
  /** Non-cluster replication: the primary this node follows. */
  replicaOf?: { nodeId: string; host: string; port: number };
}

export function nodeStateFile(nodeDir: string): string {
  return path.join(nodeDir, "node.json");
}

export async function readNodeState(nodeDir: string): Promise<NodeState | undefined> {
  let text: string;
  try {
    text = await readFile(nodeStateFile(nodeDir), "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as NodeState;
  } catch (error) {
    throw new Error(
      `${nodeStateFile(nodeDir)} is not valid JSON (${(error as Error).message}); delete it to start the node afresh`,
    );
  }
}

export async function writeNodeState(nodeDir: string, state: NodeState): Promise<void> {
  const file = nodeStateFile(nodeDir);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}
