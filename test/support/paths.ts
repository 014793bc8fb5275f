// Paths inside the repository, independent of the folder the tests are started from.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export function repoPath(...parts: string[]): string {
  return path.join(repoRoot, ...parts);
}
