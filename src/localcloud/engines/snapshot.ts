// Point-in-time RDB snapshots of a node, copied out to a file the API side keeps.
import { copyFile, mkdir, rename } from "node:fs/promises";
import path from "node:path";

import { type ManagedNode, withAdmin } from "./managed-node.ts";

/** SAVE (blocking, fine for a local cloud's small data sets), then copy dump.rdb atomically. */
export async function snapshotNode(node: ManagedNode, destFile: string): Promise<void> {
  await withAdmin(node, async (connection) => {
    const dir = String(((await connection.command(["CONFIG", "GET", "dir"])) as string[])[1] ?? node.nodeDir);
    await connection.command(["SAVE"]);
    await mkdir(path.dirname(path.resolve(destFile)), { recursive: true });
    const partial = `${destFile}.partial`;
    await copyFile(path.join(dir, "dump.rdb"), partial);
    await rename(partial, destFile);
  });
}
