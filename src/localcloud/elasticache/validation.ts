// AWS's input rules shared by several ElastiCache operations (identifiers, auth tokens, node types).
import { invalidParameter } from "../protocol/errors.ts";

/**
 * Cluster, replication group and snapshot-style identifiers: a letter first, then letters, digits or
 * hyphens, no trailing hyphen and no two hyphens in a row. AWS stores them lower-cased.
 */
export function validIdentifier(value: unknown, parameter: string, maxLength: number): string {
  const id = String(value ?? "").toLowerCase();
  if (
    id.length < 1 ||
    id.length > maxLength ||
    !/^[a-z][a-z0-9-]*$/.test(id) ||
    id.endsWith("-") ||
    id.includes("--")
  ) {
    throw invalidParameter(
      `${parameter} '${String(value ?? "")}' is invalid: it must be 1 to ${maxLength} letters, digits or hyphens, begin with a letter, and contain neither two consecutive hyphens nor a trailing hyphen`,
    );
  }
  return id;
}

/** AUTH tokens: 16 to 128 printable characters, no spaces, and none of / " @. */
export function validAuthToken(value: unknown): string {
  const token = String(value ?? "");
  if (token.length < 16 || token.length > 128 || !/^[\x21-\x7e]+$/.test(token) || /[/"@]/.test(token)) {
    throw invalidParameter(
      "Invalid AuthToken: it must be 16 to 128 printable ASCII characters without spaces, '/', '\"' or '@'",
    );
  }
  return token;
}

const nodeTypePattern = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;

export function validNodeType(value: unknown): string {
  if (value === undefined || value === null || value === "")
    throw invalidParameter("The parameter CacheNodeType must be provided and must not be null.");
  const t = String(value);
  if (!nodeTypePattern.test(t)) {
    throw invalidParameter(
      `Invalid CacheNodeType '${t}': use a node type such as cache.t3.micro or cache.r7g.large`,
    );
  }
  return t;
}

/** Memory limits per node type family size, in MiB (close to AWS's; unknown sizes get 1 GiB). */
const memoryBySize: Record<string, number> = {
  micro: 512,
  small: 1400,
  medium: 3000,
  large: 6000,
  xlarge: 12000,
};

export function maxMemoryMb(nodeType: string): number {
  return memoryBySize[nodeType.split(".")[2] ?? ""] ?? 1024;
}
