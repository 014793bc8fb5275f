// Finding the engine programs on PATH, with an error that says how to install a missing one.
import { accessSync, constants } from "node:fs";
import path from "node:path";

import type { EngineName } from "./contract.ts";

/** Debian package that provides each program (what the error tells people to install). */
const packageOf: Record<string, string> = {
  "redis-server": "redis-server",
  "valkey-server": "valkey-server",
  memcached: "memcached",
  openssl: "openssl",
};

export class MissingBinaryError extends Error {
  readonly binary: string;
  constructor(binary: string) {
    super(`${binary} not found: install it with 'apt-get install ${packageOf[binary] ?? binary}'`);
    this.name = "MissingBinaryError";
    this.binary = binary;
  }
}

/** Absolute path of `name` on the given PATH, or undefined. */
export function findOnPath(name: string, searchPath: string = process.env.PATH ?? ""): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export interface ResolvedBinary {
  path: string;
  /** Program name actually used (valkey may fall back to redis-server). */
  name: string;
  /** Set when the requested engine runs on a stand-in program; worth a log line. */
  note?: string;
}

/**
 * The program that runs `engine`. Valkey uses valkey-server when installed, otherwise
 * redis-server (same protocol and commands for everything the local cloud does).
 */
export function resolveEngineBinary(engine: EngineName, searchPath?: string): ResolvedBinary {
  if (engine === "memcached") {
    const found = findOnPath("memcached", searchPath);
    if (!found) throw new MissingBinaryError("memcached");
    return { path: found, name: "memcached" };
  }
  if (engine === "valkey") {
    const valkey = findOnPath("valkey-server", searchPath);
    if (valkey) return { path: valkey, name: "valkey-server" };
    const redis = findOnPath("redis-server", searchPath);
    if (!redis) throw new MissingBinaryError("valkey-server");
    return {
      path: redis,
      name: "redis-server",
      note: "valkey-server is not installed; running valkey nodes on redis-server, which speaks the same protocol",
    };
  }
  const redis = findOnPath("redis-server", searchPath);
  if (!redis) throw new MissingBinaryError("redis-server");
  return { path: redis, name: "redis-server" };
}
